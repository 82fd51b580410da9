package dev.hedge.transport.grpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RuntimeVersionsTests {

	@Test
	void theBuildsOwnClasspathPasses() {
		assertThatNoException().isThrownBy(RuntimeVersions::requireCompatible);
	}

	@Test
	void versionsAreReadFromTheJarsOnTheClasspath() {
		Properties built = RuntimeVersions.builtWith();
		ClassLoader loader = getClass().getClassLoader();
		assertThat(RuntimeVersions.grpcVersions(loader)).containsEntry("grpc-api", built.getProperty("grpc.version"))
			.containsEntry("grpc-core", built.getProperty("grpc.version"))
			.containsEntry("grpc-netty-shaded", built.getProperty("grpc.version"));
		assertThat(RuntimeVersions.protobufVersion(loader)).hasValue(built.getProperty("protobuf.version"));
	}

	@Test
	void matchingVersionsPass() {
		assertThat(RuntimeVersions.problem(grpc("1.76.3", "1.76.3"), "4.32.1", "1.76.3", "4.32.1", "0.1.0")).isEmpty();
	}

	@Test
	void newerProtobufOfTheSameMajorPasses() {
		assertThat(RuntimeVersions.problem(grpc("1.81.0", "1.81.0"), "4.36.2", "1.76.3", "4.32.1", "0.1.0")).isEmpty();
	}

	@Test
	void theResolutionOfAnAppWithoutTheBomFailsNamingTheFix() {
		// what a Boot app that adds only the starter resolved: google-cloud-spanner's gRPC and protobuf won
		Optional<String> problem = RuntimeVersions.problem(grpc("1.70.0", "1.76.3"), "3.25.5", "1.76.3", "4.32.1",
				"0.1.0-SNAPSHOT");
		assertThat(problem).hasValueSatisfying((message) -> assertThat(message)
			.contains("gRPC modules of different versions: {grpc-api=1.70.0, grpc-protobuf=1.76.3}")
			.contains("protobuf-java 3.25.5, but hedge's generated code needs 4.x, 4.32.1 or newer")
			.contains("dev.hedge:hedge-dependencies:0.1.0-SNAPSHOT (type pom, scope import)"));
	}

	@Test
	void anOlderProtobufOfTheSameMajorFails() {
		assertThat(RuntimeVersions.problem(grpc("1.76.3", "1.76.3"), "4.29.3", "1.76.3", "4.32.1", "0.1.0"))
			.hasValueSatisfying((message) -> assertThat(message).contains("protobuf-java 4.29.3"));
	}

	@Test
	void anUnreadableProtobufVersionFails() {
		assertThat(RuntimeVersions.problem(grpc("1.76.3", "1.76.3"), "unknown", "1.76.3", "4.32.1", "0.1.0"))
			.hasValueSatisfying((message) -> assertThat(message).contains("protobuf-java unknown"));
	}

	@Test
	void versionsParseWithQualifiers() {
		assertThat(RuntimeVersions.Version.parse("33.4.0-jre")).isEqualTo(new RuntimeVersions.Version(33, 4, 0));
		assertThat(RuntimeVersions.Version.parse("4.32")).isEqualTo(new RuntimeVersions.Version(4, 32, 0));
		assertThat(RuntimeVersions.Version.parse("x.y")).isNull();
		assertThat(RuntimeVersions.Version.parse("4.32.1").compareTo(RuntimeVersions.Version.parse("4.32.10")))
			.isNegative();
	}

	private static Map<String, String> grpc(String api, String protobuf) {
		Map<String, String> modules = new LinkedHashMap<>();
		modules.put("grpc-api", api);
		modules.put("grpc-protobuf", protobuf);
		return modules;
	}

}
