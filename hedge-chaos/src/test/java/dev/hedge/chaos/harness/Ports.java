package dev.hedge.chaos.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for member servers, taken below the kernel's ephemeral range (32768 and up on Linux), so that an outgoing
 * connection (of a proxy, a gRPC channel, the emulator client) can never hold the port a restarted member must bind
 * again. Each port is checked free when handed out.
 */
final class Ports {

	private static final AtomicInteger NEXT = new AtomicInteger(20_000 + (int) (ProcessHandle.current().pid() % 50) * 200);

	private Ports() {
	}

	static int next() {
		for (int i = 0; i < 10_000; i++) {
			int port = NEXT.getAndIncrement();
			if (port >= 32_000) {
				NEXT.set(20_000);
				continue;
			}
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
				return port;
			}
			catch (IOException ex) {
				// taken: try the next one
			}
		}
		throw new IllegalStateException("no free port in 20000..32000");
	}

}
