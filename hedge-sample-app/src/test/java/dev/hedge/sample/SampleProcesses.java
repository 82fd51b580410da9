package dev.hedge.sample;

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

import dev.hedge.testsupport.Ports;

/**
 * Sample-app JVMs started with {@code java -jar} (the packaged jar, no extra flags), each on its own HTTP and gRPC
 * ports, plus a tiny HTTP client for them. Logs go to {@code target/it-logs/}.
 */
final class SampleProcesses implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Member> members = new ArrayList<>();

	private final List<String> commonArgs;

	private final Map<String, String> environment;

	SampleProcesses(List<String> commonArgs, Map<String, String> environment) {
		this.commonArgs = commonArgs;
		this.environment = environment;
	}

	static Path jar() {
		Path jar = Path.of(System.getProperty("hedge.sample.jar", "target/hedge-sample-app.jar"));
		if (!Files.exists(jar)) {
			throw new IllegalStateException("package the sample app first: " + jar.toAbsolutePath());
		}
		return jar;
	}

	static int freePort() {
		return Ports.free();
	}
	/** One sample-app process. */
	static final class Member {

		final String name;

		final Process process;

		final int httpPort;

		final int grpcPort;

		Member(String name, Process process, int httpPort, int grpcPort) {
			this.name = name;
			this.process = process;
			this.httpPort = httpPort;
			this.grpcPort = grpcPort;
		}

		String id() {
			return "127.0.0.1:" + this.grpcPort;
		}

		@Override
		public String toString() {
			return this.name + "(" + id() + ", pid " + this.process.pid() + ")";
		}

	}

	Member start(String name) throws IOException {
		int httpPort = freePort();
		int grpcPort = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(),
				"--server.port=" + httpPort, "--spring.grpc.server.port=" + grpcPort, "--hedge.node.address=127.0.0.1",
				"--sample.leader-task-rate=1s"));
		command.addAll(this.commonArgs);
		File log = Path.of("target", "it-logs", name + ".log").toFile();
		log.getParentFile().mkdirs();
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
		builder.environment().putAll(this.environment);
		Member member = new Member(name, builder.start(), httpPort, grpcPort);
		synchronized (this) {
			this.members.add(member);
		}
		return member;
	}

	/**
	 * Fails at once (with the end of its log) when one of the members has exited, instead of waiting out a timeout.
	 * @param expected the members that must be running
	 */
	void requireRunning(List<Member> expected) {
		for (Member member : expected) {
			if (!member.process.isAlive()) {
				String tail;
				try {
					List<String> lines = Files.readAllLines(Path.of("target", "it-logs", member.name + ".log"));
					tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
				}
				catch (IOException ex) {
					tail = "(no log: " + ex.getMessage() + ")";
				}
				throw new IllegalStateException(member + " exited with " + member.process.exitValue() + ":\n" + tail);
			}
		}
	}

	synchronized List<Member> alive() {
		return this.members.stream().filter((m) -> m.process.isAlive()).toList();
	}

	/** Posts the body the way {@code curl -d '<body>'} does: raw text labelled as a form. */
	HttpResponse<String> post(Member member, String path, String body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member.httpPort + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	Optional<JsonNode> hedge(Member member) {
		try {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + member.httpPort + "/actuator/hedge"))
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

	boolean isLeader(Member member) {
		return hedge(member).map((json) -> json.path("isLeader").asBoolean(false)).orElse(false);
	}

	int memberCount(Member member) {
		return hedge(member).map((json) -> json.path("members").size()).orElse(0);
	}

	Optional<Member> leader() {
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
