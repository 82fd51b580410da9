package dev.hedge.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Manifest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.HedgeDependencyException;

/**
 * Checks that the classpath's gRPC and protobuf runtimes can run hedge's generated code, before any generated class is
 * loaded. Without the check, a build that resolved google-cloud-spanner's older protobuf (Maven's nearest-wins, when
 * the application does not import {@code dev.hedge:hedge-dependencies}) fails deep inside the node's construction
 * with {@code NoClassDefFoundError: com/google/protobuf/RuntimeVersion$RuntimeDomain}.
 *
 * <p>The rules: every gRPC module on the classpath has the same version (mixed versions fail at run time in ways no
 * message explains); the protobuf runtime has the major version of the generated code and is not older than it
 * (protobuf's own compatibility rule). A gRPC older than the one hedge was built with is logged, not refused. Versions
 * are read from the jars' manifests, never by loading generated classes. Stateless and thread-safe; a check takes well
 * under a millisecond after the first.
 */
public final class RuntimeVersions {

	private static final Logger logger = LoggerFactory.getLogger(RuntimeVersions.class);

	/** gRPC modules hedge uses, each with one class that only it holds. */
	private static final Map<String, String> GRPC_MODULES = gRpcModules();

	private static volatile boolean checked;

	private RuntimeVersions() {
	}

	private static Map<String, String> gRpcModules() {
		Map<String, String> modules = new LinkedHashMap<>();
		modules.put("grpc-api", "io.grpc.ManagedChannel");
		modules.put("grpc-core", "io.grpc.internal.GrpcUtil");
		modules.put("grpc-stub", "io.grpc.stub.ClientCalls");
		modules.put("grpc-protobuf", "io.grpc.protobuf.ProtoUtils");
		modules.put("grpc-netty-shaded", "io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder");
		modules.put("grpc-netty", "io.grpc.netty.NettyServerBuilder");
		modules.put("grpc-util", "io.grpc.util.MutableHandlerRegistry");
		modules.put("grpc-services", "io.grpc.protobuf.services.ProtoReflectionService");
		return modules;
	}

	/**
	 * Fails when the classpath cannot run hedge's generated code (checked once per class loader of hedge).
	 * @throws HedgeDependencyException naming each library found, its version, and the fix
	 */
	public static void requireCompatible() {
		if (checked) {
			return;
		}
		Properties built = builtWith();
		ClassLoader loader = RuntimeVersions.class.getClassLoader();
		Map<String, String> found = grpcVersions(loader);
		String protobuf = protobufVersion(loader).orElse("unknown");
		Optional<String> problem = problem(found, protobuf, built.getProperty("grpc.version"),
				built.getProperty("protobuf.version"), built.getProperty("hedge.version"));
		if (problem.isPresent()) {
			throw new HedgeDependencyException(problem.get());
		}
		Version grpc = Version.parse(found.get("grpc-api"));
		if (grpc != null && grpc.compareTo(Version.parse(built.getProperty("grpc.version"))) < 0) {
			logger.warn("gRPC {} is older than the {} hedge is built and tested with", found.get("grpc-api"),
					built.getProperty("grpc.version"));
		}
		checked = true;
	}

	/**
	 * The versions of the gRPC modules on a class loader's classpath.
	 * @param loader the class loader
	 * @return module name to version, for the modules present
	 */
	static Map<String, String> grpcVersions(ClassLoader loader) {
		Map<String, String> found = new LinkedHashMap<>();
		GRPC_MODULES.forEach((module, className) -> versionOf(className, loader, "Implementation-Version")
			.ifPresent((version) -> found.put(module, version)));
		return found;
	}

	/**
	 * What is wrong with a set of runtime versions, if anything.
	 * @param grpcModules gRPC module name to the version found on the classpath
	 * @param protobuf the protobuf-java runtime version, or {@code unknown}
	 * @param builtGrpc the gRPC version hedge was built with
	 * @param builtProtobuf the protobuf version of hedge's generated code
	 * @param hedgeVersion hedge's own version (for the fix in the message)
	 * @return the problem and its fix, or empty when the versions can run hedge
	 */
	static Optional<String> problem(Map<String, String> grpcModules, String protobuf, String builtGrpc,
			String builtProtobuf, String hedgeVersion) {
		List<String> faults = new ArrayList<>();
		if (grpcModules.values().stream().distinct().count() > 1) {
			faults.add("gRPC modules of different versions: " + grpcModules);
		}
		Version needed = Version.parse(builtProtobuf);
		Version runtime = Version.parse(protobuf);
		if (runtime == null || runtime.major != needed.major || runtime.compareTo(needed) < 0) {
			faults.add("protobuf-java " + protobuf + ", but hedge's generated code needs " + needed.major + ".x, "
					+ builtProtobuf + " or newer");
		}
		if (faults.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of("hedge cannot run on this classpath: " + String.join("; ", faults) + ". hedge is built with"
				+ " gRPC " + builtGrpc + " and protobuf " + builtProtobuf + ". Import its BOM so that Maven resolves"
				+ " them: <dependencyManagement> with dev.hedge:hedge-dependencies:" + hedgeVersion
				+ " (type pom, scope import), before any other BOM that manages gRPC or protobuf (libraries-bom,"
				+ " spring-cloud-gcp-dependencies); with Gradle, implementation(platform(\"dev.hedge:hedge-dependencies:"
				+ hedgeVersion + "\")).");
	}

	static Optional<String> protobufVersion(ClassLoader loader) {
		try {
			Class<?> runtime = Class.forName("com.google.protobuf.RuntimeVersion", false, loader);
			return Optional.of(runtime.getField("MAJOR").get(null) + "." + runtime.getField("MINOR").get(null) + "."
					+ runtime.getField("PATCH").get(null));
		}
		catch (ClassNotFoundException ex) {
			// protobuf before 4.26 has no RuntimeVersion: its OSGi manifest still says which it is
			return versionOf("com.google.protobuf.Message", loader, "Bundle-Version");
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			return versionOf("com.google.protobuf.Message", loader, "Bundle-Version");
		}
	}

	/** The version in the manifest of the jar that holds the class, without loading the class. */
	private static Optional<String> versionOf(String className, ClassLoader loader, String attribute) {
		String path = className.replace('.', '/') + ".class";
		URL resource = loader.getResource(path);
		if (resource == null) {
			return Optional.empty();
		}
		String location = resource.toString();
		if (!location.startsWith("jar:") || !location.endsWith("!/" + path)) {
			return Optional.empty();
		}
		String manifest = location.substring(0, location.length() - path.length()) + "META-INF/MANIFEST.MF";
		try (InputStream in = new URL(manifest).openStream()) {
			return Optional.ofNullable(new Manifest(in).getMainAttributes().getValue(attribute)).map(String::strip);
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	static Properties builtWith() {
		Properties properties = new Properties();
		try (InputStream in = RuntimeVersions.class.getResourceAsStream("build-versions.properties")) {
			if (in == null) {
				throw new IllegalStateException("build-versions.properties is missing from hedge's jar");
			}
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

	/** major.minor.patch of a version string such as {@code 4.32.1} or {@code 33.4.0-jre}; null if not one. */
	record Version(int major, int minor, int patch) implements Comparable<Version> {

		static Version parse(String text) {
			if (text == null) {
				return null;
			}
			String[] parts = text.split("[.-]");
			try {
				return new Version(Integer.parseInt(parts[0]), (parts.length > 1) ? Integer.parseInt(parts[1]) : 0,
						(parts.length > 2) ? Integer.parseInt(parts[2]) : 0);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

		@Override
		public int compareTo(Version other) {
			int major = Integer.compare(this.major, other.major);
			if (major != 0) {
				return major;
			}
			int minor = Integer.compare(this.minor, other.minor);
			return (minor != 0) ? minor : Integer.compare(this.patch, other.patch);
		}

	}

}
