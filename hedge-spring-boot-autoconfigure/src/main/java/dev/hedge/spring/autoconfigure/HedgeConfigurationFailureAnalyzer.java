package dev.hedge.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.hedge.common.HedgeConfigurationException;

/** Reports invalid hedge configuration at start as the property at fault and what to do about it. */
class HedgeConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<HedgeConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, HedgeConfigurationException cause) {
		return new FailureAnalysis("Invalid hedge configuration: " + cause.getMessage(),
				"Fix the property '" + cause.getProperty() + "' (see the configuration table in hedge's README).", cause);
	}

}
