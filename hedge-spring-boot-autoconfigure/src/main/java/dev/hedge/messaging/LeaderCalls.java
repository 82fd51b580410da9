package dev.hedge.messaging;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.grpc.Channel;

import dev.hedge.membership.LeaderRouter;
import dev.hedge.transport.grpc.PeerChannels;

/**
 * Calls the leader — any leader-bound request (send, put, semaphore operations) goes through here. The target comes
 * from memory ({@link LeaderRouter}); when this node leads, the local path runs instead of a network hop. A NOT_LEADER
 * answer re-routes once to the leader it names; {@link #withRetry} repeats retryable failures with exponential backoff
 * and jitter (resilience4j) until attempts or the deadline run out, and every attempt really goes out. Thread-safe.
 */
public final class LeaderCalls {

	private final String self;

	private final LeaderRouter router;

	private final PeerChannels channels;

	/**
	 * Creates the helper.
	 * @param self this node's id
	 * @param router where the leader is
	 * @param channels the peer channels
	 */
	public LeaderCalls(String self, LeaderRouter router, PeerChannels channels) {
		this.self = self;
		this.router = router;
		this.channels = channels;
	}

	/** A leader-bound call. */
	public interface Call<T> {

		/**
		 * Runs the call on this node (it leads).
		 * @param timeout what is left of the deadline
		 * @return the result
		 */
		T local(Duration timeout);

		/**
		 * Runs the call on the leader over a channel; the stub call must carry {@code timeout} as its deadline.
		 * @param channel a channel to the leader
		 * @param timeout what is left of the deadline
		 * @return the result
		 */
		T remote(Channel channel, Duration timeout);

	}

	/**
	 * One attempt, re-routed once on a NOT_LEADER hint.
	 * @param <T> the result type
	 * @param call the call
	 * @param timeout the deadline of the whole call
	 * @return the result
	 * @throws MessagingException typed by cause
	 */
	public <T> T once(Call<T> call, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String target = this.router.leader().orElseThrow(NoLeaderException::new);
		try {
			return attempt(call, target, deadline);
		}
		catch (NotLeaderException ex) {
			Optional<String> hint = ex.getLeaderHint();
			if (hint.isPresent() && !hint.get().equals(target) && System.nanoTime() < deadline) {
				this.router.hint(hint.get(), ex.getEpoch());
				return attempt(call, this.router.leader().orElse(hint.get()), deadline);
			}
			throw ex;
		}
	}

	private <T> T attempt(Call<T> call, String target, long deadline) {
		Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
		if (target.equals(this.self)) {
			try {
				return call.local(left);
			}
			catch (MessagingException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				// the same typed failure a remote caller would get
				throw Errors.from(this.self, Failures.of(this.self, ex, null, this.router.epoch()).toException());
			}
		}
		try {
			return call.remote(this.channels.channel(target), left);
		}
		catch (RuntimeException ex) {
			MessagingException error = Errors.from(target, ex);
			if (error instanceof NotLeaderException notLeader) {
				notLeader.getLeaderHint().ifPresent((hint) -> this.router.hint(hint, notLeader.getEpoch()));
			}
			throw error;
		}
	}

	/**
	 * Repeats {@link #once} while failures are retryable and the policy allows.
	 * @param <T> the result type
	 * @param call the call
	 * @param policy attempts, deadline and backoff
	 * @param perAttempt the deadline of one attempt (cut to what is left of the policy's deadline)
	 * @param retryTimeouts whether an attempt that timed out (outcome unknown) is retried: only for idempotent calls
	 * @return the result
	 * @throws MessagingException the last failure; a {@link MemberUnavailableException} with
	 * {@link MemberUnavailableException#isTimeout()} ("outcome unknown") whenever any attempt's outcome was unknown,
	 * whatever the last attempt's failure was
	 */
	public <T> T withRetry(Call<T> call, SendOptions policy, Duration perAttempt, boolean retryTimeouts) {
		return withRetry(call, policy, perAttempt, retryTimeouts, () -> {
		});
	}

	/**
	 * {@link #withRetry(Call, SendOptions, Duration, boolean)}, telling {@code onUnknownOutcome} each time an attempt
	 * ends with an unknown outcome (it timed out: the leader may have acted on it), also when a later attempt succeeds
	 * — so that a caller that gets a refusal after such an attempt knows the refusal does not cover it.
	 * @param <T> the result type
	 * @param call the call
	 * @param policy attempts, deadline and backoff
	 * @param perAttempt the deadline of one attempt
	 * @param retryTimeouts whether an attempt that timed out is retried
	 * @param onUnknownOutcome called on the calling thread after each attempt of unknown outcome
	 * @return the result
	 * @throws MessagingException the last failure, reported as of unknown outcome if any attempt's was
	 */
	public <T> T withRetry(Call<T> call, SendOptions policy, Duration perAttempt, boolean retryTimeouts,
			Runnable onUnknownOutcome) {
		long deadline = System.nanoTime() + policy.deadline().toNanos();
		AtomicBoolean unknown = new AtomicBoolean();
		Predicate<Throwable> retryable = (error) -> error instanceof MessagingException messaging
				&& messaging.isRetryable()
				&& (retryTimeouts || !unknownOutcome(error))
				&& deadline - System.nanoTime() > policy.initialBackoff().toNanos();
		RetryConfig config = RetryConfig.custom()
			.maxAttempts((policy.maxAttempts() == 0) ? Integer.MAX_VALUE : policy.maxAttempts())
			.intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.initialBackoff(), 2.0, 0.5,
					policy.maxBackoff()))
			.retryOnException(retryable)
			.failAfterMaxAttempts(false)
			.build();
		try {
			return Retry.decorateCheckedSupplier(Retry.of("hedge-leader-call", config), () -> {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new MemberUnavailableException("leader", "deadline passed", true, null);
				}
				try {
					return once(call, Duration.ofNanos(Math.min(left, perAttempt.toNanos())));
				}
				catch (RuntimeException ex) {
					if (unknownOutcome(ex)) {
						unknown.set(true);
						onUnknownOutcome.run();
					}
					throw ex;
				}
			}).get();
		}
		catch (RuntimeException ex) {
			MessagingException failure = (ex instanceof MessagingException messaging) ? messaging
					: new MessagingException("leader call failed: " + ex, ex, false);
			if (unknown.get() && !unknownOutcome(failure)) {
				// an earlier attempt may have been applied: the caller must not take this failure as "not done"
				throw new MemberUnavailableException("leader", "outcome unknown: an earlier attempt timed out; the last"
						+ " one failed with " + failure.getMessage(), true, failure);
			}
			throw failure;
		}
		catch (Throwable ex) {
			throw new MessagingException("leader call failed: " + ex, ex, false);
		}
	}

	private static boolean unknownOutcome(Throwable error) {
		return error instanceof MemberUnavailableException unavailable && unavailable.isTimeout();
	}

}
