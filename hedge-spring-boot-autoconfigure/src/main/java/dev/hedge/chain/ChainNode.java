package dev.hedge.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.chain.ChainClient.ReadAnswer;
import dev.hedge.chain.ChainRefusedException.Reason;

/**
 * One member's part of the chain protocol, behind the service: adopts configurations, stages forwarded writes
 * (fetching a key's committed version from the predecessor when it lacks the earlier ones), takes writes as head,
 * serves reads as a serving member and version queries as the read tail, and answers its successor's fetches and
 * catch-up scans. Every request is checked against the configuration version this member holds first.
 *
 * <p>The read tail answers a version query for a key it holds dirty only once that version is committed here: a
 * member that just became the read tail may hold pending versions that the former tail committed and served, and a
 * read tail followed by a syncing member commits after it.
 *
 * <p>Threading: thread-safe; handlers run on the calling gRPC thread (or the local caller's) and complete their
 * futures on the chain's I/O threads; nothing here blocks on another member.
 */
final class ChainNode {

	private static final Logger logger = LoggerFactory.getLogger(ChainNode.class);

	/** How many times a dirty read re-reads when the version the tail named was replaced meanwhile. */
	private static final int DIRTY_READ_ATTEMPTS = 3;

	private final ChainParts parts;

	private final ChainStorage storage;

	private final Propagations propagations;

	private final HeadWrites headWrites;

	private final CatchUp catchUp;

	private volatile Runnable heartbeatSoon = () -> {
	};

	ChainNode(ChainParts parts, ChainStorage storage) {
		this.parts = parts;
		this.storage = storage;
		this.propagations = new Propagations(parts, this::adopt);
		this.headWrites = new HeadWrites(parts, this.propagations);
		this.catchUp = new CatchUp(parts, this::adopt, () -> this.heartbeatSoon.run());
	}

	void heartbeatSoon(Runnable soon) {
		this.heartbeatSoon = soon;
	}

	CatchUp catchUp() {
		return this.catchUp;
	}

	Propagations propagations() {
		return this.propagations;
	}

	// ---- configurations ----

	/** Adopts a configuration if it is newer than the one held; a new member's store is emptied first. */
	void adopt(ChainConfig next) {
		ChainMember self = this.parts.self();
		ChainConfig previous = this.parts.view.adopt(next, (held) -> {
			if (self.sameAs(next.syncing()) && !self.sameAs(held.syncing())) {
				this.parts.replaceStore(this.storage.wipe(this.parts.store()));
				this.catchUp.reset();
			}
		});
		if (previous == null) {
			return;
		}
		this.parts.counters.reconfigurations.increment();
		try {
			this.parts.options.observer().onConfig(next);
		}
		catch (RuntimeException ex) {
			logger.warn("Chain observer failed", ex);
		}
		logger.info("Chain member {} adopts {} as {}", self.id(), next, this.parts.view.role());
		if (next.inChain(self)) {
			this.propagations.kick();
			this.parts.run(this.propagations::sweep);
		}
		else if (previous.inChain(self)) {
			this.propagations.failAll(self.id() + " left the chain in configuration " + next.version());
		}
		if (self.sameAs(next.syncing())) {
			this.catchUp.follow();
		}
		if (next.isServing(self) && !this.parts.view.serving()) {
			this.heartbeatSoon.run();
		}
	}

	/**
	 * The held configuration if a request of {@code version} may be served under it; a newer version than the held
	 * one makes this member ask the coordinator for it at once.
	 */
	private ChainConfig check(long version) {
		try {
			return this.parts.view.check(version);
		}
		catch (ChainRefusedException ex) {
			if (ex.reason() == Reason.CONFIG_BEHIND) {
				this.heartbeatSoon.run();
			}
			throw ex;
		}
	}

	// ---- writes ----

	CompletableFuture<Long> onWrite(long configVersion, String key, byte[] value, String writeId,
			OptionalLong expected) {
		ChainConfig config = check(configVersion);
		checkValue(key, value);
		return this.headWrites.write(config, key, value, writeId, expected);
	}

	CompletableFuture<Void> onForward(String sender, long configVersion, Item item) {
		ChainConfig config = check(configVersion);
		ChainMember self = this.parts.self();
		Optional<ChainMember> predecessor = config.predecessorOf(self);
		if (predecessor.isEmpty() || !predecessor.get().id().equals(sender)) {
			throw new ChainRefusedException(Reason.WRONG_ROLE, self.id() + " does not follow " + sender
					+ " in configuration " + config.version(), config, 0);
		}
		checkValue(item.key(), item.value());
		return stage(config, predecessor.get(), item, true);
	}

	private void checkValue(String key, byte[] value) {
		if (value.length > this.parts.maxValueBytes) {
			throw new ChainRefusedException(Reason.LIMIT, "the value of key '" + ChainVersionException.shorten(key)
					+ "' has " + value.length + " bytes, over the limit of " + this.parts.maxValueBytes);
		}
	}

	private CompletableFuture<Void> stage(ChainConfig config, ChainMember predecessor, Item item, boolean repair) {
		StageOutcome outcome;
		try {
			outcome = this.parts.store().stage(item.key(), item.version(), item.value(), item.writeId());
		}
		catch (ChainVersionException ex) {
			boolean behind = ex.getReason() == ChainVersionException.Reason.GAP
					|| (ex.getReason() == ChainVersionException.Reason.PENDING_CONFLICT
							&& ex.getPendingVersion() < item.version());
			if (repair && behind) {
				// this member lacks the key's earlier versions (it is catching up): take the predecessor's
				// committed one, then stage
				return this.parts.client.fetch(predecessor.id(), this.parts.hop(), config.version(), item.key())
					.thenCompose((entry) -> {
						entry.ifPresent(this.parts.store()::install);
						return stage(config, predecessor, item, false);
					});
			}
			logger.warn("Chain member {} refuses a forward from {}: {}", this.parts.self().id(), predecessor.id(),
					ex.getMessage());
			throw new ChainRefusedException(Reason.WRONG_ROLE, ex.getMessage());
		}
		catch (ChainWriteIdException ex) {
			logger.warn("Chain member {} refuses a forward from {}: {}", this.parts.self().id(), predecessor.id(),
					ex.getMessage());
			throw new ChainRefusedException(Reason.WRONG_ROLE, ex.getMessage());
		}
		catch (ChainLimitException ex) {
			throw new ChainRefusedException(Reason.LIMIT, ex.getMessage());
		}
		return switch (outcome) {
			case STAGED, ALREADY_STAGED -> this.propagations.track(item.key(), item.version());
			case ALREADY_COMMITTED, SUPERSEDED -> CompletableFuture.completedFuture(null);
		};
	}

	// ---- reads ----

	/**
	 * Serves a read from this member's store (it must be serving).
	 * @throws ChainRefusedException WRONG_ROLE when this member does not serve
	 */
	CompletableFuture<ReadAnswer> serveRead(String key, boolean local) {
		requireServing();
		return read(key, local, 1).thenApply((answer) -> {
			requireServing(); // the lease held for the whole read
			return answer;
		});
	}

	private void requireServing() {
		if (!this.parts.view.serving()) {
			throw new ChainRefusedException(Reason.WRONG_ROLE, this.parts.self().id() + " does not serve reads now",
					this.parts.view.config(), 0);
		}
	}

	private CompletableFuture<ReadAnswer> read(String key, boolean local, int attempt) {
		ChainStore store = this.parts.store();
		ReadResult result = store.read(key);
		if (result instanceof ReadResult.NotFound) {
			count(local);
			return CompletableFuture.completedFuture(new ReadAnswer(null, false));
		}
		if (result instanceof ReadResult.Clean clean) {
			count(local);
			return CompletableFuture.completedFuture(new ReadAnswer(value(clean.item()), false));
		}
		ReadResult.Dirty dirty = (ReadResult.Dirty) result;
		if (local) {
			count(true);
			return CompletableFuture.completedFuture(new ReadAnswer(dirty.committed().map(ChainNode::value)
				.orElse(null), true));
		}
		return readTailVersion(key).thenCompose((version) -> {
			if (version == 0) {
				this.parts.counters.dirtyReads.increment();
				return CompletableFuture.completedFuture(new ReadAnswer(null, true));
			}
			Optional<Item> item = this.parts.store().readVersion(key, version);
			if (item.isPresent()) {
				this.parts.counters.dirtyReads.increment();
				return CompletableFuture.completedFuture(new ReadAnswer(value(item.get()), true));
			}
			if (attempt >= DIRTY_READ_ATTEMPTS) {
				return CompletableFuture.failedFuture(new ChainRefusedException(Reason.CONFIG_BEHIND,
						"version " + version + " of key '" + ChainVersionException.shorten(key)
								+ "' is not held by " + this.parts.self().id()));
			}
			return read(key, false, attempt + 1);
		});
	}

	private void count(boolean local) {
		(local ? this.parts.counters.localReads : this.parts.counters.cleanReads).increment();
	}

	private static ChainValue value(Item item) {
		return new ChainValue(item.key(), item.version(), item.value());
	}

	private CompletableFuture<Long> readTailVersion(String key) {
		ChainConfig config = this.parts.view.config();
		Optional<ChainMember> tail = config.readTail();
		if (tail.isEmpty()) {
			return CompletableFuture.failedFuture(new ChainRefusedException(Reason.CONFIG_BEHIND, "no read tail"));
		}
		if (tail.get().sameAs(this.parts.self())) {
			return tailVersion(key);
		}
		return this.parts.client.version(tail.get().id(), this.parts.hop(), config.version(), key)
			.whenComplete((version, error) -> {
				if (HeadWrites.unwrap(error) instanceof ChainRefusedException refused && refused.config() != null) {
					adopt(refused.config());
				}
			});
	}

	/** A version query this member answers as the read tail. */
	CompletableFuture<Long> onVersion(long configVersion, String key) {
		ChainConfig config = check(configVersion);
		if (!config.readTail().map(this.parts.self()::sameAs).orElse(false)) {
			throw new ChainRefusedException(Reason.WRONG_ROLE, this.parts.self().id()
					+ " is not the read tail in configuration " + config.version(), config, 0);
		}
		requireServing();
		this.parts.counters.versionQueries.increment();
		return tailVersion(key);
	}

	private CompletableFuture<Long> tailVersion(String key) {
		Optional<KeyEntry> entry = this.parts.store().entry(key);
		if (entry.isEmpty()) {
			return CompletableFuture.completedFuture(0L);
		}
		if (!entry.get().isDirty()) {
			return CompletableFuture.completedFuture(entry.get().committedVersion());
		}
		return this.propagations.track(key, entry.get().pendingVersion())
			.thenApply((ignored) -> this.parts.store().committedVersion(key));
	}

	// ---- repair and catch-up, answered to the successor ----

	Optional<KeyEntry> onFetch(String sender, long configVersion, String key) {
		requireSuccessor(sender, check(configVersion));
		return ChainWire.committedPart(this.parts.store().entry(key).orElse(null));
	}

	ScanPage onScan(String sender, long configVersion, String afterKey, int limit, int maxBytes) {
		requireSuccessor(sender, check(configVersion));
		int keys = Math.max(1, Math.min(limit, this.parts.options.catchUpPageKeys()));
		ScanPage page = this.parts.store().scan(afterKey, keys);
		List<KeyEntry> entries = new ArrayList<>();
		long bytes = 0;
		String last = afterKey;
		for (KeyEntry entry : page.entries()) {
			Optional<KeyEntry> committed = ChainWire.committedPart(entry);
			if (committed.isPresent()) {
				long size = committed.get().committed().valueLength() + entry.key().length() * 3L + 64
						+ 64L * committed.get().writes().size();
				if (!entries.isEmpty() && bytes + size > maxBytes) {
					return new ScanPage(entries, last);
				}
				bytes += size;
				entries.add(committed.get());
			}
			last = entry.key();
		}
		return new ScanPage(entries, page.isLast() ? null : page.nextAfterKey());
	}

	private void requireSuccessor(String sender, ChainConfig config) {
		Optional<ChainMember> successor = config.successorOf(this.parts.self());
		if (successor.isEmpty() || !successor.get().id().equals(sender)) {
			throw new ChainRefusedException(Reason.WRONG_ROLE, sender + " does not follow "
					+ this.parts.self().id() + " in configuration " + config.version(), config, 0);
		}
	}

	void close() {
		this.catchUp.close();
		this.propagations.close();
	}

}
