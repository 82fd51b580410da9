package dev.hedge.store.mvstore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hedge.chain.AbstractChainStoreContractTests;
import dev.hedge.chain.ChainStore;
import dev.hedge.chain.ChainStoreException;
import dev.hedge.chain.ChainStoreInUseException;
import dev.hedge.chain.ChainStoreOptions;
import dev.hedge.chain.CommitOutcome;
import dev.hedge.chain.Item;
import dev.hedge.chain.KeyEntry;
import dev.hedge.chain.ScanPage;
import dev.hedge.chain.StageOutcome;
import dev.hedge.chain.WriteRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The contract on {@link MvStoreChainStore} (each test on a new file, "reopen" closes and opens the file again), and
 * what only a file can do: exclusive use, refusing foreign files, surviving a SIGKILL mid-write, and its cost.
 */
class MvStoreChainStoreContractTests extends AbstractChainStoreContractTests {

	private static final int CRASH_KEYS = 40;

	@TempDir
	Path directory;

	private final AtomicInteger files = new AtomicInteger();

	@Override
	protected ChainStore create(ChainStoreOptions options) {
		return MvStoreChainStore.open(this.directory.resolve("store-" + this.files.incrementAndGet() + ".mv"),
				options);
	}

	@Override
	protected ChainStore reopen(ChainStore store) {
		MvStoreChainStore file = (MvStoreChainStore) store;
		file.close();
		return track(MvStoreChainStore.open(file.file(), file.options()));
	}

	@Override
	protected int operationsPerThread() {
		return 1_500;
	}

	@Test
	void aFileInUseIsRefusedWithATypedErrorAndLeftIntact() {
		MvStoreChainStore store = (MvStoreChainStore) open(ChainStoreOptions.DEFAULTS);
		store.stage("k", 1, bytes("v"), "w");

		assertThatExceptionOfType(ChainStoreInUseException.class)
			.isThrownBy(() -> MvStoreChainStore.open(store.file()))
			.withMessageContaining(store.file().toString());
		store.commit("k", 1);
		assertThat(store.committedVersion("k")).isEqualTo(1);
		assertThat(reopen(store).committedVersion("k")).isEqualTo(1);
	}

	@Test
	void aFileThatIsNotAChainStoreIsRefused() throws Exception {
		Path file = this.directory.resolve("foreign.mv");
		byte[] content = "not an MVStore file\n".repeat(300).getBytes(StandardCharsets.UTF_8);
		Files.write(file, content);

		assertThatExceptionOfType(ChainStoreException.class).isThrownBy(() -> MvStoreChainStore.open(file))
			.isNotInstanceOf(ChainStoreInUseException.class);
		assertThat(Files.readAllBytes(file)).isEqualTo(content);
	}

	@Test
	void aSigkilledWriterLosesNoAcknowledgedCallAndLeavesNoTornEntry() throws Exception {
		Path file = this.directory.resolve("crash.mv");
		String java = ProcessHandle.current().info().command().orElse("java");
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				CrashWriter.class.getName(), file.toString())
			.redirectErrorStream(true)
			.start();
		Map<String, Long> staged = new HashMap<>();
		Map<String, Long> committed = new HashMap<>();
		List<String> other = new ArrayList<>();
		int acknowledged = 0;
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				String[] parts = line.split(" ");
				if (parts.length != 3 || !(parts[0].equals("S") || parts[0].equals("C"))) {
					other.add(line);
					continue;
				}
				(parts[0].equals("S") ? staged : committed).put(parts[1], Long.parseLong(parts[2]));
				acknowledged++;
				if (acknowledged == 100) {
					assertThatExceptionOfType(ChainStoreInUseException.class)
						.isThrownBy(() -> MvStoreChainStore.open(file));
				}
				if (acknowledged == 800) {
					child.destroyForcibly();
					break;
				}
			}
		}
		finally {
			child.destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(acknowledged).as("acknowledged calls before the kill; other output: %s", other).isEqualTo(800);
		assertThat(staged.size()).isEqualTo(CRASH_KEYS);

		try (MvStoreChainStore store = MvStoreChainStore.open(file)) {
			for (Map.Entry<String, Long> stage : staged.entrySet()) {
				String key = stage.getKey();
				long stagedVersion = stage.getValue();
				long committedVersion = committed.getOrDefault(key, 0L);
				assertThat(store.entry(key)).as("entry of %s, staged up to version %d", key, stagedVersion).isPresent();
				KeyEntry entry = store.entry(key).orElseThrow();
				assertThat(entry.committedVersion()).as("committed version of %s", key)
					.isGreaterThanOrEqualTo(committedVersion);
				assertThat(Math.max(entry.committedVersion(), entry.pendingVersion())).as("newest version of %s", key)
					.isGreaterThanOrEqualTo(stagedVersion);
			}
			int entries = 0;
			String after = null;
			do {
				ScanPage page = store.scan(after, 16);
				for (KeyEntry entry : page.entries()) {
					entries++;
					for (Item item : entry.items()) {
						assertThat(item.hasValue(valueOf(item.key(), item.version(), crashValueSize(item.version()))))
							.as("value of %s", item)
							.isTrue();
						assertThat(item.writeId()).isEqualTo(writeIdOf(item.key(), item.version()));
					}
					assertThat(entry.writes()).extracting(WriteRecord::writeId)
						.allSatisfy((id) -> assertThat(id).startsWith(entry.key() + "#"));
				}
				after = page.nextAfterKey();
			}
			while (after != null);
			assertThat(entries).isEqualTo(CRASH_KEYS);
			assertThat(store.stats().keys()).isEqualTo(CRASH_KEYS);

			// the protocol's next step works on the recovered store: a re-forward of the pending version (when the
			// kill came between a stage and its commit), or the next version
			KeyEntry first = store.entry("crash-0").orElseThrow();
			if (first.isDirty()) {
				long pending = first.pendingVersion();
				assertThat(store.stage("crash-0", pending, valueOf("crash-0", pending, crashValueSize(pending)),
						writeIdOf("crash-0", pending)))
					.isEqualTo(StageOutcome.ALREADY_STAGED);
				assertThat(store.commit("crash-0", pending)).isEqualTo(CommitOutcome.COMMITTED);
			}
			long next = store.committedVersion("crash-0") + 1;
			assertThat(store.stage("crash-0", next, valueOf("crash-0", next, 8), "after-crash"))
				.isEqualTo(StageOutcome.STAGED);
		}
	}

	static int crashValueSize(long version) {
		return (version % 5 == 0) ? 64 << 10 : 1 << 10;
	}

	/**
	 * The child: stages a version of every key, then commits each, round after round, printing each acknowledged
	 * call ({@code S key version} / {@code C key version}) until it is killed.
	 */
	static final class CrashWriter {

		public static void main(String[] args) {
			MvStoreChainStore store = MvStoreChainStore.open(Path.of(args[0]));
			for (long version = 1; version < 100_000; version++) {
				for (int k = 0; k < CRASH_KEYS; k++) {
					String key = "crash-" + k;
					store.stage(key, version, valueOf(key, version, crashValueSize(version)), writeIdOf(key, version));
					System.out.println("S " + key + " " + version);
					System.out.flush();
				}
				for (int k = 0; k < CRASH_KEYS; k++) {
					String key = "crash-" + k;
					store.commit(key, version);
					System.out.println("C " + key + " " + version);
					System.out.flush();
				}
			}
		}

	}

	@Test
	void durableWriteLatencyAndCatchUpRateOnThisMachine() {
		MvStoreChainStore store = (MvStoreChainStore) open(ChainStoreOptions.DEFAULTS);
		int writes = 500;
		long[] nanos = new long[writes];
		for (int i = -50; i < writes; i++) {
			String key = "lat-" + Math.floorMod(i, 50);
			long version = (i + 50) / 50 + 1;
			byte[] value = valueOf(key, version, 1024);
			long start = System.nanoTime();
			store.stage(key, version, value, writeIdOf(key, version));
			store.commit(key, version);
			if (i >= 0) {
				nanos[i] = System.nanoTime() - start;
			}
		}
		Arrays.sort(nanos);

		int keys = 10_000;
		long loadStart = System.nanoTime();
		List<KeyEntry> batch = new ArrayList<>();
		for (int i = 0; i < keys; i++) {
			String key = String.format("catch-up-%06d", i);
			batch.add(new KeyEntry(key, new Item(key, 1, valueOf(key, 1, 1024), writeIdOf(key, 1), true), null,
					List.of(new WriteRecord(writeIdOf(key, 1), 1))));
			if (batch.size() == 1_000) {
				store.installAll(batch);
				batch.clear();
			}
		}
		double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

		long scanStart = System.nanoTime();
		int scanned = 0;
		String after = null;
		do {
			ScanPage page = store.scan(after, 1_000);
			scanned += page.entries().size();
			after = page.nextAfterKey();
		}
		while (after != null);
		double scanSeconds = (System.nanoTime() - scanStart) / 1e9;
		assertThat(scanned).isEqualTo(keys + 50);

		double installRate = keys / loadSeconds;
		double scanRate = scanned / scanSeconds;
		double projected = 100_000 / installRate + 100_000 / scanRate;
		System.out.printf("MvStoreChainStore on this machine: stage+commit of 1 KiB p50 %.3f ms, p99 %.3f ms; "
				+ "installAll %.0f keys/s; scan %.0f keys/s (1 KiB values); projected local part of a 100 000-key "
				+ "catch-up %.1f s; file %d KiB%n", nanos[writes / 2] / 1e6, nanos[writes * 99 / 100] / 1e6,
				installRate, scanRate, projected, store.fileSize() >> 10);
		assertThat(projected).as("seconds to scan and install 100 000 keys of 1 KiB").isLessThan(30);
	}

}
