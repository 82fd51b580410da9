package dev.hedge.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A fresh, empty PostgreSQL database, created for one test class by {@link PostgresDatabaseExtension} (or by hand
 * with {@link #create(PostgresServer, String)}) and dropped after it. Thread-safe.
 */
public final class PostgresTestDatabase implements AutoCloseable {

	private final PostgresServer server;

	private final String name;

	private HikariDataSource dataSource;

	private PostgresTestDatabase(PostgresServer server, String name) {
		this.server = server;
		this.name = name;
	}

	/**
	 * Creates a database on a server.
	 * @param server the server
	 * @param prefix readable part of the name (e.g. the test class)
	 * @return the database; {@link #close()} drops it
	 */
	public static PostgresTestDatabase create(PostgresServer server, String prefix) {
		return new PostgresTestDatabase(server, server.createDatabase(prefix));
	}

	/**
	 * The server holding it.
	 * @return the server
	 */
	public PostgresServer server() {
		return this.server;
	}

	/**
	 * The database name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The JDBC URL ({@code spring.datasource.url}).
	 * @return the URL
	 */
	public String url() {
		return this.server.jdbcUrl(this.name);
	}

	/**
	 * The role ({@code spring.datasource.username}).
	 * @return the role
	 */
	public String user() {
		return this.server.user();
	}

	/**
	 * The role's password ({@code spring.datasource.password}).
	 * @return the password
	 */
	public String password() {
		return this.server.password();
	}

	/**
	 * The database's connection pool (HikariCP, 16 connections, a 3 s wait for one), created on first use and closed
	 * with the database. Do not close it.
	 * @return the pool
	 */
	public synchronized DataSource dataSource() {
		if (this.dataSource == null) {
			this.dataSource = newPool(16);
		}
		return this.dataSource;
	}

	/**
	 * A new connection pool on the database; the caller closes it (before the database is dropped).
	 * @param size most connections
	 * @return the pool
	 */
	public HikariDataSource newPool(int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url());
		config.setUsername(user());
		config.setPassword(password());
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(0);
		config.setConnectionTimeout(Duration.ofSeconds(3).toMillis());
		config.setPoolName("hedge-test-" + this.name);
		return new HikariDataSource(config);
	}

	/**
	 * A new connection outside any pool.
	 * @return the connection; the caller closes it
	 * @throws SQLException when the server refuses
	 */
	public Connection connect() throws SQLException {
		return this.server.connect(this.name);
	}

	/** Closes the pool and drops the database (disconnecting any session left). */
	@Override
	public synchronized void close() {
		if (this.dataSource != null) {
			this.dataSource.close();
			this.dataSource = null;
		}
		this.server.dropDatabase(this.name);
	}

	@Override
	public String toString() {
		return url();
	}

}
