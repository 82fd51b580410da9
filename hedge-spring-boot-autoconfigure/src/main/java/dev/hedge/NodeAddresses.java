package dev.hedge;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the host part of a node id: {@code hedge.node.address} when set, else the {@code POD_IP} environment
 * variable (Kubernetes downward API), else — when member calls are authenticated, or explicitly not
 * ({@code hedge.security.mode=none}) — the first site-local IPv4 address of an up, non-loopback interface, else the
 * loopback address (secure by default: an unauthenticated member is not advertised to other machines).
 */
final class NodeAddresses {

	private static final Logger logger = LoggerFactory.getLogger(NodeAddresses.class);

	private NodeAddresses() {
	}

	static String resolve(String configured, boolean siteLocalDefault) {
		return resolve(configured, System.getenv(), siteLocalDefault);
	}

	static String resolve(String configured, Map<String, String> environment, boolean siteLocalDefault) {
		if (configured != null && !configured.isBlank()) {
			return configured.trim();
		}
		String podIp = environment.get("POD_IP");
		if (podIp != null && !podIp.isBlank()) {
			return podIp.trim();
		}
		if (!siteLocalDefault) {
			return "127.0.0.1";
		}
		return firstSiteLocalIpv4().orElseGet(() -> {
			logger.warn("No site-local IPv4 address found; advertising 127.0.0.1 (set hedge.node.address)");
			return "127.0.0.1";
		});
	}

	static Optional<String> firstSiteLocalIpv4() {
		try {
			for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!nic.isUp() || nic.isLoopback()) {
					continue;
				}
				for (InetAddress address : Collections.list(nic.getInetAddresses())) {
					if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
						return Optional.of(address.getHostAddress());
					}
				}
			}
		}
		catch (SocketException ex) {
			logger.debug("Could not list network interfaces", ex);
		}
		return Optional.empty();
	}

}
