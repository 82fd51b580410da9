package dev.hedge.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerException;
import com.google.cloud.spanner.SpannerOptions;

/**
 * A Cloud Spanner emulator for tests: either the one named by {@code SPANNER_EMULATOR_HOST} (as {@code .ci/run}
 * exports it), or one this class starts from the gcloud SDK's {@code emulator_main} binary on a free loopback port.
 *
 * <p>A started emulator runs under a small shell wrapper that kills it when this JVM's end of the wrapper's stdin
 * pipe closes, i.e. after the JVM has fully exited (also on {@code kill -9}); a JVM shutdown hook would race the
 * Spanner clients' own shutdown (dependencies.md §4). {@link #startPrivate()} starts a separate emulator that a test
 * may pause with {@link #pause()} and must {@link #close()}.
 *
 * <p>Thread-safe. {@link #shared()} is started once per JVM.
 */
public final class SpannerEmulator implements AutoCloseable {

	/** Project id used on the emulator. */
	public static final String PROJECT = "hedge-test";

	/** Instance id created on the emulator when missing. */
	public static final String INSTANCE = "hedge-test";

	private static final String DEFAULT_BINARY = "/usr/lib/google-cloud-sdk/bin/cloud_spanner_emulator/emulator_main";

	private static final AtomicInteger DATABASES = new AtomicInteger();

	private static SpannerEmulator shared;

	private static String unavailableReason;

	private final String host;

	private final Process wrapper;

	private volatile Spanner spanner;

	private SpannerEmulator(String host, Process wrapper) {
		this.host = host;
		this.wrapper = wrapper;
	}

	/**
	 * The JVM-wide emulator, or empty when none can be had (no {@code SPANNER_EMULATOR_HOST} and no binary).
	 * @return the emulator, started on first use
	 */
	public static synchronized Optional<SpannerEmulator> shared() {
		if (shared != null) {
			return Optional.of(shared);
		}
		if (unavailableReason != null) {
			return Optional.empty();
		}
		String env = System.getenv("SPANNER_EMULATOR_HOST");
		if (env != null && !env.isBlank()) {
			shared = new SpannerEmulator(env.trim(), null);
			return Optional.of(shared);
		}
		Optional<Path> binary = binary();
		if (binary.isEmpty()) {
			unavailableReason = "no Cloud Spanner emulator: SPANNER_EMULATOR_HOST is not set and no emulator_main binary was found"
					+ " (looked at $SPANNER_EMULATOR_BINARY, " + DEFAULT_BINARY + " and the gcloud SDK root)";
			return Optional.empty();
		}
		shared = start(binary.get());
		return Optional.of(shared);
	}

	/**
	 * Why {@link #shared()} is empty.
	 * @return the reason, or {@code null} when an emulator is available
	 */
	public static synchronized String unavailableReason() {
		return unavailableReason;
	}

	/**
	 * Starts an emulator only the caller uses, for tests that pause or stop it.
	 * @return the started emulator
	 * @throws IllegalStateException when no binary exists
	 */
	public static SpannerEmulator startPrivate() {
		return start(binary().orElseThrow(() -> new IllegalStateException("no emulator_main binary found")));
	}

	/**
	 * Whether a private emulator can be started (the binary exists).
	 * @return whether {@link #startPrivate()} can succeed
	 */
	public static boolean binaryAvailable() {
		return binary().isPresent();
	}

	private static Optional<Path> binary() {
		String env = System.getenv("SPANNER_EMULATOR_BINARY");
		if (env != null && Files.isExecutable(Path.of(env))) {
			return Optional.of(Path.of(env));
		}
		if (Files.isExecutable(Path.of(DEFAULT_BINARY))) {
			return Optional.of(Path.of(DEFAULT_BINARY));
		}
		try {
			Process gcloud = new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
				.redirectErrorStream(true)
				.start();
			String root = new String(gcloud.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (gcloud.waitFor(30, TimeUnit.SECONDS) && gcloud.exitValue() == 0) {
				Path candidate = Path.of(root, "bin", "cloud_spanner_emulator", "emulator_main");
				if (Files.isExecutable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		catch (IOException ex) {
			// gcloud is not installed
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return Optional.empty();
	}

	private static SpannerEmulator start(Path binary) {
		int port = freePort();
		File log = new File(System.getProperty("java.io.tmpdir"), "hedge-spanner-emulator-" + port + ".log");
		try {
			Process process = new ProcessBuilder("sh", "-c",
					"\"$0\" --host_port \"$1\" & pid=$!; cat >/dev/null; kill $pid; wait $pid",
					binary.toString(), "127.0.0.1:" + port)
				.redirectErrorStream(true)
				.redirectOutput(log)
				.start();
			String host = "127.0.0.1:" + port;
			awaitListening(port, Duration.ofSeconds(30));
			return new SpannerEmulator(host, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the Spanner emulator " + binary, ex);
		}
	}

	private static void awaitListening(int port, Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < end) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				sleep(20);
			}
		}
		throw new IllegalStateException("the Spanner emulator did not listen on port " + port + " within " + timeout);
	}

	/**
	 * A free TCP port; see {@link Ports#free()}.
	 * @return the port number
	 */
	public static int freePort() {
		return Ports.free();
	}

	/**
	 * The emulator's gRPC address.
	 * @return {@code host:port}
	 */
	public String host() {
		return this.host;
	}

	/**
	 * A client for this emulator, created on first use and closed with the emulator (never for the shared one).
	 * @return the client
	 */
	public synchronized Spanner spanner() {
		if (this.spanner == null) {
			this.spanner = newClient(this.host);
		}
		return this.spanner;
	}

	/**
	 * A new client for an emulator at the given address; the caller closes it.
	 * @param host the emulator (or a proxy in front of it)
	 * @return the client
	 */
	public static Spanner newClient(String host) {
		return SpannerOptions.newBuilder()
			.setProjectId(PROJECT)
			.setEmulatorHost(host)
			.setCredentials(NoCredentials.getInstance())
			.build()
			.getService();
	}

	/**
	 * Creates a new, empty database (the instance is created when missing).
	 * @param prefix readable part of the database name
	 * @return the database
	 */
	public DatabaseId createDatabase(String prefix) {
		Spanner client = spanner();
		try {
			client.getInstanceAdminClient()
				.createInstance(InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
					.setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
					.setDisplayName("hedge tests")
					.setNodeCount(1)
					.build())
				.get();
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof SpannerException se && se.getErrorCode() == ErrorCode.ALREADY_EXISTS)) {
				throw new IllegalStateException("could not create the emulator instance", ex.getCause());
			}
		}
		catch (SpannerException ex) {
			if (ex.getErrorCode() != ErrorCode.ALREADY_EXISTS) {
				throw ex;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		String name = databaseName(prefix);
		try {
			client.getDatabaseAdminClient().createDatabase(INSTANCE, name, List.of()).get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("could not create database " + name, ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return DatabaseId.of(PROJECT, INSTANCE, name);
	}

	/**
	 * Drops a database created by {@link #createDatabase(String)}, ignoring failures.
	 * @param id the database
	 */
	public void dropDatabase(DatabaseId id) {
		try {
			spanner().getDatabaseAdminClient().dropDatabase(id.getInstanceId().getInstance(), id.getDatabase());
		}
		catch (RuntimeException ex) {
			// best effort: the emulator is in-memory and goes away with the run
		}
	}

	private static String databaseName(String prefix) {
		String clean = prefix.toLowerCase().replaceAll("[^a-z0-9_-]", "-");
		if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
			clean = "d" + clean;
		}
		String suffix = "-" + DATABASES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
		int max = 30 - suffix.length();
		return (clean.length() > max ? clean.substring(0, max) : clean) + suffix;
	}

	/**
	 * The operating-system process id of the emulator binary (not of its wrapper).
	 * @return the pid
	 * @throws IllegalStateException for an emulator this class did not start
	 */
	public long pid() {
		if (this.wrapper == null) {
			throw new IllegalStateException("the emulator at " + this.host + " was not started by this JVM");
		}
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < end) {
			Optional<ProcessHandle> child = this.wrapper.toHandle().children().findFirst();
			if (child.isPresent()) {
				return child.get().pid();
			}
			sleep(10);
		}
		throw new IllegalStateException("emulator process not found under wrapper " + this.wrapper.pid());
	}

	/** Suspends the emulator process (SIGSTOP): every call to it hangs until {@link #resume()}. */
	public void pause() {
		signal("STOP");
	}

	/** Resumes a paused emulator (SIGCONT). */
	public void resume() {
		signal("CONT");
	}

	private void signal(String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
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

	/** Closes the client and, for an emulator this class started, stops the emulator. */
	@Override
	public void close() {
		if (this == shared) {
			return;
		}
		Spanner client = this.spanner;
		if (client != null) {
			client.close();
		}
		if (this.wrapper != null) {
			try {
				resume();
			}
			catch (RuntimeException ex) {
				// already gone
			}
			try {
				this.wrapper.getOutputStream().close();
				if (!this.wrapper.waitFor(10, TimeUnit.SECONDS)) {
					this.wrapper.destroyForcibly();
				}
			}
			catch (IOException ex) {
				this.wrapper.destroyForcibly();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
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
