package dev.hedge.sos;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Arrow stays optional: only {@code dev.hedge.sos} uses it, and only in package-private classes, so the public API
 * (and everything that refers to it, such as {@code HedgeNode}) loads without Arrow on the classpath.
 */
class SosArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.hedge");

	@Test
	void onlyTheSosPackageUsesArrow() {
		noClasses().that()
			.resideOutsideOfPackage("dev.hedge.sos")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.apache.arrow..")
			.check(CLASSES);
	}

	@Test
	void publicSosTypesAreArrowFree() {
		noClasses().that()
			.resideInAPackage("dev.hedge.sos")
			.and()
			.arePublic()
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.apache.arrow..")
			.check(CLASSES);
	}

	@Test
	void theSosCoreIsSpringFree() {
		noClasses().that()
			.resideInAPackage("dev.hedge.sos")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.check(CLASSES);
	}

}
