package dev.hedge.chain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.hedge.chain.ChainVersionException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The contract every {@link ChainStore} passes: go-craq's nine {@code storetest} cases (adapted to one pending version
 * per key), then idempotency, refusals, write ids, discard, install, paged scans, large values, limits, concurrency,
 * close and reopen. A subclass supplies the store.
 */
public abstract class AbstractChainStoreContractTests {

	private final List<ChainStore> opened = new ArrayList<>();

	/**
	 * A new, empty store.
	 * @param options its limits
	 * @return the store
	 */
	protected abstract ChainStore create(ChainStoreOptions options);

	/**
	 * The same store after a restart: a durable store is closed and opened again; a store that is not durable is
	 * returned as it is.
	 * @param store the store
	 * @return the store to use from now on
	 */
	protected abstract ChainStore reopen(ChainStore store);

	/**
	 * Operations each thread of the concurrency test runs (a durable store syncs on every write).
	 * @return the count
	 */
	protected int operationsPerThread() {
		return 20_000;
	}

	/**
	 * Opens a store that is closed after the test.
	 * @param options its limits
	 * @return the store
	 */
	protected final ChainStore open(ChainStoreOptions options) {
		ChainStore store = create(options);
		this.opened.add(store);
		return store;
	}

	/**
	 * Remembers a store to close after the test.
	 * @param store the store
	 * @return the store
	 */
	protected final ChainStore track(ChainStore store) {
		this.opened.add(store);
		return store;
	}

	private ChainStore store() {
		return open(ChainStoreOptions.DEFAULTS);
	}

	@AfterEach
	void closeStores() {
		this.opened.forEach(ChainStore::close);
	}

	/**
	 * UTF-8 bytes of a string.
	 * @param text the text
	 * @return the bytes
	 */
	protected static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The value a test writes for a version of a key: its content depends on both, so a torn or misplaced value is
	 * seen.
	 * @param key the key
	 * @param version the version
	 * @param size its length
	 * @return the value
	 */
	protected static byte[] valueOf(String key, long version, int size) {
		byte[] value = new byte[size];
		long seed = key.hashCode() * 1_000_003L + version;
		for (int i = 0; i < size; i++) {
			seed = seed * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
			value[i] = (byte) (seed >>> 56);
		}
		return value;
	}

	/**
	 * The write id a test uses for a version of a key.
	 * @param key the key
	 * @param version the version
	 * @return the write id
	 */
	protected static String writeIdOf(String key, long version) {
		return key + "#" + version;
	}

	private static Item committed(String key, long version, String value, String writeId) {
		return new Item(key, version, bytes(value), writeId, true);
	}

	private static Item pending(String key, long version, String value, String writeId) {
		return new Item(key, version, bytes(value), writeId, false);
	}

	private static void write(ChainStore store, String key, long version, String value, boolean commit) {
		assertThat(store.stage(key, version, bytes(value), key + "-w" + version)).isEqualTo(StageOutcome.STAGED);
		if (commit) {
			assertThat(store.commit(key, version)).isEqualTo(CommitOutcome.COMMITTED);
		}
	}

	private static List<KeyEntry> everything(ChainStore store) {
		List<KeyEntry> all = new ArrayList<>();
		String after = null;
		do {
			ScanPage page = store.scan(after, 97);
			all.addAll(page.entries());
			after = page.nextAfterKey();
		}
		while (after != null);
		return all;
	}

	// go-craq storetest, adapted

	@Test
	void basicWriteCommitRead() {
		ChainStore store = store();
		assertThat(store.stage("hello", 1, bytes("world"), "w1")).isEqualTo(StageOutcome.STAGED);
		assertThat(store.commit("hello", 1)).isEqualTo(CommitOutcome.COMMITTED);

		assertThat(store.read("hello")).isEqualTo(new ReadResult.Clean(committed("hello", 1, "world", "w1")));
		assertThat(store.committedVersion("hello")).isEqualTo(1);
	}

	@Test
	void readUnknownKey() {
		ChainStore store = store();
		assertThat(store.read("unknown")).isInstanceOf(ReadResult.NotFound.class);
		assertThat(store.read("unknown").committed()).isEmpty();
		assertThat(store.committedVersion("unknown")).isZero();
		assertThat(store.entry("unknown")).isEmpty();
		assertThat(store.findWrite("unknown", "w1")).isEmpty();
	}

	@Test
	void readDirty() {
		ChainStore store = store();
		store.stage("hello", 1, bytes("world"), "w1");
		assertThat(store.read("hello")).isEqualTo(new ReadResult.Dirty(Optional.empty(), 1));

		store.commit("hello", 1);
		store.stage("hello", 2, bytes("again"), "w2");
		assertThat(store.read("hello"))
			.isEqualTo(new ReadResult.Dirty(Optional.of(committed("hello", 1, "world", "w1")), 2));
		assertThat(store.committedVersion("hello")).isEqualTo(1);
	}

	@Test
	void readVersion() {
		ChainStore store = store();
		store.stage("hello", 1, bytes("world"), "w1");
		assertThat(store.readVersion("hello", 1)).contains(pending("hello", 1, "world", "w1"));

		store.commit("hello", 1);
		store.stage("hello", 2, bytes("foo"), "w2");
		assertThat(store.readVersion("hello", 1)).contains(committed("hello", 1, "world", "w1"));
		assertThat(store.readVersion("hello", 2)).contains(pending("hello", 2, "foo", "w2"));
		assertThat(store.readVersion("hello", 3)).isEmpty();
		assertThat(store.readVersion("hello", 0)).isEmpty();
	}

	@Test
	void readVersionUnknownKey() {
		ChainStore store = store();
		assertThat(store.readVersion("wrong", 0)).isEmpty();
		assertThat(store.readVersion("wrong", 1)).isEmpty();
	}

	@Test
	void allNewerCommitted() {
		ChainStore store = store();
		write(store, "test", 1, "world", false);
		write(store, "hello", 1, "first", true);
		write(store, "hello", 2, "another", true);
		write(store, "another", 1, "some value", false);

		assertThat(store.allNewerCommitted(Map.of("hello", 0L)))
			.containsExactly(committed("hello", 2, "another", "hello-w2"));

		store.commit("another", 1);
		assertThat(store.allNewerCommitted(Map.of("hello", 2L)))
			.containsExactly(committed("another", 1, "some value", "another-w1"));

		write(store, "hello", 3, "pending", false);
		assertThat(store.allNewerCommitted(Map.of("hello", 2L, "another", 1L))).isEmpty();
		assertThat(store.allNewerCommitted(Map.of())).containsExactly(
				committed("another", 1, "some value", "another-w1"), committed("hello", 2, "another", "hello-w2"));
	}

	@Test
	void allNewerDirty() {
		ChainStore store = store();
		write(store, "hello", 1, "world", true);
		write(store, "another", 1, "some value", true);
		write(store, "hello", 2, "foo", false);
		write(store, "bizz", 1, "bazz", false);

		List<Item> newer = store.allNewerDirty(Map.of("hello", 1L));
		assertThat(newer).containsExactly(pending("bizz", 1, "bazz", "bizz-w1"),
				pending("hello", 2, "foo", "hello-w2"));
		assertThat(store.allNewerDirty(Map.of("hello", 2L))).containsExactly(pending("bizz", 1, "bazz", "bizz-w1"));
		assertThat(store.allNewerDirty(Map.of("hello", 2L, "bizz", 1L))).isEmpty();
		assertThat(store.allNewerDirty(Map.of("another", 0L))).hasSize(2);
	}

	@Test
	void allDirty() {
		ChainStore store = store();
		write(store, "hello", 1, "world", true);
		write(store, "hello", 2, "foo", false);

		assertThat(store.allDirty()).containsExactly(pending("hello", 2, "foo", "hello-w2"));
	}

	@Test
	void allCommitted() {
		ChainStore store = store();
		write(store, "hello", 1, "world", true);
		write(store, "foo", 1, "bar", false);
		assertThat(store.allCommitted()).containsExactly(committed("hello", 1, "world", "hello-w1"));

		write(store, "hello", 2, "next", false);
		assertThat(store.allCommitted()).containsExactly(committed("hello", 1, "world", "hello-w1"));
	}

	// idempotency and refusals

	@Test
	void stagingTheSameWriteAgainIsANoOp() {
		ChainStore store = store();
		assertThat(store.stage("k", 1, bytes("a"), "w1")).isEqualTo(StageOutcome.STAGED);
		KeyEntry staged = store.entry("k").orElseThrow();
		assertThat(store.stage("k", 1, bytes("a"), "w1")).isEqualTo(StageOutcome.ALREADY_STAGED);
		assertThat(store.entry("k")).contains(staged);

		store.commit("k", 1);
		assertThat(store.stage("k", 1, bytes("a"), "w1")).isEqualTo(StageOutcome.ALREADY_COMMITTED);
		write(store, "k", 2, "b", true);
		KeyEntry latest = store.entry("k").orElseThrow();
		assertThat(store.stage("k", 1, bytes("anything"), "other")).isEqualTo(StageOutcome.SUPERSEDED);
		assertThat(store.entry("k")).contains(latest);
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(1, 0));
	}

	@Test
	void restagingAVersionWithOtherContentIsAConflict() {
		ChainStore store = store();
		store.stage("k", 1, bytes("a"), "w1");
		assertVersionRefused(() -> store.stage("k", 1, bytes("b"), "w1"), Reason.CONTENT_CONFLICT, 0, 1);
		assertVersionRefused(() -> store.stage("k", 1, bytes("a"), "w2"), Reason.CONTENT_CONFLICT, 0, 1);
		store.commit("k", 1);
		assertVersionRefused(() -> store.stage("k", 1, bytes("b"), "w1"), Reason.CONTENT_CONFLICT, 1, 0);
		assertThat(store.read("k")).isEqualTo(new ReadResult.Clean(committed("k", 1, "a", "w1")));
	}

	@Test
	void stagingAnotherVersionWhileOneIsPendingIsRefused() {
		ChainStore store = store();
		write(store, "k", 1, "a", true);
		write(store, "k", 2, "b", false);
		KeyEntry before = store.entry("k").orElseThrow();

		assertVersionRefused(() -> store.stage("k", 3, bytes("c"), "w3"), Reason.PENDING_CONFLICT, 1, 2);
		assertThat(store.entry("k")).contains(before);
	}

	@Test
	void stagingPastTheNextVersionIsRefused() {
		ChainStore store = store();
		assertVersionRefused(() -> store.stage("k", 2, bytes("a"), "w2"), Reason.GAP, 0, 0);
		assertThat(store.entry("k")).isEmpty();
		write(store, "k", 1, "a", true);
		assertVersionRefused(() -> store.stage("k", 3, bytes("c"), "w3"), Reason.GAP, 1, 0);
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(1, 0));
	}

	@Test
	void versionsBelowOneAreRefused() {
		ChainStore store = store();
		assertThatExceptionOfType(ChainVersionException.class).isThrownBy(() -> store.stage("k", 0, bytes("a"), "w"))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_VERSION));
		assertThatExceptionOfType(ChainVersionException.class).isThrownBy(() -> store.commit("k", -1))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.INVALID_VERSION));
		assertThat(store.discard("k", 0)).isFalse();
	}

	@Test
	void commitOfAVersionNeverStagedIsRefused() {
		ChainStore store = store();
		assertVersionRefused(() -> store.commit("k", 1), Reason.NOT_STAGED, 0, 0);
		write(store, "k", 1, "a", false);
		assertVersionRefused(() -> store.commit("k", 2), Reason.NOT_STAGED, 0, 1);
		assertThat(store.read("k")).isEqualTo(new ReadResult.Dirty(Optional.empty(), 1));
	}

	@Test
	void commitOfACommittedOrOlderVersionIsANoOp() {
		ChainStore store = store();
		write(store, "k", 1, "a", true);
		assertThat(store.commit("k", 1)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
		write(store, "k", 2, "b", true);
		write(store, "k", 3, "c", false);
		KeyEntry before = store.entry("k").orElseThrow();
		assertThat(store.commit("k", 1)).isEqualTo(CommitOutcome.SUPERSEDED);
		assertThat(store.commit("k", 2)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
		assertThat(store.entry("k")).contains(before);
	}

	@Test
	void commitDropsOlderVersionsSoAKeyNeverHoldsMoreThanTwo() {
		ChainStore store = store();
		for (long version = 1; version <= 10; version++) {
			store.stage("k", version, valueOf("k", version, 64), writeIdOf("k", version));
			KeyEntry staged = store.entry("k").orElseThrow();
			assertThat(staged.items()).hasSize((version == 1) ? 1 : 2);
			assertThat(staged.pendingVersion()).isEqualTo(version);
			assertThat(store.readVersion("k", version - 2)).isEmpty();

			store.commit("k", version);
			KeyEntry committed = store.entry("k").orElseThrow();
			assertThat(committed.items()).hasSize(1);
			assertThat(committed.committed().hasValue(valueOf("k", version, 64))).isTrue();
			assertThat(store.readVersion("k", version - 1)).isEmpty();
		}
	}

	// write ids

	@Test
	void writeIdsAreFoundBeforeAndAfterCommitAndForgottenPastTheBound() {
		ChainStore store = open(ChainStoreOptions.DEFAULTS.withWriteIdsPerKey(4));
		store.stage("k", 1, bytes("a"), "w1");
		assertThat(store.findWrite("k", "w1")).hasValue(1);
		store.commit("k", 1);
		assertThat(store.findWrite("k", "w1")).hasValue(1);
		assertThat(store.findWrite("other", "w1")).isEmpty();
		for (long version = 2; version <= 6; version++) {
			write(store, "k", version, "v" + version, version < 6);
		}
		assertThat(store.findWrite("k", "w1")).isEmpty();
		assertThat(store.findWrite("k", "k-w2")).isEmpty();
		assertThat(store.findWrite("k", "k-w3")).hasValue(3);
		assertThat(store.findWrite("k", "k-w6")).hasValue(6);
		assertThat(store.entry("k").orElseThrow().writes()).extracting(WriteRecord::version)
			.containsExactly(3L, 4L, 5L, 6L);

		ChainStore reopened = reopen(store);
		assertThat(reopened.findWrite("k", "k-w3")).hasValue(3);
		assertThat(reopened.findWrite("k", "k-w2")).isEmpty();
		assertThat(reopened.findWrite("k", "k-w6")).hasValue(6);
	}

	@Test
	void byDefaultAKeyRemembersItsLast32Writes() {
		ChainStore store = store();
		assertThat(store.options().writeIdsPerKey()).isEqualTo(32);
		for (long version = 1; version <= 40; version++) {
			write(store, "k", version, "v", true);
		}
		assertThat(store.entry("k").orElseThrow().writes()).hasSize(32);
		assertThat(store.findWrite("k", "k-w8")).isEmpty();
		assertThat(store.findWrite("k", "k-w9")).hasValue(9);
		assertThat(store.findWrite("k", "k-w40")).hasValue(40);
	}

	@Test
	void aWriteIdThatAlreadyHasAVersionIsRefused() {
		ChainStore store = store();
		store.stage("k", 1, bytes("a"), "w1");
		store.commit("k", 1);
		assertThatExceptionOfType(ChainWriteIdException.class)
			.isThrownBy(() -> store.stage("k", 2, bytes("b"), "w1"))
			.satisfies((ex) -> assertThat(ex.getRecordedVersion()).isEqualTo(1));
		assertThat(store.entry("k").orElseThrow().pending()).isNull();
		assertThat(store.stage("other", 1, bytes("b"), "w1")).isEqualTo(StageOutcome.STAGED);
	}

	// discard and install

	@Test
	void discardDropsThePendingVersionAndItsWriteId() {
		ChainStore store = store();
		write(store, "k", 1, "a", true);
		write(store, "k", 2, "b", false);
		assertThat(store.discard("k", 3)).isFalse();
		assertThat(store.discard("k", 1)).isFalse();
		assertThat(store.discard("k", 2)).isTrue();
		assertThat(store.discard("k", 2)).isFalse();

		assertThat(store.read("k")).isEqualTo(new ReadResult.Clean(committed("k", 1, "a", "k-w1")));
		assertThat(store.findWrite("k", "k-w2")).isEmpty();
		assertThat(store.stage("k", 2, bytes("other"), "k-w2")).isEqualTo(StageOutcome.STAGED);

		write(store, "fresh", 1, "x", false);
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(2, 2));
		assertThat(store.discard("fresh", 1)).isTrue();
		assertThat(store.read("fresh")).isInstanceOf(ReadResult.NotFound.class);
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(1, 1));
	}

	@Test
	void installedScanPagesReproduceAnotherStore() {
		ChainStore source = store();
		ChainStore target = store();
		for (int i = 0; i < 120; i++) {
			String key = "key-" + i;
			int writes = i % 5;
			for (long version = 1; version <= writes; version++) {
				source.stage(key, version, valueOf(key, version, 100), writeIdOf(key, version));
				if (version < writes || i % 2 == 0) {
					source.commit(key, version);
				}
			}
		}
		copy(source, target);
		assertThat(everything(target)).isEqualTo(everything(source));
		assertThat(target.stats()).isEqualTo(source.stats());

		copy(source, target);
		assertThat(everything(target)).isEqualTo(everything(source));

		for (int i = 0; i < 120; i += 3) {
			String key = "key-" + i;
			KeyEntry entry = source.entry(key).orElse(null);
			long next;
			if (entry != null && entry.isDirty()) {
				next = entry.pendingVersion();
			}
			else {
				next = ((entry != null) ? entry.committedVersion() : 0) + 1;
				source.stage(key, next, valueOf(key, next, 100), writeIdOf(key, next));
			}
			source.commit(key, next);
		}
		copy(source, target);
		assertThat(everything(target)).isEqualTo(everything(source));
	}

	private static void copy(ChainStore source, ChainStore target) {
		String after = null;
		do {
			ScanPage page = source.scan(after, 64);
			target.installAll(page.entries());
			after = page.nextAfterKey();
		}
		while (after != null);
	}

	@Test
	void installTakesNewerCommittedVersionsAndRefusesConflicts() {
		ChainStore store = store();
		write(store, "k", 1, "a", true);
		write(store, "k", 2, "x", false);
		KeyEntry newer = new KeyEntry("k", committed("k", 3, "c", "k-w3"), null,
				List.of(new WriteRecord("k-w2", 2), new WriteRecord("k-w3", 3)));
		store.install(newer);
		assertThat(store.read("k")).isEqualTo(new ReadResult.Clean(committed("k", 3, "c", "k-w3")));
		assertThat(store.entry("k").orElseThrow().writes()).extracting(WriteRecord::version)
			.containsExactly(1L, 2L, 3L);

		KeyEntry other = new KeyEntry("k", committed("k", 3, "other", "k-w3"), null, List.of());
		assertVersionRefused(() -> store.install(other), Reason.CONTENT_CONFLICT, 3, 0);
		write(store, "k", 4, "d", false);
		KeyEntry otherPending = new KeyEntry("k", committed("k", 3, "c", "k-w3"), pending("k", 4, "e", "k-w4"),
				List.of());
		assertVersionRefused(() -> store.install(otherPending), Reason.CONTENT_CONFLICT, 3, 4);
		KeyEntry older = new KeyEntry("k", committed("k", 1, "a", "k-w1"), pending("k", 2, "y", "k-w2"), List.of());
		store.install(older);
		assertThat(store.entry("k").orElseThrow().items())
			.containsExactly(committed("k", 3, "c", "k-w3"), pending("k", 4, "d", "k-w4"));

		KeyEntry first = new KeyEntry("a", committed("a", 1, "a", "a-w1"), null, List.of());
		KeyEntry last = new KeyEntry("z", committed("z", 1, "z", "z-w1"), null, List.of());
		assertThatExceptionOfType(ChainVersionException.class)
			.isThrownBy(() -> store.installAll(List.of(first, other, last)));
		assertThat(store.entry("a")).isPresent();
		assertThat(store.entry("z")).isEmpty();
	}

	// scans, sizes, limits

	@Test
	void aPagedScanOf10000KeysReturnsEveryKeyOnceInOrder() {
		ChainStore store = store();
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			keys.add(Integer.toString(i * 7919 % 10_007, 36) + ((i % 100 == 0) ? "-\u00e9\u4e2d" : ""));
		}
		List<KeyEntry> batch = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			String key = keys.get(i);
			Item pending = (i % 10 == 0) ? new Item(key, 2, valueOf(key, 2, 32), writeIdOf(key, 2), false) : null;
			batch.add(new KeyEntry(key, new Item(key, 1, valueOf(key, 1, 32), writeIdOf(key, 1), true), pending,
					List.of(new WriteRecord(writeIdOf(key, 1), 1))));
			if (batch.size() == 1000) {
				store.installAll(batch);
				batch.clear();
			}
		}
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(10_000, 1000));

		List<String> scanned = new ArrayList<>();
		String after = null;
		int pages = 0;
		do {
			ScanPage page = store.scan(after, 333);
			assertThat(page.entries()).hasSizeLessThanOrEqualTo(333);
			for (KeyEntry entry : page.entries()) {
				scanned.add(entry.key());
				assertThat(entry.committed().hasValue(valueOf(entry.key(), 1, 32))).isTrue();
			}
			after = page.nextAfterKey();
			pages++;
		}
		while (after != null);
		assertThat(pages).isEqualTo(31);
		assertThat(scanned).containsExactlyElementsOf(new TreeSet<>(keys));
		assertThat(store.scan(null, 10_000).isLast()).isTrue();
		assertThat(store.scan(null, 9_999).isLast()).isFalse();
		assertThat(store.scan(scanned.get(9_998), 5).entries()).extracting(KeyEntry::key)
			.containsExactly(scanned.get(9_999));
		assertThat(store.allDirty()).hasSize(1000);
		assertThat(store.allCommitted()).hasSize(10_000);
	}

	@Test
	void oneMebibyteValuesAreStoredAndReadBack() {
		ChainStore store = open(ChainStoreOptions.DEFAULTS.withMaxValueBytes(1 << 20));
		byte[] first = valueOf("big", 1, 1 << 20);
		byte[] second = valueOf("big", 2, 1 << 20);
		store.stage("big", 1, first, "w1");
		store.commit("big", 1);
		store.stage("big", 2, second, "w2");

		assertThat(store.readVersion("big", 1).orElseThrow().value()).isEqualTo(first);
		assertThat(store.readVersion("big", 2).orElseThrow().value()).isEqualTo(second);
		assertThatExceptionOfType(ChainLimitException.class)
			.isThrownBy(() -> store.stage("other", 1, new byte[(1 << 20) + 1], "w"))
			.satisfies((ex) -> assertThat(ex.getLimit()).isEqualTo(1 << 20));
		assertThat(store.entry("other")).isEmpty();

		ChainStore reopened = reopen(store);
		assertThat(reopened.readVersion("big", 1).orElseThrow().value()).isEqualTo(first);
		reopened.commit("big", 2);
		assertThat(reopened.read("big").committed().orElseThrow().value()).isEqualTo(second);
	}

	@Test
	void emptyAndOversizeKeysAndWriteIdsAreRefused() {
		ChainStore store = store();
		String largest = "\u00e9".repeat(512);
		assertThat(store.stage(largest, 1, new byte[0], "w")).isEqualTo(StageOutcome.STAGED);
		assertThat(store.readVersion(largest, 1).orElseThrow().valueLength()).isZero();
		assertThatExceptionOfType(ChainLimitException.class).isThrownBy(() -> store.stage(largest + "x", 1,
				bytes("v"), "w"))
			.satisfies((ex) -> assertThat(ex.getSize()).isEqualTo(1025));
		assertThatExceptionOfType(ChainLimitException.class).isThrownBy(() -> store.stage("", 1, bytes("v"), "w"));
		assertThatExceptionOfType(ChainLimitException.class).isThrownBy(() -> store.stage("k", 1, bytes("v"), ""));
		assertThatExceptionOfType(ChainLimitException.class)
			.isThrownBy(() -> store.stage("k", 1, bytes("v"), "w".repeat(129)));
		assertThatExceptionOfType(ChainLimitException.class).isThrownBy(() -> store.commit("", 1));
		KeyEntry huge = new KeyEntry("k", new Item("k", 1, new byte[(4 << 20) + 1], "w", true), null, List.of());
		assertThatExceptionOfType(ChainLimitException.class).isThrownBy(() -> store.install(huge));
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(1, 1));
	}

	@Test
	void itemsAreCopiesTheCallerCannotChange() {
		ChainStore store = store();
		byte[] value = bytes("abc");
		store.stage("k", 1, value, "w");
		value[0] = 'X';
		Item item = store.readVersion("k", 1).orElseThrow();
		item.value()[1] = 'Y';
		assertThat(store.readVersion("k", 1).orElseThrow().value()).isEqualTo(bytes("abc"));
		assertThat(item.value()).isEqualTo(bytes("abc"));
	}

	@Test
	void statsCountKeysAndDirtyKeys() {
		ChainStore store = store();
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(0, 0));
		write(store, "a", 1, "a", true);
		write(store, "b", 1, "b", false);
		write(store, "a", 2, "a", false);
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(2, 2));
		store.commit("a", 2);
		assertThat(store.stats()).isEqualTo(new ChainStoreStats(2, 1));
		assertThat(reopen(store).stats()).isEqualTo(new ChainStoreStats(2, 1));
	}

	@Test
	void committedAndPendingVersionsAndWriteIdsSurviveAReopen() {
		ChainStore store = store();
		write(store, "clean", 1, "c1", true);
		write(store, "clean", 2, "c2", true);
		write(store, "dirty", 1, "d1", true);
		write(store, "dirty", 2, "d2", false);
		write(store, "new", 1, "n1", false);
		List<KeyEntry> before = everything(store);

		ChainStore reopened = reopen(store);
		assertThat(everything(reopened)).isEqualTo(before);
		assertThat(reopened.read("dirty"))
			.isEqualTo(new ReadResult.Dirty(Optional.of(committed("dirty", 1, "d1", "dirty-w1")), 2));
		assertThat(reopened.readVersion("new", 1)).contains(pending("new", 1, "n1", "new-w1"));
		assertThat(reopened.findWrite("clean", "clean-w1")).hasValue(1);
		assertThat(reopened.commit("dirty", 2)).isEqualTo(CommitOutcome.COMMITTED);
		assertThat(reopened.stage("new", 1, bytes("n1"), "new-w1")).isEqualTo(StageOutcome.ALREADY_STAGED);
	}

	@Test
	void aClosedStoreRefusesCalls() {
		ChainStore store = store();
		write(store, "k", 1, "a", true);
		store.close();
		store.close();
		assertThatExceptionOfType(ChainStoreClosedException.class).isThrownBy(() -> store.read("k"));
		assertThatExceptionOfType(ChainStoreClosedException.class)
			.isThrownBy(() -> store.stage("k", 2, bytes("b"), "w2"));
		assertThatExceptionOfType(ChainStoreClosedException.class).isThrownBy(() -> store.scan(null, 10));
	}

	// concurrency

	@Test
	void concurrentStagesCommitsAndReadsKeepEveryKeysInvariants() throws Exception {
		ChainStore store = store();
		int keys = 48;
		int threads = 4;
		int operations = operationsPerThread();
		AtomicLongArray commits = new AtomicLongArray(keys);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<Long>> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			workers.add(pool.submit(() -> work(store, keys, operations, commits)));
		}
		long checks = 0;
		for (Future<Long> worker : workers) {
			checks += worker.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();
		assertThat(checks).isPositive();

		long total = 0;
		for (int k = 0; k < keys; k++) {
			String key = "c" + k;
			KeyEntry entry = store.entry(key).orElse(null);
			long committedVersion = (entry != null) ? entry.committedVersion() : 0;
			assertThat(committedVersion).as("commits of %s", key).isEqualTo(commits.get(k));
			total += committedVersion;
			if (entry != null) {
				for (Item item : entry.items()) {
					assertThat(item.hasValue(valueOf(key, item.version(), 40))).isTrue();
					assertThat(entry.findWrite(writeIdOf(key, item.version()))).hasValue(item.version());
				}
			}
		}
		assertThat(total).isPositive();
		List<KeyEntry> before = everything(store);
		assertThat(everything(reopen(store))).isEqualTo(before);
	}

	/** Writes as a chain would (stage committed + 1, commit the pending version) and checks what it reads. */
	private static long work(ChainStore store, int keys, int operations, AtomicLongArray commits) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Map<String, Long> seen = new HashMap<>();
		long checks = 0;
		for (int i = 0; i < operations; i++) {
			int k = random.nextInt(keys);
			String key = "c" + k;
			ReadResult read = store.read(key);
			long committedVersion = read.committed().map(Item::version).orElse(0L);
			assertThat(committedVersion).isGreaterThanOrEqualTo(seen.getOrDefault(key, 0L));
			seen.put(key, committedVersion);
			read.committed().ifPresent((item) -> assertThat(item.hasValue(valueOf(key, item.version(), 40))).isTrue());
			if (read instanceof ReadResult.Dirty dirty) {
				assertThat(dirty.pendingVersion()).isEqualTo(committedVersion + 1);
				store.readVersion(key, dirty.pendingVersion())
					.ifPresent((item) -> assertThat(item.hasValue(valueOf(key, item.version(), 40))).isTrue());
				if (store.commit(key, dirty.pendingVersion()) == CommitOutcome.COMMITTED) {
					commits.incrementAndGet(k);
				}
			}
			else if (random.nextInt(3) > 0) {
				long next = committedVersion + 1;
				store.stage(key, next, valueOf(key, next, 40), writeIdOf(key, next));
			}
			KeyEntry entry = store.entry(key).orElse(null);
			if (entry != null) {
				assertThat(entry.items()).hasSizeLessThanOrEqualTo(2);
				assertThat(entry.writes()).hasSizeLessThanOrEqualTo(store.options().writeIdsPerKey());
			}
			checks++;
		}
		return checks;
	}

	private static void assertVersionRefused(Runnable call, Reason reason, long committed, long pending) {
		assertThatExceptionOfType(ChainVersionException.class).isThrownBy(call::run).satisfies((ex) -> {
			assertThat(ex.getReason()).isEqualTo(reason);
			assertThat(ex.getCommittedVersion()).as("committed version").isEqualTo(committed);
			assertThat(ex.getPendingVersion()).as("pending version").isEqualTo(pending);
		});
	}

}
