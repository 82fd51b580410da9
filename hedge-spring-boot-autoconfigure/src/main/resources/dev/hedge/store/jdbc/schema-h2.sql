-- hedge schema for H2: the embedded store (created at start when hedge.embedded.initialize-schema is true, the
-- default) and an H2 DataSource with hedge.store=jdbc (per hedge.jdbc.initialize-schema). ${lock_table},
-- ${log_table} and ${chain_table} are the table names (${chain_table} is the lock table's name followed by _chain).
-- Statements are separated by semicolons.

CREATE TABLE IF NOT EXISTS "${lock_table}" (
  "name" VARCHAR(1024) NOT NULL PRIMARY KEY,
  "writer" VARCHAR(1024),
  "incarnation" VARCHAR(64),
  "epoch" BIGINT NOT NULL,
  "lease_ms" BIGINT NOT NULL,
  "heartbeat" TIMESTAMP(9) WITH TIME ZONE,
  "token" TIMESTAMP(9) WITH TIME ZONE,
  -- last log commit timestamp issued under this lock: keeps log timestamps strictly increasing
  "clock" TIMESTAMP(9) WITH TIME ZONE
);

CREATE TABLE IF NOT EXISTS "${log_table}" (
  "id" VARCHAR NOT NULL,
  "key" VARCHAR NOT NULL,
  "value" VARCHAR,
  "leader" VARCHAR,
  "timestamp" TIMESTAMP(9) WITH TIME ZONE,
  PRIMARY KEY ("key", "id")
);

CREATE INDEX IF NOT EXISTS "${log_table}_key_ts" ON "${log_table}" ("key", "timestamp");

-- Chain configurations (hedge.chain): one row per group and chain, written only by the group's leader, fenced by its
-- epoch in the same transaction; version increases by one per write.
CREATE TABLE IF NOT EXISTS "${chain_table}" (
  "name" VARCHAR(1024) NOT NULL,
  "chain" VARCHAR(1024) NOT NULL,
  "version" BIGINT NOT NULL,
  "epoch" BIGINT NOT NULL,
  "members" VARCHAR NOT NULL,
  "writer" VARCHAR(1024),
  "updated" TIMESTAMP(9) WITH TIME ZONE,
  PRIMARY KEY ("name", "chain")
);

-- Replicated data (hedge.crdt): rows of encoded values that each member appends under its replica id (durable mode)
-- and the leader's pruning records (replica "~pruning/<pruned replica>"). Rows only ever merge: no fence.
CREATE TABLE IF NOT EXISTS "${log_table}_crdt" (
  "group_name" VARCHAR(1024) NOT NULL,
  "replica" VARCHAR(1024) NOT NULL,
  "seq" BIGINT NOT NULL,
  "part" INTEGER NOT NULL,
  "data" VARBINARY,
  PRIMARY KEY ("group_name", "replica", "seq", "part")
);
