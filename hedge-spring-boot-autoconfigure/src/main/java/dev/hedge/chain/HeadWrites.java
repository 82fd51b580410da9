package dev.hedge.chain;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.hedge.chain.ChainRefusedException.Reason;

/**
 * The head's side of writes: takes the writes of each key one at a time (a key has at most one pending version, and
 * versions are assigned in the order writes are taken), answers a retried write id with the version it already got,
 * checks compare-and-set conditions, assigns version = committed + 1, stages it and waits for its commit at the tail
 * ({@link Propagations}). A pending version left by an earlier head is committed before the next write of its key is
 * taken. Refuses beyond {@link ChainOptions#maxWritesInFlight()} writes at once.
 *
 * <p>Threading: thread-safe and non-blocking: each key's writes are chained futures, completed on the chain's I/O
 * threads.
 */
final class HeadWrites {

	private final ChainParts parts;

	private final Propagations propagations;

	private final ConcurrentHashMap<String, CompletableFuture<?>> queues = new ConcurrentHashMap<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	HeadWrites(ChainParts parts, Propagations propagations) {
		this.parts = parts;
		this.propagations = propagations;
	}

	/**
	 * Takes a write sent to this member as head.
	 * @param config the configuration the write was sent under (checked by the caller)
	 * @param key the key
	 * @param value the value
	 * @param writeId the write id
	 * @param expected the compare-and-set condition, if any
	 * @return completes with the version once committed; fails with a {@link ChainRefusedException}
	 * @throws ChainRefusedException at once when this member is not the head or is overloaded
	 */
	CompletableFuture<Long> write(ChainConfig config, String key, byte[] value, String writeId,
			OptionalLong expected) {
		requireHead(config);
		if (this.inFlight.incrementAndGet() > this.parts.options.maxWritesInFlight()) {
			this.inFlight.decrementAndGet();
			throw new ChainRefusedException(Reason.OVERLOADED, this.parts.self().id() + " has "
					+ this.parts.options.maxWritesInFlight() + " writes in flight");
		}
		CompletableFuture<Long> result = enqueue(key, () -> take(key, value, writeId, expected));
		result.whenComplete((version, error) -> this.inFlight.decrementAndGet());
		return result;
	}

	private void requireHead(ChainConfig config) {
		if (!config.head().map(this.parts.self()::sameAs).orElse(false)) {
			throw new ChainRefusedException(Reason.WRONG_ROLE, this.parts.self().id()
					+ " is not the head in configuration " + config.version(), config, 0);
		}
	}

	private <T> CompletableFuture<T> enqueue(String key, Supplier<CompletableFuture<T>> task) {
		CompletableFuture<T> next = new CompletableFuture<>();
		CompletableFuture<?> previous = this.queues.put(key, next);
		CompletableFuture<?> before = (previous != null) ? previous : CompletableFuture.completedFuture(null);
		before.whenComplete((ignored, error) -> {
			try {
				task.get().whenComplete((value, failure) -> {
					if (failure != null) {
						next.completeExceptionally(unwrap(failure));
					}
					else {
						next.complete(value);
					}
				});
			}
			catch (RuntimeException ex) {
				next.completeExceptionally(ex);
			}
		});
		next.whenComplete((value, error) -> this.queues.remove(key, next));
		return next;
	}

	/** Runs when the key's previous write is done. */
	private CompletableFuture<Long> take(String key, byte[] value, String writeId, OptionalLong expected) {
		requireHead(this.parts.view.config());
		ChainStore store = this.parts.store();
		Optional<KeyEntry> entry = store.entry(key);
		long committed = entry.map(KeyEntry::committedVersion).orElse(0L);
		OptionalLong recorded = entry.map((e) -> e.findWrite(writeId)).orElse(OptionalLong.empty());
		if (recorded.isPresent()) {
			long version = recorded.getAsLong();
			return (version <= committed) ? CompletableFuture.completedFuture(version)
					: this.propagations.track(key, version).thenApply((ignored) -> version);
		}
		if (entry.isPresent() && entry.get().isDirty()) {
			// an earlier head's write: commit it first, then take this one
			return this.propagations.track(key, entry.get().pendingVersion())
				.thenCompose((ignored) -> take(key, value, writeId, expected));
		}
		if (expected.isPresent() && expected.getAsLong() != committed) {
			return CompletableFuture.failedFuture(new ChainRefusedException(Reason.VERSION_MISMATCH,
					"committed version " + committed + ", expected " + expected.getAsLong(), null, committed));
		}
		long version = committed + 1;
		store.stage(key, version, value, writeId);
		return this.propagations.track(key, version).thenApply((ignored) -> version);
	}

	static Throwable unwrap(Throwable error) {
		Throwable cause = error;
		while ((cause instanceof java.util.concurrent.CompletionException
				|| cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
