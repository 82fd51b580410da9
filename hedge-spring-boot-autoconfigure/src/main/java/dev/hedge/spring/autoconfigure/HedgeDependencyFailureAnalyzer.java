package dev.hedge.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.hedge.common.HedgeDependencyException;

/** Reports gRPC or protobuf versions hedge cannot run on, with the BOM import that fixes them. */
class HedgeDependencyFailureAnalyzer extends AbstractFailureAnalyzer<HedgeDependencyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, HedgeDependencyException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Import dev.hedge:hedge-dependencies in your build's dependency management (see 'Using hedge in an"
						+ " application' in hedge's README), then check with 'mvn dependency:tree -Dincludes=io.grpc,"
						+ "com.google.protobuf' that every gRPC module has one version.",
				cause);
	}

}
