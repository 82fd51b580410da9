package dev.hedge.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A copy of the consumer application (README's "Using hedge in an application") built by a real Maven, outside this
 * build: its local repository holds only what {@code invoker:install} staged (hedge's artifacts as they would be
 * published, with the starter's dependencies); anything else comes from this build's own local repository (read as a
 * remote, releases only, so no stale hedge snapshot can leak in) or Maven Central. Not thread-safe.
 */
final class ConsumerProject {

	/** {@code group:artifact:type[:classifier]:version:scope}, as maven-dependency-plugin's list goal writes it. */
	private static final Pattern LISTED = Pattern
		.compile("^\\s+([\\w.\\-]+):([\\w.\\-]+):([\\w.\\-]+):(?:([\\w.\\-]+):)?([\\w.\\-]+):(compile|runtime|provided|system|test)\\b.*$");

	private static final AtomicInteger runs = new AtomicInteger();

	private final Path directory;

	private ConsumerProject(Path directory) {
		this.directory = directory;
	}

	/**
	 * Copies the consumer application into a fresh directory.
	 * @param name the directory's name under the work directory
	 * @param withoutBom whether to drop the import of hedge-dependencies (what a user who adds only the starter
	 * has), giving the starter a version of its own instead
	 * @return the copy
	 */
	static ConsumerProject copy(String name, boolean withoutBom) {
		Path source = Path.of(System.getProperty("hedge.consumer.app"));
		Path target = work().resolve(name);
		try {
			deleteRecursively(target);
			try (Stream<Path> files = Files.walk(source)) {
				for (Path file : files.toList()) {
					Path to = target.resolve(source.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(to);
					}
					else {
						Files.copy(file, to);
					}
				}
			}
			if (withoutBom) {
				Path pom = target.resolve("pom.xml");
				String text = Files.readString(pom);
				String stripped = text.replaceAll("(?s)\\s*<dependencyManagement>.*?</dependencyManagement>", "")
					.replace("<artifactId>hedge-spring-boot-starter</artifactId>",
							"<artifactId>hedge-spring-boot-starter</artifactId>\n      <version>" + hedgeVersion(text)
									+ "</version>");
				if (stripped.equals(text) || stripped.contains("hedge-dependencies")) {
					throw new IllegalStateException("the consumer pom no longer has the expected BOM import");
				}
				Files.writeString(pom, stripped);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new ConsumerProject(target);
	}

	private static String hedgeVersion(String pom) {
		Matcher matcher = Pattern.compile("<artifactId>hedge-dependencies</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(pom);
		if (!matcher.find()) {
			throw new IllegalStateException("no hedge-dependencies version in the consumer pom");
		}
		return matcher.group(1);
	}

	static Path work() {
		return Path.of(System.getProperty("hedge.consumer.work", "target/consumer-runs"));
	}

	Path directory() {
		return this.directory;
	}

	/** @return the application jar {@code mvn package} built */
	Path jar() {
		try (Stream<Path> jars = Files.list(this.directory.resolve("target"))) {
			return jars.filter((p) -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Runs Maven in the project.
	 * @param arguments goals and options
	 * @return the outcome
	 */
	MavenRun maven(String... arguments) {
		Path mavenHome = Path.of(System.getProperty("hedge.consumer.maven-home"));
		Path log = this.directory.resolve("maven-" + runs.incrementAndGet() + ".log");
		List<String> command = new ArrayList<>(List.of(mavenHome.resolve("bin").resolve("mvn").toString(), "-B",
				"-gs", settings().toString(), "-Dmaven.repo.local=" + System.getProperty("hedge.consumer.repository")));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().remove("MAVEN_ARGS");
		builder.environment().remove("MAVEN_CONFIG");
		try {
			Process process = builder.start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("Maven ran for over 10 minutes: " + command + "; log " + log);
			}
			return new MavenRun(command, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Global settings: this build's local repository as a read-only remote for releases, before Maven Central. */
	private static Path settings() {
		Path settings = work().resolve("consumer-settings.xml");
		String outer = Path.of(System.getProperty("hedge.consumer.outer-repository")).toUri().toString();
		String repository = """
				<id>build-cache</id>
				<url>%s</url>
				<releases><enabled>true</enabled></releases>
				<snapshots><enabled>false</enabled></snapshots>""".formatted(outer);
		String xml = """
				<settings>
				  <profiles>
				    <profile>
				      <id>hedge-consumer-test</id>
				      <repositories><repository>%s</repository></repositories>
				      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
				    </profile>
				  </profiles>
				  <activeProfiles><activeProfile>hedge-consumer-test</activeProfile></activeProfiles>
				</settings>
				""".formatted(repository, repository);
		try {
			Files.createDirectories(settings.getParent());
			Files.writeString(settings, xml);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return settings;
	}

	/**
	 * Reads a file maven-dependency-plugin's {@code list} goal wrote.
	 * @param file the file
	 * @return {@code group:artifact:type[:classifier]} to version, pom-type entries left out
	 */
	static Map<String, String> listedVersions(Path file) {
		Map<String, String> versions = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(file)) {
				Matcher matcher = LISTED.matcher(line);
				if (matcher.matches() && !"pom".equals(matcher.group(3))) {
					String key = matcher.group(1) + ":" + matcher.group(2) + ":" + matcher.group(3)
							+ ((matcher.group(4) != null) ? ":" + matcher.group(4) : "");
					versions.put(key, matcher.group(5));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return versions;
	}

	/**
	 * Reads the {@code dependencyManagement} of an effective POM (maven-help-plugin's {@code effective-pom}).
	 * @param file the effective POM
	 * @return {@code group:artifact} to the managed version
	 */
	static Map<String, String> managedVersions(Path file) {
		Map<String, String> versions = new LinkedHashMap<>();
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			Document document = factory.newDocumentBuilder().parse(file.toFile());
			NodeList managements = document.getElementsByTagName("dependencyManagement");
			for (int m = 0; m < managements.getLength(); m++) {
				NodeList dependencies = ((Element) managements.item(m)).getElementsByTagName("dependency");
				for (int d = 0; d < dependencies.getLength(); d++) {
					Element dependency = (Element) dependencies.item(d);
					versions.put(text(dependency, "groupId") + ":" + text(dependency, "artifactId"),
							text(dependency, "version"));
				}
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot read " + file, ex);
		}
		return versions;
	}

	private static String text(Element parent, String tag) {
		NodeList nodes = parent.getElementsByTagName(tag);
		return (nodes.getLength() > 0) ? nodes.item(0).getTextContent().strip() : "";
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> files = Files.walk(path)) {
			for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
				Files.delete(file);
			}
		}
	}

	/**
	 * One Maven run.
	 * @param command the command line
	 * @param exitCode its exit code
	 * @param output what it printed
	 * @param log where that is kept
	 */
	record MavenRun(List<String> command, int exitCode, String output, Path log) {

		MavenRun requireSuccess() {
			if (this.exitCode != 0) {
				List<String> lines = this.output.lines().toList();
				throw new AssertionError("Maven failed (exit " + this.exitCode + "): " + this.command + "\n"
						+ String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
			}
			return this;
		}

	}

}
