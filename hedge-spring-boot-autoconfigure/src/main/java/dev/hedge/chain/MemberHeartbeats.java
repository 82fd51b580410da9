package dev.hedge.chain;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.Ticker;
import dev.hedge.membership.LeaderRouter;
import dev.hedge.transport.grpc.Failure;

/**
 * This member's heartbeats to the coordinator (the leader), every heartbeat interval and at once when something
 * changed (caught up, leaving, a configuration that makes it serve): each tells the coordinator the member's
 * incarnation, the configuration it holds and its catch-up state, and brings back the coordinator's configuration and
 * a read lease, counted from when the heartbeat was sent. The leader's own heartbeats go to its coordinator directly.
 *
 * <p>Threading: sends run on the chain's timer thread ({@code hedge-<group>-chain}); answers are handled on the I/O
 * threads. Stopped with the timer.
 */
final class MemberHeartbeats {

	private static final Logger logger = LoggerFactory.getLogger(MemberHeartbeats.class);

	/** Immediate heartbeats are sent at most this often. */
	private static final long SOON_MILLIS = 20;

	private final ChainParts parts;

	private final LeaderRouter router;

	private final Function<Heartbeat, Heartbeat.Answer> coordinator;

	private final Consumer<ChainConfig> adopt;

	private final CatchUp catchUp;

	private final Duration interval;

	private final Ticker ticker;

	private final AtomicLong lastSoon = new AtomicLong();

	/**
	 * @param coordinator the local coordinator's answer to a heartbeat (null when it does not coordinate)
	 */
	MemberHeartbeats(ChainParts parts, LeaderRouter router, Function<Heartbeat, Heartbeat.Answer> coordinator,
			Consumer<ChainConfig> adopt, CatchUp catchUp, Duration interval, Ticker ticker) {
		this.parts = parts;
		this.router = router;
		this.coordinator = coordinator;
		this.adopt = adopt;
		this.catchUp = catchUp;
		this.interval = interval;
		this.ticker = ticker;
	}

	void start() {
		schedule(this::tick, 0);
	}

	private void tick() {
		try {
			send();
		}
		catch (RuntimeException ex) {
			logger.warn("Chain heartbeat of {} failed", this.parts.self().id(), ex);
		}
		schedule(this::tick, this.interval.toMillis());
	}

	/** Sends a heartbeat at once (rate-limited). */
	void soon() {
		long now = this.ticker.nanoTime();
		long last = this.lastSoon.get();
		if (now - last < TimeUnit.MILLISECONDS.toNanos(SOON_MILLIS) && last != 0) {
			schedule(this::send, SOON_MILLIS);
			return;
		}
		this.lastSoon.set(now);
		schedule(this::send, 0);
	}

	private void schedule(Runnable task, long delayMillis) {
		try {
			this.parts.timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	/** Sends one heartbeat now. */
	void send() {
		Optional<String> leader = this.router.leader();
		if (leader.isEmpty()) {
			return;
		}
		ChainView view = this.parts.view;
		ChainConfig held = view.config();
		Heartbeat heartbeat = new Heartbeat(view.self(), held.version(),
				this.catchUp.caughtUp() && view.self().sameAs(held.syncing()), view.isLeaving());
		long sent = this.ticker.nanoTime();
		if (leader.get().equals(view.self().id())) {
			Heartbeat.Answer answer = this.coordinator.apply(heartbeat);
			if (answer != null) {
				this.parts.run(() -> answered(sent, answer));
			}
			return;
		}
		this.parts.client.heartbeat(leader.get(), this.parts.hop(), heartbeat).whenComplete((answer, error) -> {
			if (answer != null) {
				answered(sent, answer);
			}
			else if (error instanceof ChainHopException hop) {
				Failure failure = hop.failure();
				if (failure.kind() == Failure.Kind.NOT_LEADER) {
					this.router.hint(failure.leaderHint(), failure.leaderEpoch());
				}
				logger.debug("Chain heartbeat of {} to {} failed: {}", view.self().id(), leader.get(), failure);
			}
		});
	}

	private void answered(long sent, Heartbeat.Answer answer) {
		this.adopt.accept(answer.config());
		this.parts.view.grant(sent, answer.leaseMillis());
	}

}
