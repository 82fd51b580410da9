package dev.hedge.testsupport;

import java.io.File;
import java.io.IOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Spring Boot application JVMs started with {@code java -jar} (a packaged jar, no extra JVM flags), each on its own
 * HTTP and gRPC ports, plus a tiny HTTP client for them and for {@code /actuator/hedge}. Each member's output goes to
 * {@code <logs>/<name>.log}. Not thread-safe for {@link #start}; the queries may run from any thread. {@link #close()}
 * stops every member it started (SIGTERM, then SIGKILL after 20 s).
 */
public final class AppProcesses implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Member> members = new ArrayList<>();

	private final Path jar;

	private final Path directory;

	private final Path logs;

	private final List<String> commonArgs;

	private final Map<String, String> environment;

	/**
	 * Members of one application.
	 * @param jar the executable jar
	 * @param directory the working directory of every member (members on the embedded store share {@code .hedge} in
	 * it unless the arguments say otherwise)
	 * @param logs where each member's output goes
	 * @param commonArgs application arguments every member gets after its ports
	 * @param environment environment variables every member gets
	 */
	public AppProcesses(Path jar, Path directory, Path logs, List<String> commonArgs, Map<String, String> environment) {
		if (!Files.exists(jar)) {
			throw new IllegalStateException("package the application first: " + jar.toAbsolutePath());
		}
		this.jar = jar.toAbsolutePath();
		this.directory = directory;
		this.logs = logs;
		this.commonArgs = List.copyOf(commonArgs);
		this.environment = Map.copyOf(environment);
	}

	/** One application process. */
	public static final class Member {

		private final String name;

		private final Process process;

		private final int httpPort;

		private final int grpcPort;

		private final Path log;

		Member(String name, Process process, int httpPort, int grpcPort, Path log) {
			this.name = name;
			this.process = process;
			this.httpPort = httpPort;
			this.grpcPort = grpcPort;
			this.log = log;
		}

		/** @return the member's name (its log file's name) */
		public String name() {
			return this.name;
		}

		/** @return the process */
		public Process process() {
			return this.process;
		}

		/** @return the HTTP port */
		public int httpPort() {
			return this.httpPort;
		}

		/** @return the gRPC port */
		public int grpcPort() {
			return this.grpcPort;
		}

		/** @return the hedge member id, {@code 127.0.0.1:<grpc port>} */
		public String id() {
			return "127.0.0.1:" + this.grpcPort;
		}

		/**
		 * The end of the member's output.
		 * @param lines how many lines
		 * @return the last lines of its log
		 */
		public String logTail(int lines) {
			try {
				List<String> all = Files.readAllLines(this.log);
				return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

		@Override
		public String toString() {
			return this.name + "(" + id() + ", pid " + this.process.pid() + ")";
		}

	}

	/**
	 * Starts a member on two free ports, advertising 127.0.0.1.
	 * @param name the member's name
	 * @param extraArgs application arguments for this member only
	 * @return the member (started, perhaps not yet ready)
	 * @throws IOException if the JVM cannot be started
	 */
	public Member start(String name, String... extraArgs) throws IOException {
		int httpPort = Ports.free();
		int grpcPort = Ports.free();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", this.jar.toString(),
				"--server.port=" + httpPort, "--spring.grpc.server.port=" + grpcPort, "--hedge.node.address=127.0.0.1"));
		command.addAll(this.commonArgs);
		command.addAll(List.of(extraArgs));
		Path log = this.logs.resolve(name + ".log");
		File logFile = log.toFile();
		logFile.getParentFile().mkdirs();
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(logFile);
		builder.environment().putAll(this.environment);
		Member member = new Member(name, builder.start(), httpPort, grpcPort, log);
		synchronized (this) {
			this.members.add(member);
		}
		return member;
	}

	/**
	 * Fails at once (with the end of its log) when one of the members has exited, instead of waiting out a timeout.
	 * @param expected the members that must be running
	 */
	public void requireRunning(List<Member> expected) {
		for (Member member : expected) {
			if (!member.process.isAlive()) {
				throw new IllegalStateException(
						member + " exited with " + member.process.exitValue() + ":\n" + member.logTail(30));
			}
		}
	}

	/** @return the members still running */
	public synchronized List<Member> alive() {
		return this.members.stream().filter((m) -> m.process.isAlive()).toList();
	}

	/**
	 * Posts the body the way {@code curl -d '<body>'} does: raw text labelled as a form.
	 * @param member the member
	 * @param path the path
	 * @param body the body
	 * @return the response
	 * @throws IOException on a connection failure
	 * @throws InterruptedException if interrupted
	 */
	public HttpResponse<String> post(Member member, String path, String body) throws IOException, InterruptedException {
		return send(member, path, "POST", "application/x-www-form-urlencoded", body);
	}

	/**
	 * Sends a request with a body.
	 * @param member the member
	 * @param path the path
	 * @param method the HTTP method
	 * @param contentType the content type of the body
	 * @param body the body
	 * @return the response
	 * @throws IOException on a connection failure
	 * @throws InterruptedException if interrupted
	 */
	public HttpResponse<String> send(Member member, String path, String method, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(member, path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", contentType)
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * GETs a path.
	 * @param member the member
	 * @param path the path
	 * @return the response
	 * @throws IOException on a connection failure
	 * @throws InterruptedException if interrupted
	 */
	public HttpResponse<String> get(Member member, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(member, path)).timeout(Duration.ofSeconds(20)).GET().build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(Member member, String path) {
		return URI.create("http://127.0.0.1:" + member.httpPort + path);
	}

	/**
	 * The member's {@code /actuator/hedge}, if it answers.
	 * @param member the member
	 * @return the JSON, or empty when the member does not answer 200
	 */
	public Optional<JsonNode> hedge(Member member) {
		try {
			HttpRequest request = HttpRequest.newBuilder(uri(member, "/actuator/hedge"))
				.timeout(Duration.ofSeconds(3))
				.GET()
				.build();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/**
	 * @param member the member
	 * @return whether it says it leads
	 */
	public boolean isLeader(Member member) {
		return hedge(member).map((json) -> json.path("isLeader").asBoolean(false)).orElse(false);
	}

	/**
	 * @param member the member
	 * @return how many members it lists
	 */
	public int memberCount(Member member) {
		return hedge(member).map((json) -> json.path("members").size()).orElse(0);
	}

	/** @return the one running member that says it leads, or empty when none or several do */
	public Optional<Member> leader() {
		List<Member> leaders = alive().stream().filter(this::isLeader).toList();
		return (leaders.size() == 1) ? Optional.of(leaders.get(0)) : Optional.empty();
	}

	@Override
	public synchronized void close() {
		for (Member member : this.members) {
			member.process.destroy();
		}
		for (Member member : this.members) {
			try {
				if (!member.process.waitFor(20, TimeUnit.SECONDS)) {
					member.process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				member.process.destroyForcibly();
			}
		}
	}

}
