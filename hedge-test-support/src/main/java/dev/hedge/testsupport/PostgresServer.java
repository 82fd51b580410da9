package dev.hedge.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for tests: either the one named by {@code HEDGE_TEST_POSTGRES_URL} (with
 * {@code HEDGE_TEST_POSTGRES_USER} and {@code HEDGE_TEST_POSTGRES_PASSWORD}, as {@code .ci/run} exports them; the
 * role needs {@code CREATEDB}), or one this class starts from Debian's PostgreSQL binaries
 * ({@code /usr/lib/postgresql/<version>/bin}, or {@code $HEDGE_POSTGRES_BIN}) in a temporary directory, on a free
 * loopback port.
 *
 * <p>A started server gets a fresh cluster ({@code initdb}), runs as a non-root user (the {@code postgres} OS user
 * when this JVM runs as root: PostgreSQL refuses to run as root) and has a role {@code hedge} (password {@code hedge},
 * {@code CREATEDB}, not a superuser) for the tests. It runs under a small shell wrapper that stops it (fast shutdown,
 * SIGINT to the postmaster) and deletes its directory when this JVM's end of the wrapper's stdin pipe closes, i.e.
 * after the JVM has fully exited, also on {@code kill -9}; {@link #close()} does so earlier. Test servers trade crash
 * durability for speed ({@code fsync=off}) unless started with {@link #startPrivate(boolean) startPrivate(true)}.
 *
 * <p>{@link #pause()} and {@link #resume()} stop and continue every process of a started server (postmaster and
 * backends): a database stall for outage and chaos tests.
 *
 * <p>Thread-safe. {@link #shared()} is started (or found) once per JVM and never closed by its users.
 */
public final class PostgresServer implements AutoCloseable {

	/** Environment variable with the JDBC URL of a running server (any database the role may connect to). */
	public static final String URL_VARIABLE = "HEDGE_TEST_POSTGRES_URL";

	/** Environment variable with the role of {@link #URL_VARIABLE}. */
	public static final String USER_VARIABLE = "HEDGE_TEST_POSTGRES_USER";

	/** Environment variable with the password of {@link #USER_VARIABLE}. */
	public static final String PASSWORD_VARIABLE = "HEDGE_TEST_POSTGRES_PASSWORD";

	/** Role created on a started server. */
	public static final String ROLE = "hedge";

	private static final AtomicInteger DATABASES = new AtomicInteger();

	private static PostgresServer shared;

	private static String unavailableReason;

	private final String host;

	private final int port;

	private final String user;

	private final String password;

	private final String adminDatabase;

	private final Process wrapper;

	private final Path directory;

	private PostgresServer(String host, int port, String adminDatabase, String user, String password,
			Process wrapper, Path directory) {
		this.host = host;
		this.port = port;
		this.adminDatabase = adminDatabase;
		this.user = user;
		this.password = password;
		this.wrapper = wrapper;
		this.directory = directory;
	}

	/**
	 * The JVM-wide server, or empty when none can be had (no {@link #URL_VARIABLE} and no binaries).
	 * @return the server, started on first use
	 */
	public static synchronized Optional<PostgresServer> shared() {
		if (shared != null) {
			return Optional.of(shared);
		}
		if (unavailableReason != null) {
			return Optional.empty();
		}
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			shared = fromUrl(url.trim(), System.getenv(USER_VARIABLE), System.getenv(PASSWORD_VARIABLE));
			return Optional.of(shared);
		}
		Optional<Path> bin = binaries();
		if (bin.isEmpty()) {
			unavailableReason = "no PostgreSQL: " + URL_VARIABLE + " is not set and no PostgreSQL binaries were found"
					+ " (looked at $HEDGE_POSTGRES_BIN and /usr/lib/postgresql/*/bin; apt-get install postgresql)";
			return Optional.empty();
		}
		shared = start(bin.get(), false);
		return Optional.of(shared);
	}

	/**
	 * Why {@link #shared()} is empty.
	 * @return the reason, or {@code null} when a server is available
	 */
	public static synchronized String unavailableReason() {
		return unavailableReason;
	}

	/**
	 * Starts a server only the caller uses (for tests that pause or stop it), with {@code fsync=off}.
	 * @return the started server; the caller closes it
	 * @throws IllegalStateException when no binaries exist
	 */
	public static PostgresServer startPrivate() {
		return startPrivate(false);
	}

	/**
	 * Starts a server only the caller uses.
	 * @param durable whether commits are flushed to disk as in production ({@code fsync} and
	 * {@code synchronous_commit} on, e.g. for benchmarks), or not (faster tests)
	 * @return the started server; the caller closes it
	 * @throws IllegalStateException when no binaries exist
	 */
	public static PostgresServer startPrivate(boolean durable) {
		return start(binaries().orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries found")),
				durable);
	}

	/**
	 * Whether a private server can be started (the binaries exist).
	 * @return whether {@link #startPrivate()} can succeed
	 */
	public static boolean binariesAvailable() {
		return binaries().isPresent();
	}

	private static PostgresServer fromUrl(String url, String user, String password) {
		// jdbc:postgresql://host:port/database?parameters
		String prefix = "jdbc:postgresql://";
		if (!url.startsWith(prefix)) {
			throw new IllegalStateException(URL_VARIABLE + " must be jdbc:postgresql://host:port/database, was " + url);
		}
		String rest = url.substring(prefix.length());
		int slash = rest.indexOf('/');
		String authority = (slash >= 0) ? rest.substring(0, slash) : rest;
		String database = (slash >= 0) ? rest.substring(slash + 1) : "postgres";
		int query = database.indexOf('?');
		if (query >= 0) {
			database = database.substring(0, query);
		}
		int colon = authority.lastIndexOf(':');
		String host = (colon >= 0) ? authority.substring(0, colon) : authority;
		int port = (colon >= 0) ? Integer.parseInt(authority.substring(colon + 1)) : 5432;
		return new PostgresServer(host, port, database.isEmpty() ? "postgres" : database,
				(user != null) ? user : ROLE, (password != null) ? password : "", null, null);
	}

	private static Optional<Path> binaries() {
		String env = System.getenv("HEDGE_POSTGRES_BIN");
		if (env != null && isBin(Path.of(env))) {
			return Optional.of(Path.of(env));
		}
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter(PostgresServer::isBin)
				.max(Comparator.comparing((Path bin) -> versionOf(bin.getParent().getFileName().toString())));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static boolean isBin(Path bin) {
		return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
	}

	private static int versionOf(String name) {
		try {
			return Integer.parseInt(name.replaceAll("\\..*", ""));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static PostgresServer start(Path bin, boolean durable) {
		int port = Ports.free();
		try {
			Path directory = Files.createTempDirectory("hedge-postgres-" + port + "-");
			Path data = directory.resolve("data");
			Path sockets = directory.resolve("sockets");
			Files.createDirectories(sockets);
			List<String> asUser = asNonRoot(directory);
			List<String> initdb = new ArrayList<>(asUser);
			initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
					"--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
			run(initdb, directory.resolve("initdb.log").toFile());
			List<String> server = new ArrayList<>(asUser);
			server.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
					Integer.toString(port), "-h", "127.0.0.1", "-k", sockets.toString(), "-c", "max_connections=200"));
			if (!durable) {
				server.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
			}
			// the wrapper stops the server (fast shutdown) once this JVM's end of its stdin closes
			List<String> command = new ArrayList<>(List.of("sh", "-c",
					"\"$@\" & pid=$!; cat >/dev/null; kill -INT \"$(head -n 1 '" + data + "/postmaster.pid')\""
							+ " 2>/dev/null || kill $pid; wait $pid; rm -rf '" + directory + "'",
					"postgres-wrapper"));
			command.addAll(server);
			File log = directory.resolve("postgres.log").toFile();
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
			awaitListening(port, Duration.ofSeconds(60), process, log);
			PostgresServer started = new PostgresServer("127.0.0.1", port, "postgres", ROLE, ROLE, process,
					directory);
			started.createRole();
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start PostgreSQL from " + bin, ex);
		}
	}

	/**
	 * The command prefix that runs a program as a non-root user; gives that user the directory. {@code setpriv}
	 * executes the program in its own process ({@code runuser} would stay its parent, and stop itself when the
	 * server is paused, never to be continued).
	 */
	private static List<String> asNonRoot(Path directory) throws IOException {
		if (!"root".equals(System.getProperty("user.name"))) {
			return List.of();
		}
		run(List.of("chown", "-R", "postgres:postgres", directory.toString()), null);
		return List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--");
	}

	private static void run(List<String> command, File log) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (log != null) {
			builder.redirectOutput(log);
		}
		Process process = builder.start();
		try {
			String output = (log != null) ? "" : new String(process.getInputStream().readAllBytes(),
					StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " did not finish within 120 s");
			}
			if (process.exitValue() != 0) {
				String text = (log != null) ? Files.readString(log.toPath()) : output;
				throw new IllegalStateException(command + " failed (" + process.exitValue() + "): " + text);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitListening(int port, Duration timeout, Process process, File log) throws IOException {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - end < 0) {
			if (!process.isAlive()) {
				throw new IllegalStateException("PostgreSQL exited at start: " + Files.readString(log.toPath()));
			}
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2", "postgres", "")) {
				return;
			}
			catch (SQLException ex) {
				sleep(50);
			}
		}
		throw new IllegalStateException("PostgreSQL did not accept connections on port " + port + " within "
				+ timeout + ": " + Files.readString(log.toPath()));
	}

	private void createRole() {
		try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE ROLE " + ROLE + " LOGIN CREATEDB PASSWORD '" + ROLE + "'");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create the role " + ROLE, ex);
		}
	}

	/**
	 * Whether something accepts TCP connections at the server's address.
	 * @return whether the port is open
	 */
	public boolean listening() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(this.host, this.port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The server's host.
	 * @return the host
	 */
	public String host() {
		return this.host;
	}

	/**
	 * The server's TCP port.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The role tests connect as.
	 * @return the role name
	 */
	public String user() {
		return this.user;
	}

	/**
	 * The role's password.
	 * @return the password
	 */
	public String password() {
		return this.password;
	}

	/**
	 * The JDBC URL of a database on this server.
	 * @param database the database name
	 * @return {@code jdbc:postgresql://host:port/database}
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
	}

	/**
	 * A new connection as {@link #user()} to a database.
	 * @param database the database name
	 * @return the connection; the caller closes it
	 * @throws SQLException when the server refuses
	 */
	public Connection connect(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.user);
		properties.setProperty("password", this.password);
		properties.setProperty("connectTimeout", "10");
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	/**
	 * Creates a new, empty database owned by {@link #user()}.
	 * @param prefix readable part of the database name
	 * @return the database name
	 */
	public String createDatabase(String prefix) {
		String name = databaseName(prefix);
		try (Connection connection = connect(this.adminDatabase); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create database " + name + " on " + jdbcUrl(""), ex);
		}
		return name;
	}

	/**
	 * Drops a database created by {@link #createDatabase(String)}, disconnecting its sessions; failures are
	 * ignored.
	 * @param name the database
	 */
	public void dropDatabase(String name) {
		try (Connection connection = connect(this.adminDatabase); Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
		}
		catch (SQLException ex) {
			// best effort: a private server goes away with its directory, CI's with the run
		}
	}

	private static String databaseName(String prefix) {
		String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
		if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
			clean = "d" + clean;
		}
		String suffix = "_" + DATABASES.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
		int max = 63 - suffix.length();
		return (clean.length() > max ? clean.substring(0, max) : clean) + suffix;
	}

	/**
	 * The operating-system process id of the postmaster.
	 * @return the pid
	 * @throws IllegalStateException for a server this class did not start
	 */
	public long pid() {
		if (this.wrapper == null) {
			throw new IllegalStateException("the server at " + jdbcUrl("") + " was not started by this JVM");
		}
		try {
			return Long.parseLong(Files.readAllLines(this.directory.resolve("data").resolve("postmaster.pid"))
				.get(0)
				.trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Suspends every process of the server (SIGSTOP): every call to it hangs until {@link #resume()}. */
	public void pause() {
		signalAll("STOP");
	}

	/** Resumes a paused server (SIGCONT). */
	public void resume() {
		signalAll("CONT");
	}

	private void signalAll(String name) {
		long postmaster = pid();
		List<String> command = new ArrayList<>(List.of("kill", "-" + name, Long.toString(postmaster)));
		ProcessHandle.of(postmaster)
			.ifPresent((handle) -> handle.descendants().forEach((child) -> command.add(Long.toString(child.pid()))));
		try {
			Process kill = new ProcessBuilder(command).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + name + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** For a server this class started (never the shared one): stops it and deletes its directory. */
	@Override
	public void close() {
		if (this == shared || this.wrapper == null) {
			return;
		}
		try {
			resume();
		}
		catch (RuntimeException ex) {
			// already gone
		}
		try {
			this.wrapper.getOutputStream().close();
			if (!this.wrapper.waitFor(30, TimeUnit.SECONDS)) {
				this.wrapper.destroyForcibly();
			}
		}
		catch (IOException ex) {
			this.wrapper.destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
