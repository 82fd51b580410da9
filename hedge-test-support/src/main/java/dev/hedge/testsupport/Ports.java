package dev.hedge.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers a test starts later (often in another process). Ports come from below Linux's ephemeral
 * range (32768+), so the outgoing connections of other tests cannot take a port between the check and the bind — the
 * race that {@code new ServerSocket(0)} leaves open. A port is handed out at most once per JVM. Thread-safe.
 */
public final class Ports {

	private static final int LOW = 20_000;

	private static final int HIGH = 32_700;

	private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

	private Ports() {
	}

	/**
	 * A port that was free on every interface just now and was not handed out before in this JVM.
	 * @return the port
	 */
	public static int free() {
		for (int attempt = 0; attempt < 1_000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
			if (GIVEN.add(port) && bindable(port)) {
				return port;
			}
		}
		throw new IllegalStateException("no free port in " + LOW + ".." + HIGH);
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(false);
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
