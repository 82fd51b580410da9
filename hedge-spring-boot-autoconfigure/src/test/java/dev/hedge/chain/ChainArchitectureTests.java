package dev.hedge.chain;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The chain store SPI stays a plain Java library: no Spring, protobuf, gRPC, SQL or H2, and nothing of hedge's store
 * adapters (the MVStore store depends on it, not the other way round).
 */
class ChainArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.hedge.chain");

	@Test
	void theChainPackageUsesNoFrameworkTransportOrStorageClient() {
		noClasses().that()
			.resideInAPackage("dev.hedge.chain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.google.protobuf..", "io.grpc..", "java.sql..",
					"javax.sql..", "org.h2..", "dev.hedge.store..")
			.check(CLASSES);
	}

}
