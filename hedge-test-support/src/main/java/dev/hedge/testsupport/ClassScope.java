package dev.hedge.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;

/** The test-class level of a JUnit context, where per-class resources live. */
final class ClassScope {

	private ClassScope() {
	}

	static ExtensionContext of(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

}
