package dev.hedge.chaos.harness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.member.StoreSpec;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.testsupport.PostgresServer;
import dev.hedge.testsupport.PostgresTestDatabase;

/**
 * The PostgreSQL backend of a chaos cluster (S11): a private server started from Debian's binaries (which scenarios
 * pause: every server process SIGSTOPped), one fresh database with hedge's tables, created by the harness (the members
 * expect them, as an application whose DBA created them), and the harness's own store on it (direct to the server)
 * for final reads. Members reach the server through their DB-link proxies ({@link #databaseHost()}) as the test role
 * ({@link #memberProperties()}). PostgreSQL keeps no old row versions readable by timestamp, so there are no
 * snapshots: the semaphore checkers judge on the histories alone.
 *
 * <p>Driven by the harness thread.
 */
final class PostgresClusterStore extends ServerClusterStore {

	private final PostgresServer server;

	private final PostgresTestDatabase database;

	private final HikariDataSource pool;

	private PostgresClusterStore(PostgresServer server, PostgresTestDatabase database, HikariDataSource pool,
			HedgeStore store) {
		super(store);
		this.server = server;
		this.database = database;
		this.pool = pool;
	}

	/** Starts a private server with a fresh database and hedge's tables in it. */
	static PostgresClusterStore start() {
		PostgresServer server = PostgresServer.startPrivate();
		try {
			PostgresTestDatabase database = PostgresTestDatabase.create(server, "chaos");
			HikariDataSource pool = database.newPool(4);
			try {
				HedgeStore store = JdbcHedgeStore.open(pool, TableNames.defaults(), true,
						JdbcHedgeStore.Properties.JDBC);
				return new PostgresClusterStore(server, database, pool, store);
			}
			catch (RuntimeException ex) {
				pool.close();
				throw ex;
			}
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
	}

	@Override
	public StoreSpec spec() {
		return StoreSpec.jdbc(this.database.url());
	}

	@Override
	public Optional<String> databaseHost() {
		return Optional.of(this.server.host() + ":" + this.server.port());
	}

	@Override
	public Optional<String> databaseName() {
		// the url names it
		return Optional.empty();
	}

	@Override
	public Map<String, String> memberProperties() {
		return Map.of(StoreSpec.JDBC_USER, this.database.user(), StoreSpec.JDBC_PASSWORD, this.database.password());
	}

	@Override
	public PermitSnapshots snapshots(String group) {
		return PermitSnapshots.NONE;
	}

	@Override
	public Optional<String> snapshotsUnavailable() {
		return Optional.of("PostgreSQL keeps no old row versions readable by timestamp (no AS OF reads; VACUUM may "
				+ "remove dead ones at any time): no exact-timestamp snapshots, so C6's commit replay and C6b's reclaim"
				+ " times are judged on the histories alone (an excess is a violation)");
	}

	/** The server's version ({@code server_version}), for the summary; {@code "?"} if it cannot be read. */
	String version() {
		try (Connection connection = this.pool.getConnection(); Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SHOW server_version")) {
			return rs.next() ? rs.getString(1) : "?";
		}
		catch (SQLException ex) {
			return "?";
		}
	}

	@Override
	void suspendServer() {
		this.server.pause();
	}

	@Override
	void continueServer() {
		this.server.resume();
	}

	@Override
	public void close() {
		heal();
		store().close();
		this.pool.close();
		// stops the server and deletes its directory, the database with it
		this.server.close();
	}

}
