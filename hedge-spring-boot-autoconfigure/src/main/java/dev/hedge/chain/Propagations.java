package dev.hedge.chain;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's writes in flight: for each key with a pending version, one loop that forwards the version to the
 * member's successor in the configuration it holds, and commits it locally once the successor answers (the successor
 * answers once the chain's last member committed it), or at once when this member is the last. The loop keeps
 * trying, with backoff and again at once after every reconfiguration, until the version is committed or this member
 * leaves the chain; so a write staged on a member whose successor failed is re-forwarded to the new successor, and a
 * member that becomes the last commits what it holds.
 *
 * <p>Threading: thread-safe; loops run on the caller's thread (their first step) and on the chain's I/O threads.
 */
final class Propagations {

	private static final Logger logger = LoggerFactory.getLogger(Propagations.class);

	private static final long FIRST_BACKOFF_MILLIS = 10;

	private static final long MAX_BACKOFF_MILLIS = 500;

	private final ChainParts parts;

	private final Consumer<ChainConfig> adopt;

	private final ConcurrentHashMap<String, Loop> loops = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * @param parts the member's parts
	 * @param adopt adopts a configuration a successor sent with a STALE_CONFIG refusal
	 */
	Propagations(ChainParts parts, Consumer<ChainConfig> adopt) {
		this.parts = parts;
		this.adopt = adopt;
	}

	/**
	 * The commit of a pending version: the running loop's, or a new loop's.
	 * @return completes when the version is committed here; fails with a {@link ChainRefusedException} when this
	 * member left the chain (or closed) first
	 */
	CompletableFuture<Void> track(String key, long version) {
		while (true) {
			Loop existing = this.loops.get(key);
			if (existing != null) {
				if (existing.version == version) {
					return existing.done;
				}
				if (existing.version > version) {
					// one pending version per key: a newer one pending means this one is committed
					return CompletableFuture.completedFuture(null);
				}
				this.loops.remove(key, existing);
				continue;
			}
			Loop created = new Loop(key, version);
			if (this.loops.putIfAbsent(key, created) == null) {
				if (this.closed) {
					created.fail("the chain of " + this.parts.self().id() + " is closed");
				}
				else {
					created.step();
				}
				return created.done;
			}
		}
	}

	/** Every loop tries again at once (after a reconfiguration). */
	void kick() {
		this.loops.values().forEach(Loop::kick);
	}

	/** Starts a loop for every pending version of the store that has none (after a reconfiguration or a restart). */
	void sweep() {
		ChainStore store = this.parts.store();
		if (store.stats().dirtyKeys() == 0) {
			return;
		}
		for (Item item : store.allDirty()) {
			track(item.key(), item.version());
		}
	}

	/** Ends every loop (this member left the chain or closes); the writes waiting on them fail. */
	void failAll(String why) {
		for (Loop loop : List.copyOf(this.loops.values())) {
			loop.fail(why);
		}
	}

	void close() {
		this.closed = true;
		failAll("the chain of " + this.parts.self().id() + " is closed");
	}

	int size() {
		return this.loops.size();
	}

	/** The loop of one pending version. */
	private final class Loop {

		final String key;

		final long version;

		final CompletableFuture<Void> done = new CompletableFuture<>();

		private int attempt;

		private long backoff = FIRST_BACKOFF_MILLIS;

		Loop(String key, long version) {
			this.key = key;
			this.version = version;
		}

		synchronized void kick() {
			this.backoff = FIRST_BACKOFF_MILLIS;
			step();
		}

		synchronized void step() {
			if (this.done.isDone()) {
				return;
			}
			if (Propagations.this.closed) {
				fail("the chain of " + Propagations.this.parts.self().id() + " is closed");
				return;
			}
			int mine = ++this.attempt;
			ChainParts parts = Propagations.this.parts;
			ChainMember self = parts.self();
			ChainConfig config = parts.view.config();
			if (!config.inChain(self)) {
				fail(self.id() + " is not in chain configuration " + config.version());
				return;
			}
			Optional<ChainMember> successor = config.successorOf(self);
			if (successor.isEmpty()) {
				// the last member commits; decided and done under the configuration, so no newer one is adopted
				// in between (a catch-up scan that starts after the adoption sees this commit)
				boolean committed = parts.view.underConfig(() -> {
					ChainConfig now = parts.view.config();
					if (!now.inChain(self) || now.successorOf(self).isPresent()) {
						return false;
					}
					commitHere();
					return true;
				});
				if (!committed) {
					parts.run(this::step);
				}
				return;
			}
			Optional<Item> item = parts.store().readVersion(this.key, this.version);
			if (item.isEmpty() || item.get().committed()) {
				settle();
				return;
			}
			parts.client.forward(successor.get().id(), parts.hop(), config.version(), item.get())
				.whenComplete((ok, error) -> answered(mine, error));
		}

		private synchronized void answered(int attemptNumber, Throwable error) {
			if (this.done.isDone()) {
				return;
			}
			if (error == null) {
				commitHere();
				return;
			}
			if (error instanceof ChainRefusedException refused && refused.config() != null) {
				Propagations.this.adopt.accept(refused.config());
			}
			if (attemptNumber != this.attempt) {
				return; // a newer attempt is under way
			}
			long delay = this.backoff;
			this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MILLIS);
			logger.debug("Forward of {} v{} from {} failed, again in {} ms: {}", this.key, this.version,
					Propagations.this.parts.self().id(), delay, error.getMessage());
			Propagations.this.parts.later(this::stepIfCurrent, delay);
		}

		private synchronized void stepIfCurrent() {
			step();
		}

		private void commitHere() {
			try {
				Propagations.this.parts.store().commit(this.key, this.version);
			}
			catch (ChainVersionException ex) {
				// not pending any more: committed by another path (fine) or gone (a wiped store)
			}
			catch (RuntimeException ex) {
				logger.warn("Commit of {} v{} on {} failed; trying again", this.key, this.version,
						Propagations.this.parts.self().id(), ex);
				Propagations.this.parts.later(this::stepIfCurrent, MAX_BACKOFF_MILLIS);
				return;
			}
			settle();
		}

		/** Completes if the version is committed here, fails otherwise. */
		private void settle() {
			if (Propagations.this.parts.store().committedVersion(this.key) >= this.version) {
				Propagations.this.loops.remove(this.key, this);
				this.done.complete(null);
			}
			else {
				fail("version " + this.version + " of key '" + ChainVersionException.shorten(this.key)
						+ "' is no longer pending on " + Propagations.this.parts.self().id());
			}
		}

		void fail(String why) {
			Propagations.this.loops.remove(this.key, this);
			this.done.completeExceptionally(new ChainRefusedException(ChainRefusedException.Reason.WRONG_ROLE, why));
		}

	}

}
