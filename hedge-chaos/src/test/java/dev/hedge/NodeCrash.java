package dev.hedge;

/**
 * Test access to {@link HedgeNode}'s package-private halt from the chaos module: stops a node at once, without leaving
 * or releasing anything, as if its process had died (its threads and gRPC server stop; members see it fall silent).
 */
public final class NodeCrash {

	private NodeCrash() {
	}

	/**
	 * Halts a node.
	 * @param node the node
	 */
	public static void halt(HedgeNode node) {
		node.halt();
	}

}
