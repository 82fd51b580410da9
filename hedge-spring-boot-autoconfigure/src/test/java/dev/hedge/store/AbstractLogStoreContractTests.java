package dev.hedge.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;
import dev.hedge.election.LeaseClaim;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.kv.LogRecord;
import dev.hedge.kv.LogStore;
import dev.hedge.kv.NoAppendSlot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link LogStore} contract, run against every backend by a subclass that opens the store.
 */
abstract class AbstractLogStoreContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HedgeStore store;

	private final String lock = "log-lock-" + UUID.randomUUID();

	private final LeaseClaim holder = new LeaseClaim("leader:1", UUID.randomUUID().toString(), 60_000, 1_000);

	private Fence fence;

	AbstractLogStoreContractTests(HedgeStore store) {
		this.store = store;
	}

	@BeforeAll
	void takeLease() {
		long epoch = this.store.leases().tryAcquire(this.lock, this.holder, TIMEOUT).record().epoch();
		this.fence = new Fence(this.lock, epoch);
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	LogStore log() {
		return this.store.log();
	}

	static String key() {
		return "key-" + UUID.randomUUID();
	}

	static LogRecord record(String key, String value) {
		return new LogRecord(key, UUID.randomUUID().toString(), value, "leader:1");
	}

	@Test
	void unknownKeyReadsEmpty() {
		assertThat(log().read(key(), LogQuery.latest(), TIMEOUT)).isEmpty();
		assertThat(log().read(key(), LogQuery.all(), TIMEOUT)).isEmpty();
		assertThat(log().read(key(), LogQuery.oldest(), TIMEOUT)).isEmpty();
	}

	@Test
	void appendsReadBackNewestFirstWithLimitsAndOldest() {
		String key = key();
		List<Instant> stamps = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			stamps.addAll(log().append(this.fence, List.of(record(key, "v" + i)), TIMEOUT));
		}
		assertThat(stamps).isSortedAccordingTo(Instant::compareTo).doesNotHaveDuplicates();
		assertThat(values(log().read(key, LogQuery.latest(), TIMEOUT))).containsExactly("v3");
		assertThat(values(log().read(key, LogQuery.newest(2), TIMEOUT))).containsExactly("v3", "v2");
		assertThat(values(log().read(key, LogQuery.all(), TIMEOUT))).containsExactly("v3", "v2", "v1", "v0");
		assertThat(values(log().read(key, LogQuery.oldest(), TIMEOUT))).containsExactly("v0");
		LogEntry latest = log().read(key, LogQuery.latest(), TIMEOUT).get(0);
		assertThat(latest.writer()).isEqualTo("leader:1");
		assertThat(latest.timestamp()).isEqualTo(stamps.get(3));
	}

	@Test
	void batchWritesEveryRecordInOneCommit() {
		String k1 = key();
		String k2 = key();
		List<Instant> stamps = log().append(this.fence, List.of(record(k1, "a"), record(k2, "b")), TIMEOUT);
		assertThat(stamps).hasSize(2);
		assertThat(stamps.get(0)).isEqualTo(stamps.get(1));
		assertThat(values(log().read(k1, LogQuery.all(), TIMEOUT))).containsExactly("a");
		assertThat(values(log().read(k2, LogQuery.all(), TIMEOUT))).containsExactly("b");
	}

	@Test
	void retriedRecordIsNotDuplicatedAndKeepsItsTimestamp() {
		String key = key();
		LogRecord once = record(key, "only-once");
		Instant first = log().append(this.fence, List.of(once), TIMEOUT).get(0);
		Instant again = log().append(this.fence, List.of(once, once), TIMEOUT).get(0);
		assertThat(again).isEqualTo(first);
		assertThat(values(log().read(key, LogQuery.all(), TIMEOUT))).containsExactly("only-once");
	}

	@Test
	void noAppendSlotIsOverwrittenWhileAppendedRowsStay() {
		String key = key();
		log().append(this.fence, List.of(record(key, "appended")), TIMEOUT);
		log().append(this.fence, List.of(new LogRecord(key, LogRecord.NO_APPEND_ID, "slot-1", "leader:1")), TIMEOUT);
		log().append(this.fence, List.of(new LogRecord(key, LogRecord.NO_APPEND_ID, "slot-2", "leader:1")), TIMEOUT);
		List<LogEntry> all = log().read(key, LogQuery.all(), TIMEOUT);
		assertThat(values(all)).containsExactly("slot-2", "appended");
		assertThat(all.get(0).id()).isEqualTo(LogRecord.NO_APPEND_ID);
	}

	@Test
	void aRetriedNoAppendPutIsNotAppliedAgainOverANewerValue() {
		// review finding S5: A's put of v1 commits but its answer is lost; B's v2 commits; A's retry must not write v1
		// over v2 (a reader that saw v1, then v2, would see v1 again)
		String key = key();
		String a = UUID.randomUUID().toString();
		Instant first = log().append(this.fence, List.of(slot(key, "v1", a)), TIMEOUT).get(0);
		Instant second = log().append(this.fence, List.of(slot(key, "v2", UUID.randomUUID().toString())), TIMEOUT)
			.get(0);
		assertThat(second).isAfter(first);
		Instant retried = log().append(this.fence, List.of(slot(key, "v1", a)), TIMEOUT).get(0);
		assertThat(values(log().read(key, LogQuery.all(), TIMEOUT))).containsExactly("v2");
		assertThat(retried).as("a recognised retry writes nothing").isEqualTo(second);
		assertThat(log().read(key, LogQuery.latest(), TIMEOUT)).singleElement()
			.satisfies((entry) -> assertThat(entry.writer()).as("readers see the writer only").isEqualTo("leader:1"));
		// a new put (another id) still overwrites
		log().append(this.fence, List.of(slot(key, "v3", UUID.randomUUID().toString())), TIMEOUT);
		assertThat(values(log().read(key, LogQuery.all(), TIMEOUT))).containsExactly("v3");
	}

	@Test
	void aNoAppendSlotRemembersItsRecentPutsOnly() {
		String key = key();
		String oldest = UUID.randomUUID().toString();
		log().append(this.fence, List.of(slot(key, "first", oldest)), TIMEOUT);
		for (int i = 0; i < NoAppendSlot.REMEMBERED; i++) {
			log().append(this.fence, List.of(slot(key, "v" + i, UUID.randomUUID().toString())), TIMEOUT);
		}
		log().append(this.fence, List.of(slot(key, "first", oldest)), TIMEOUT);
		assertThat(values(log().read(key, LogQuery.all(), TIMEOUT))).as("beyond the bound a retry is a new put")
			.containsExactly("first");
	}

	private static LogRecord slot(String key, String value, String putId) {
		return new LogRecord(key, LogRecord.NO_APPEND_ID, value, "leader:1", putId);
	}

	@Test
	void staleFenceWritesNothing() {
		String key = key();
		Fence stale = new Fence(this.fence.lockName(), this.fence.epoch() - 1);
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> log().append(stale, List.of(record(key, "x")), TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getCurrentEpoch()).isEqualTo(this.fence.epoch()));
		Fence future = new Fence(this.fence.lockName(), this.fence.epoch() + 1);
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> log().append(future, List.of(record(key, "y")), TIMEOUT));
		assertThat(log().read(key, LogQuery.all(), TIMEOUT)).isEmpty();
	}

	@Test
	void releasedLeaseFencesItsLastEpoch() {
		String lock = "released-" + UUID.randomUUID();
		LeaseClaim claim = new LeaseClaim("x:1", UUID.randomUUID().toString(), 60_000, 1_000);
		long epoch = this.store.leases().tryAcquire(lock, claim, TIMEOUT).record().epoch();
		String key = key();
		log().append(new Fence(lock, epoch), List.of(record(key, "before")), TIMEOUT);
		assertThat(this.store.leases().release(lock, claim.incarnation(), epoch, TIMEOUT)).isTrue();
		assertThatExceptionOfType(FencedException.class)
			.isThrownBy(() -> log().append(new Fence(lock, epoch), List.of(record(key, "after")), TIMEOUT));
		assertThat(values(log().read(key, LogQuery.all(), TIMEOUT))).containsExactly("before");
	}

	@Test
	void awkwardTextRoundTripsByteForByte() {
		List<String> samples = List.of("it's \"quoted\"", "-- not a comment", "/* nor this */", "back\\slash\\\\",
				"'; DROP TABLE hedge_log; --", "naïve café Ωμέγα 漢字 🚀", "tab\tnew\nline", " leading and trailing ",
				"%_ wildcards", "");
		for (String sample : samples) {
			String key = "k " + sample + " " + UUID.randomUUID();
			log().append(this.fence, List.of(record(key, sample)), TIMEOUT);
			List<LogEntry> read = log().read(key, LogQuery.latest(), TIMEOUT);
			assertThat(read).hasSize(1);
			assertThat(read.get(0).key()).isEqualTo(key);
			assertThat(read.get(0).value()).isEqualTo(sample);
		}
	}

	private static List<String> values(List<LogEntry> entries) {
		return entries.stream().map(LogEntry::value).toList();
	}

}
