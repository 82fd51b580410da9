package dev.hedge.spring.actuate;

import java.util.Optional;

import dev.hedge.HedgeNode;
import dev.hedge.common.NotRunningException;

/**
 * Reads that never fail on a node that has not started (or has closed): the endpoint, the health indicator and the
 * meters answer with "not running" instead of an exception.
 */
final class NodeState {

	private NodeState() {
	}

	/**
	 * The node's id, known once it has started (also after it closed).
	 * @param node the node
	 * @return the id, or empty before start
	 */
	static Optional<String> id(HedgeNode node) {
		try {
			return Optional.of(node.nodeId());
		}
		catch (NotRunningException ex) {
			return Optional.empty();
		}
	}

}
