package dev.hedge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user-space TCP proxy that can break the link it stands on, switched at run time: pass bytes through, hold them
 * back (blackhole: connections stay open, nothing arrives, like a silent network), delay each chunk, or reset every
 * connection. Used in front of the Spanner emulator (member to store) and of members (member to member).
 *
 * <p>While its target is down, the proxy still accepts connections and leaves them open and silent (the target's
 * refusal is not passed on): a client's handshake hangs, as behind a sidecar or load balancer whose upstream is gone.
 *
 * <p>Threads: one acceptor ({@code fault-proxy-<port>-accept}) and two pumps per connection; all are daemons and stop
 * on {@link #close()}. Mode changes apply to bytes read after the change.
 */
public final class FaultProxy implements AutoCloseable {

	/** What the proxy does with the bytes it reads. */
	public enum Mode {

		/** Forward everything. */
		PASS,

		/** Read and discard everything; connections stay open and silent. */
		BLACKHOLE,

		/** Close every connection with a reset and refuse new ones until the mode changes. */
		RESET

	}

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicLong delayMillis = new AtomicLong();

	private volatile Mode mode = Mode.PASS;

	private volatile boolean closed;

	private FaultProxy(ServerSocket server, InetSocketAddress target) {
		this.server = server;
		this.target = target;
		Thread acceptor = new Thread(this::accept, "fault-proxy-" + server.getLocalPort() + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Starts a proxy on a free loopback port in front of {@code targetHost:targetPort}.
	 * @param targetHost the target host
	 * @param targetPort the target port
	 * @return the running proxy
	 */
	public static FaultProxy start(String targetHost, int targetPort) {
		try {
			ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
			return new FaultProxy(server, new InetSocketAddress(targetHost, targetPort));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts a proxy in front of a {@code host:port} address.
	 * @param hostPort the target
	 * @return the running proxy
	 */
	public static FaultProxy start(String hostPort) {
		int colon = hostPort.lastIndexOf(':');
		return start(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
	}

	/**
	 * The address clients should use.
	 * @return {@code 127.0.0.1:port}
	 */
	public String address() {
		return "127.0.0.1:" + this.server.getLocalPort();
	}

	/**
	 * The proxy's port.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Switches the mode; {@link Mode#RESET} also resets every open connection at once.
	 * @param mode the new mode
	 */
	public void mode(Mode mode) {
		this.mode = mode;
		if (mode == Mode.RESET) {
			for (Socket socket : this.sockets) {
				reset(socket);
			}
		}
	}

	/**
	 * The current mode.
	 * @return the mode
	 */
	public Mode mode() {
		return this.mode;
	}

	/**
	 * Delays every forwarded chunk by the given time (0 to stop delaying).
	 * @param millis the delay
	 */
	public void delay(long millis) {
		this.delayMillis.set(millis);
	}

	/**
	 * How many connections the proxy has accepted.
	 * @return the count
	 */
	public int connectionsAccepted() {
		return this.connections.get();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (this.mode == Mode.RESET) {
					reset(client);
					continue;
				}
				this.connections.incrementAndGet();
				Socket upstream = new Socket();
				upstream.connect(this.target, 5000);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				this.sockets.add(client);
				this.sockets.add(upstream);
				int id = this.connections.get();
				pump(client, upstream, "fault-proxy-" + port() + "-c" + id + "-up");
				pump(upstream, client, "fault-proxy-" + port() + "-c" + id + "-down");
			}
			catch (IOException ex) {
				if (this.closed) {
					return;
				}
			}
		}
	}

	private void pump(Socket from, Socket to, String name) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (from; to) {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				int read;
				while ((read = in.read(buffer)) >= 0) {
					long delay = this.delayMillis.get();
					if (delay > 0) {
						Thread.sleep(delay);
					}
					Mode current = this.mode;
					if (current == Mode.PASS) {
						out.write(buffer, 0, read);
						out.flush();
					}
					else if (current == Mode.RESET) {
						return;
					}
				}
			}
			catch (IOException ex) {
				// connection gone
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// ignore
		}
		for (Socket socket : this.sockets) {
			reset(socket);
		}
	}

}
