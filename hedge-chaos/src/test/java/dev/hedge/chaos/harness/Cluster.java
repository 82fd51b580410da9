package dev.hedge.chaos.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.spanner.DatabaseId;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.HistoryIO;
import dev.hedge.chaos.history.JsonLinesAppender;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.FaultProxy;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The chaos cluster: a private Spanner emulator, one database, member slots with their proxies, the nemesis log,
 * and the harness's own store (direct to the emulator) for final reads.
 *
 * <p>Driven by one harness thread.
 */
final class Cluster implements AutoCloseable {

	private final long seed;

	private final Path runDir;

	private final String group = "chaos";

	private final SpannerEmulator emulator;

	private final DatabaseId database;

	private final HedgeStore store;

	private final SpannerPermitSnapshots snapshots;

	private final List<Member> members = new ArrayList<>();

	private final JsonLinesAppender nemesis;

	private final List<Fault> faults = new CopyOnWriteArrayList<>();

	private volatile boolean emulatorPaused;

	Cluster(long seed, Path runDir, int slots) throws IOException {
		this.seed = seed;
		this.runDir = Files.createDirectories(runDir);
		Files.createDirectories(historyDir());
		Files.createDirectories(logDir());
		this.nemesis = HistoryIO.appender(runDir.resolve("nemesis.jsonl"));
		this.emulator = SpannerEmulator.startPrivate();
		this.database = this.emulator.createDatabase("chaos");
		this.store = SpannerHedgeStore.open(this.emulator.spanner().getDatabaseClient(this.database),
				this.emulator.spanner().getDatabaseAdminClient(), this.database, TableNames.defaults(), true);
		this.snapshots = new SpannerPermitSnapshots(this.emulator.spanner().getDatabaseClient(this.database),
				TableNames.defaults().logTable(), group());
		for (int i = 0; i < slots; i++) {
			this.members.add(new Member(this, i, this.emulator.host()));
		}
	}

	long seed() {
		return this.seed;
	}

	String group() {
		return this.group;
	}

	String databaseName() {
		return this.database.getDatabase();
	}

	Path runDir() {
		return this.runDir;
	}

	Path historyDir() {
		return this.runDir.resolve("histories");
	}

	Path logDir() {
		return this.runDir.resolve("logs");
	}

	List<Member> slots() {
		return this.members;
	}

	List<Member> live() {
		return this.members.stream().filter(Member::isAlive).toList();
	}

	SpannerEmulator emulator() {
		return this.emulator;
	}

	/** Starts the given slots in parallel and waits until each answers. */
	void start(Collection<Member> which, Function<Member, Map<String, String>> env,
			Function<Member, Double> clockRate, String failpoints) {
		for (Member member : which) {
			member.start(env.apply(member), clockRate.apply(member), failpoints);
		}
		for (Member member : which) {
			member.awaitReady(Duration.ofSeconds(60));
		}
		String prefix = this.workloadPrefix;
		if (prefix != null) {
			for (Member member : which) {
				startWorkload(member, prefix);
			}
		}
	}

	private volatile String workloadPrefix;

	private volatile double workloadRate;

	private volatile String workloadMix;

	void start(Collection<Member> which, String failpoints) {
		start(which, (m) -> Map.of(), (m) -> 1.0, failpoints);
	}

	// ---- nemesis ----

	/** Logs a fault that starts now; returns it so {@link #healed(Fault)} can close it. */
	Fault fault(String kind, String target, String detail) {
		Fault fault = new Fault(kind, target, System.nanoTime(), Long.MAX_VALUE, detail);
		log(fault);
		System.out.printf("[chaos] %7.1f s  %-10s %s %s%n", elapsed(), kind, target, (detail != null) ? detail : "");
		return fault;
	}

	Fault healed(Fault fault) {
		Fault closed = new Fault(fault.kind(), fault.target(), fault.startNanos(), System.nanoTime(), fault.detail());
		log(closed);
		return closed;
	}

	private synchronized void log(Fault fault) {
		this.faults.removeIf((f) -> f.startNanos() == fault.startNanos() && f.kind().equals(fault.kind())
				&& f.target().equals(fault.target()));
		this.faults.add(fault);
		try {
			this.nemesis.append(fault);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<Fault> faults() {
		return List.copyOf(this.faults);
	}

	private final long born = System.nanoTime();

	double elapsed() {
		return (System.nanoTime() - this.born) / 1e9;
	}

	void pauseEmulator() {
		this.emulator.pause();
		this.emulatorPaused = true;
	}

	void resumeEmulator() {
		this.emulator.resume();
		this.emulatorPaused = false;
	}

	/** Every proxy back to pass, every paused process resumed. */
	void healAll() {
		if (this.emulatorPaused) {
			resumeEmulator();
		}
		for (Member member : this.members) {
			member.memberProxy.mode(FaultProxy.Mode.PASS);
			member.memberProxy.delay(0);
			member.dbProxy.mode(FaultProxy.Mode.PASS);
			member.dbProxy.delay(0);
			member.resume();
		}
	}

	// ---- observation ----

	Map<Member, JsonNode> statuses() {
		Map<Member, JsonNode> statuses = new LinkedHashMap<>();
		for (Member member : live()) {
			try {
				statuses.put(member, member.status());
			}
			catch (RuntimeException ex) {
				// paused or busy
			}
		}
		return statuses;
	}

	/** The single live member that says it leads, if exactly one does. */
	Optional<Member> leader() {
		List<Member> leaders = statuses().entrySet()
			.stream()
			.filter((e) -> e.getValue().path("leader").asBoolean())
			.map(Map.Entry::getKey)
			.toList();
		return (leaders.size() == 1) ? Optional.of(leaders.get(0)) : Optional.empty();
	}

	Member awaitLeader(Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - end < 0) {
			Optional<Member> leader = leader();
			if (leader.isPresent()) {
				return leader.get();
			}
			sleep(50);
		}
		throw new IllegalStateException("no single leader within " + timeout);
	}

	/**
	 * Waits until exactly one member leads and every live member lists exactly the live members.
	 * @return how long it took, or -1 when it did not converge within the timeout
	 */
	long awaitConverged(Duration timeout) {
		long start = System.nanoTime();
		long end = start + timeout.toNanos();
		while (System.nanoTime() - end < 0) {
			if (converged()) {
				return System.nanoTime() - start;
			}
			sleep(100);
		}
		System.out.println("[chaos] not converged; live " + live().stream().map(Member::id).toList());
		statuses().forEach((m, st) -> System.out.println("    " + m.name() + " " + m.id() + " leader=" + st.path("leader")
				.asBoolean() + " epoch=" + st.path("epoch").asLong() + " leaderId=" + st.path("leaderId").asText()
				+ " members=" + st.path("members")));
		return -1;
	}

	boolean converged() {
		Set<String> expected = new TreeSet<>();
		live().forEach((m) -> expected.add(m.id()));
		Map<Member, JsonNode> statuses = statuses();
		if (statuses.size() != expected.size()) {
			return false;
		}
		long leaders = statuses.values().stream().filter((s) -> s.path("leader").asBoolean()).count();
		if (leaders != 1) {
			return false;
		}
		for (JsonNode status : statuses.values()) {
			Set<String> listed = new TreeSet<>();
			status.path("members").forEach((n) -> listed.add(n.asText()));
			if (!listed.equals(expected)) {
				return false;
			}
		}
		return true;
	}

	void startWorkload(String prefix, double rate, String mix) {
		this.workloadPrefix = prefix;
		this.workloadRate = rate;
		this.workloadMix = mix;
		for (Member member : live()) {
			startWorkload(member, prefix);
		}
	}

	/** Starts the current workload on every live member (after members were started outside {@link #start}). */
	void startWorkloadOnLive() {
		String prefix = this.workloadPrefix;
		if (prefix != null) {
			live().forEach((m) -> startWorkload(m, prefix));
		}
	}

	private void startWorkload(Member member, String prefix) {
		try {
			member.call("POST", "/workload?action=start&prefix=" + prefix + "&rate=" + this.workloadRate + "&mix="
					+ this.workloadMix + "&broadcastEveryMillis=" + (long) (1000 * Math.max(1, live().size())),
					Duration.ofSeconds(5));
		}
		catch (RuntimeException ex) {
			System.out.println("[chaos] could not start the workload of " + member.name() + ": " + ex);
		}
	}

	void stopWorkload() {
		this.workloadPrefix = null;
		List<Thread> stoppers = new ArrayList<>();
		for (Member member : live()) {
			Thread thread = new Thread(() -> {
				try {
					member.call("POST", "/workload?action=stop", Duration.ofSeconds(20));
				}
				catch (RuntimeException ex) {
					System.out.println("[chaos] could not stop the workload of " + member.name() + ": " + ex);
				}
			});
			thread.start();
			stoppers.add(thread);
		}
		for (Thread thread : stoppers) {
			try {
				thread.join(25_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Final {@code Get(k, -1)} of every key, read directly from the database: values newest first. */
	Map<String, List<String>> finalRead(String prefix, int keys) {
		Map<String, List<String>> read = new LinkedHashMap<>();
		for (int k = 0; k < keys; k++) {
			String key = prefix + String.format("k%02d", k);
			List<LogEntry> entries = this.store.log().read(key, LogQuery.all(), Duration.ofSeconds(10));
			read.put(key, entries.stream().map(LogEntry::value).toList());
		}
		return read;
	}

	HedgeStore store() {
		return this.store;
	}

	/** Snapshot reads of the semaphores' permit rows; answer only while the cluster is open. */
	PermitSnapshots snapshots() {
		return this.snapshots;
	}

	/** Every history file of one kind, over all member incarnations. */
	List<Path> historyFiles(String kind) {
		try (Stream<Path> dirs = Files.list(historyDir())) {
			return dirs.map((d) -> d.resolve(kind + ".jsonl")).filter(Files::exists).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		healAll();
		for (Member member : this.members) {
			if (member.isAlive()) {
				member.terminate(Duration.ofSeconds(10));
			}
			member.close();
		}
		try {
			this.nemesis.close();
		}
		catch (IOException ex) {
			// ignore
		}
		this.snapshots.close();
		this.store.close();
		this.emulator.close();
	}

}
