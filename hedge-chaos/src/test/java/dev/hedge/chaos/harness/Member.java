package dev.hedge.chaos.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.hedge.chaos.member.MemberMain;
import dev.hedge.chaos.member.StoreSpec;
import dev.hedge.common.Failpoints;
import dev.hedge.testsupport.FaultProxy;
import dev.hedge.testsupport.Ports;

/**
 * One member slot of the chaos cluster: its group and JVM time zone, fixed ports (gRPC, control), a proxy in front of
 * its gRPC port (its id is the proxy's address), a proxy on its link to the database (when the store has a link), and
 * the member JVM currently running in it (one incarnation after another).
 *
 * <p>Not thread-safe: driven by the harness thread (status reads may come from a sampler thread; they only read).
 */
final class Member {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	final int slot;

	final int listenPort;

	final int controlPort;

	final FaultProxy memberProxy;

	final FaultProxy dbProxy;

	private final Cluster cluster;

	private final String group;

	private final String timeZone;

	private volatile Process process;

	private int incarnation;

	private volatile boolean expectedDown = true;

	private final List<Long> pids = new ArrayList<>();

	/**
	 * A slot.
	 * @param dbHost host:port of the database to put a DB-link proxy in front of, or {@code null} when the store has
	 * no link (the embedded store): {@link #dbProxy} is then {@code null}
	 * @param group the member's group
	 * @param timeZone the member JVM's {@code user.timezone}, or {@code null} for the harness's own
	 */
	Member(Cluster cluster, int slot, String dbHost, String group, String timeZone) {
		this.cluster = cluster;
		this.slot = slot;
		this.group = group;
		this.timeZone = timeZone;
		this.listenPort = Ports.free();
		this.controlPort = Ports.free();
		this.memberProxy = FaultProxy.start("127.0.0.1", this.listenPort);
		this.dbProxy = (dbHost != null) ? FaultProxy.start(dbHost) : null;
	}

	String id() {
		return "127.0.0.1:" + this.memberProxy.port();
	}

	String name() {
		return "m" + this.slot;
	}

	String group() {
		return this.group;
	}

	/** The member JVM's time zone, or {@code null} when it runs in the harness's. */
	String timeZone() {
		return this.timeZone;
	}

	/** Starts a new incarnation (does not wait for it to be ready). */
	void start(Map<String, String> env, double clockRate, String failpoints) {
		if (isAlive()) {
			throw new IllegalStateException(name() + " is running");
		}
		this.incarnation++;
		Path dir = this.cluster.historyDir().resolve(name() + "." + this.incarnation);
		List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx160m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1", "-Xss512k", "-Xshare:auto",
				"-Dorg.slf4j.simpleLogger.showDateTime=true",
				"-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
				"-Dorg.slf4j.simpleLogger.log.io.grpc=warn", "-Dorg.slf4j.simpleLogger.log.io.netty=warn",
				"-Dorg.slf4j.simpleLogger.log.com.google=warn",
				"-Dchaos.slot=" + this.slot, "-Dchaos.incarnation=" + this.incarnation,
				"-Dchaos.group=" + this.group, "-D" + StoreSpec.PROPERTY + "=" + this.cluster.store().spec().text(),
				"-Dchaos.listenPort=" + this.listenPort, "-Dchaos.advertisedPort=" + this.memberProxy.port(),
				"-Dchaos.controlPort=" + this.controlPort, "-Dchaos.dir=" + dir, "-Dchaos.seed=" + this.cluster.seed(),
				"-Dchaos.clockRate=" + clockRate));
		if (this.dbProxy != null) {
			command.add("-Dchaos.db=" + this.dbProxy.address());
		}
		this.cluster.store().databaseName().ifPresent((name) -> command.add("-Dchaos.database=" + name));
		this.cluster.store().memberProperties().forEach((name, value) -> command.add("-D" + name + "=" + value));
		command.addAll(this.cluster.memberArguments(this));
		if (this.timeZone != null) {
			command.add("-Duser.timezone=" + this.timeZone);
		}
		if (this.cluster.secret() != null) {
			command.add("-D" + MemberMain.SECRET + "=" + this.cluster.secret());
			command.add("-D" + MemberMain.MAX_CLOCK_SKEW + "=" + ChaosConfig.MAX_CLOCK_SKEW);
		}
		String offset = env.get("FAKETIME");
		if (offset != null) {
			command.add("-Dchaos.wallOffsetMillis=" + Long.parseLong(offset.replace("s", "").replace("+", "")) * 1000);
		}
		if (failpoints != null && !failpoints.isBlank()) {
			command.add("-Dhedge.failpoints=" + failpoints);
			command.add("-Dhedge.failpoints.armed=" + Failpoints.ARMED);
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemberMain.class.getName()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		File log = this.cluster.logDir().resolve(name() + "." + this.incarnation + ".log").toFile();
		builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
		builder.environment().putAll(env);
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.pids.add(this.process.pid());
		this.expectedDown = false;
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** Waits until the control server answers. */
	void awaitReady(Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - end < 0) {
			if (!isAlive()) {
				throw new IllegalStateException(name() + " exited during start; see its log");
			}
			try {
				status();
				return;
			}
			catch (RuntimeException ex) {
				Cluster.sleep(100);
			}
		}
		throw new IllegalStateException(name() + " not ready within " + timeout);
	}

	boolean isAlive() {
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/** Whether the process is gone although the harness never stopped it. */
	boolean exitedUnexpectedly() {
		if (!this.expectedDown && this.process != null && !this.process.isAlive()) {
			this.expectedDown = true;
			return true;
		}
		return false;
	}

	long pid() {
		return this.process.pid();
	}

	int incarnation() {
		return this.incarnation;
	}

	List<Long> pids() {
		return this.pids;
	}

	/** SIGKILL without waiting for the process to end ({@link #kill()} waits); returns the process killed. */
	Process killNow() {
		this.expectedDown = true;
		Process current = this.process;
		current.destroyForcibly();
		return current;
	}

	/** SIGKILL. */
	void kill() {
		waitFor(killNow(), Duration.ofSeconds(10));
	}

	/** SIGTERM, then wait for the graceful close. */
	void terminate(Duration wait) {
		this.expectedDown = true;
		Process current = this.process;
		signal("CONT");
		current.destroy();
		if (!waitFor(current, wait)) {
			current.destroyForcibly();
			waitFor(current, Duration.ofSeconds(5));
		}
	}

	void pause() {
		signal("STOP");
	}

	void resume() {
		signal("CONT");
	}

	private void signal(String name) {
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return;
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(current.pid())).inheritIO().start();
			kill.waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	JsonNode status() {
		return call("GET", "/status", Duration.ofSeconds(2));
	}

	JsonNode call(String method, String pathAndQuery, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.controlPort + pathAndQuery))
			.timeout(timeout)
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(name() + pathAndQuery + " answered " + response.statusCode());
			}
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Thread counts by name (digits stripped) of the running process, from /proc/<pid>/task/<tid>/comm. */
	Map<String, Integer> threadNames() {
		Map<String, Integer> names = new java.util.TreeMap<>();
		try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
					names.merge(name, 1, Integer::sum);
				}
				catch (IOException ex) {
					// thread gone
				}
			}
		}
		catch (IOException ex) {
			// process gone
		}
		return names;
	}

	/** Threads and open files of the running process, from /proc. */
	long[] threadsAndFds() {
		Path proc = Path.of("/proc", Long.toString(pid()));
		try (var tasks = Files.list(proc.resolve("task")); var fds = Files.list(proc.resolve("fd"))) {
			return new long[] { tasks.count(), fds.count() };
		}
		catch (IOException ex) {
			return new long[] { -1, -1 };
		}
	}

	void close() {
		if (isAlive()) {
			this.process.destroyForcibly();
		}
		this.memberProxy.close();
		if (this.dbProxy != null) {
			this.dbProxy.close();
		}
	}

}
