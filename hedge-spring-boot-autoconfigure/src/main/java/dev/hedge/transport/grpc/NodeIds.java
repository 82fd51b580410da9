package dev.hedge.transport.grpc;

/** Reads member ids ({@code host:port}, IPv6 hosts in brackets). Stateless. */
final class NodeIds {

	private NodeIds() {
	}

	/**
	 * The host part of a member id, without IPv6 brackets.
	 * @param id the id
	 * @return the host
	 */
	static String host(String id) {
		int colon = id.lastIndexOf(':');
		String host = (colon > 0) ? id.substring(0, colon) : id;
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		return host;
	}

	/**
	 * Whether a host is an IPv4 or IPv6 literal (so comparing it with an address needs no name lookup).
	 * @param host the host
	 * @return whether it is a literal
	 */
	static boolean isIpLiteral(String host) {
		return host.matches("[0-9.]+|[0-9a-fA-F:]+");
	}

}
