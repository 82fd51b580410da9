package dev.hedge.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

import dev.hedge.HedgeNode;

/**
 * Starts and stops the hedge node with the application.
 *
 * <p>Start: when the application's gRPC server serves hedge's services, the node starts as soon as that server
 * reports its port ({@link #serverStarted(int)}, called for Spring gRPC's {@code GrpcServerStartedEvent}); without a
 * Spring gRPC server, the node starts its own server in {@link #start()}.
 *
 * <p>Stop: on {@link ContextClosedEvent} — published before any lifecycle bean stops, so before the gRPC server
 * closes — the node hands over: leader-only work stops, the lease is released, members are told, the node leaves the
 * group. A rolling restart therefore hands leadership over in well under a second. {@link #stop()} does the same if
 * the event was missed. Phase {@link #PHASE}.
 */
public class HedgeLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

	/** Lifecycle phase: late start, early stop (the Spring gRPC server uses {@code Integer.MAX_VALUE}). */
	public static final int PHASE = Integer.MAX_VALUE - 1000;

	private static final Logger logger = LoggerFactory.getLogger(HedgeLifecycle.class);

	private final HedgeNode node;

	private final boolean ownServer;

	private volatile boolean running;

	private ApplicationContext context;

	/**
	 * Creates the lifecycle.
	 * @param node the node
	 * @param ownServer whether the node runs its own gRPC server (no Spring gRPC server in the application)
	 */
	public HedgeLifecycle(HedgeNode node, boolean ownServer) {
		this.node = node;
		this.ownServer = ownServer;
	}

	/**
	 * Called when the application's gRPC server listens.
	 * @param port its port (ignored unless positive: in-process servers report none)
	 */
	public void serverStarted(int port) {
		if (this.ownServer || port <= 0 || this.node.isRunning()) {
			return;
		}
		logger.debug("gRPC server listens on port {}; starting hedge", port);
		this.node.start(port);
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			close();
		}
	}

	@Override
	public void start() {
		this.running = true;
		if (this.ownServer && !this.node.isRunning()) {
			this.node.start();
		}
	}

	@Override
	public void stop() {
		close();
	}

	private void close() {
		this.running = false;
		this.node.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
