package dev.hedge.chain;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The chain package stays a plain Java library: no Spring, SQL or H2, and nothing of hedge's store adapters (the
 * MVStore store and the configuration stores depend on it, not the other way round); and the wire stays at its edge:
 * only the gRPC adapters ({@code ChainService}, {@code ChainClient}, {@code ChainWire}) and the composition root
 * ({@code ChainReplica}, which hands the service to the node) touch protobuf or gRPC. The protocol (configurations,
 * propagation, reads, the coordinator) and the store SPI are free of them.
 */
class ChainArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.hedge.chain");

	@Test
	void theChainPackageUsesNoFrameworkOrStorageClient() {
		noClasses().that()
			.resideInAPackage("dev.hedge.chain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..", "org.h2..", "dev.hedge.store..")
			.check(CLASSES);
	}

	@Test
	void onlyTheAdaptersTouchTheWire() {
		noClasses().that()
			.resideInAPackage("dev.hedge.chain..")
			.and()
			.haveNameNotMatching("dev\\.hedge\\.chain\\.(ChainService|ChainClient|ChainWire|ChainReplica)(\\$.*)?")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.google.protobuf..", "io.grpc..", "dev.hedge.transport.grpc.proto..")
			.check(CLASSES);
	}

}
