-- hedge schema for PostgreSQL (hedge.store=jdbc on the application's DataSource). Created at start according to
-- hedge.jdbc.initialize-schema; to create it yourself, run these statements with ${lock_table}, ${log_table} and
-- ${chain_table} replaced by the table names (defaults hedge_lock, hedge_log and hedge_lock_chain). Statements are
-- separated by semicolons.

CREATE TABLE IF NOT EXISTS "${lock_table}" (
  "name" VARCHAR(1024) NOT NULL PRIMARY KEY,
  "writer" VARCHAR(1024),
  "incarnation" VARCHAR(64),
  "epoch" BIGINT NOT NULL,
  "lease_ms" BIGINT NOT NULL,
  "heartbeat" TIMESTAMP(6) WITH TIME ZONE,
  "token" TIMESTAMP(6) WITH TIME ZONE,
  -- last log commit timestamp issued under this lock: keeps log timestamps strictly increasing
  "clock" TIMESTAMP(6) WITH TIME ZONE
);

CREATE TABLE IF NOT EXISTS "${log_table}" (
  "id" TEXT NOT NULL,
  "key" TEXT NOT NULL,
  "value" TEXT,
  "leader" TEXT,
  "timestamp" TIMESTAMP(6) WITH TIME ZONE,
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
  "members" TEXT NOT NULL,
  "writer" VARCHAR(1024),
  "updated" TIMESTAMP(6) WITH TIME ZONE,
  PRIMARY KEY ("name", "chain")
);

-- Replicated data (hedge.crdt): rows of encoded values that each member appends under its replica id (durable mode)
-- and the leader's pruning records (replica "~pruning/<pruned replica>"). Rows only ever merge: no fence.
CREATE TABLE IF NOT EXISTS "${log_table}_crdt" (
  "group_name" VARCHAR(1024) NOT NULL,
  "replica" VARCHAR(1024) NOT NULL,
  "seq" BIGINT NOT NULL,
  "part" INTEGER NOT NULL,
  "data" BYTEA,
  PRIMARY KEY ("group_name", "replica", "seq", "part")
);
