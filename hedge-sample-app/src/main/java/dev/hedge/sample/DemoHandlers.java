package dev.hedge.sample;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import dev.hedge.election.LeadershipEvent;
import dev.hedge.messaging.StreamSession;
import dev.hedge.spring.annotation.BroadcastHandler;
import dev.hedge.spring.annotation.LeaderHandler;
import dev.hedge.spring.annotation.OnLeader;
import dev.hedge.spring.autoconfigure.HedgeNodeCustomizer;

/**
 * The handlers of the demo, as in hedge-Go's example: the leader answers {@code hello <msg>}, every member answers
 * broadcasts with {@code broadcast <msg>}; streams are echoed upper-cased; a task runs only on the leader.
 */
@Component
public class DemoHandlers {

	private static final Logger logger = LoggerFactory.getLogger(DemoHandlers.class);

	private final AtomicLong leaderTicks = new AtomicLong();

	@LeaderHandler
	public String hello(String message) {
		return "hello " + message;
	}

	@BroadcastHandler
	public String broadcast(String message) {
		return "broadcast " + message;
	}

	/**
	 * Runs every 10 seconds, only on the leader; it stops the moment leadership moves.
	 * @param grant the grant of the current term (its epoch is a fencing token)
	 */
	@OnLeader(fixedRate = "${sample.leader-task-rate:10s}")
	public void leaderTask(LeadershipEvent grant) {
		long tick = this.leaderTicks.incrementAndGet();
		logger.info("Leader task tick {} in epoch {}", tick, grant.epoch());
	}

	/**
	 * How many times the leader task ran in this instance.
	 * @return the count
	 */
	public long leaderTicks() {
		return this.leaderTicks.get();
	}

	/**
	 * Stream handlers: each stream to the leader (or broadcast stream) gets its own session that echoes every line
	 * upper-cased and, at the end of input, the number of lines.
	 * @return the customizer registering them
	 */
	@Bean
	static HedgeNodeCustomizer demoStreams() {
		return (builder) -> builder.leaderStreamHandler((context) -> new UpperCaseSession(context))
			.broadcastStreamHandler((context) -> new UpperCaseSession(context));
	}

	private static final class UpperCaseSession implements StreamSession {

		private final dev.hedge.messaging.StreamContext context;

		private int lines;

		UpperCaseSession(dev.hedge.messaging.StreamContext context) {
			this.context = context;
		}

		@Override
		public void onMessage(byte[] message) {
			this.lines++;
			this.context.reply(new String(message, java.nio.charset.StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
				.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

		@Override
		public void onEnd() {
			this.context.reply(("end " + this.lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

	}

}
