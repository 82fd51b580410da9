package dev.hedge.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The boundaries of architecture.md §2, checked on the compiled classes. */
class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption((location) -> !location.contains("/dev/hedge/testsupport/"))
		.importPackages("dev.hedge");

	@Test
	void corePackagesImportNothingFromSpring() {
		noClasses().that()
			.resideInAPackage("dev.hedge..")
			.and()
			.resideOutsideOfPackage("dev.hedge.spring..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.check(CLASSES);
	}

	@Test
	void sqlAndStoreClientsStayInTheStoreAdapters() {
		noClasses().that()
			.resideInAPackage("dev.hedge..")
			.and()
			.resideOutsideOfPackages("dev.hedge.store.spanner..", "dev.hedge.store.jdbc..", "dev.hedge.store.mvstore..",
					"dev.hedge.spring..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("java.sql..", "javax.sql..", "com.google.cloud.spanner..", "org.h2..")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void featurePackagesHaveNoCycles() {
		slices().matching("dev.hedge.(*)..").should().beFreeOfCycles().check(CLASSES);
	}

}
