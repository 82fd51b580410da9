package dev.hedge.chaos.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.history.Fault;
import dev.hedge.chaos.history.HistoryIO;
import dev.hedge.chaos.history.JsonLinesAppender;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.FaultProxy;
import dev.hedge.testsupport.SpannerEmulator;

/**
 * The chaos cluster: its store ({@link ClusterStore}: a private Spanner emulator with one database, a private
 * PostgreSQL server with one database, or one embedded directory), member slots with their proxies, each slot in a
 * group (one group, {@value #DEFAULT_GROUP}, unless made with several) and optionally in a JVM time zone, and the
 * nemesis log. Leadership and convergence are judged per
 * group; a cluster of several groups has converged when every group has.
 *
 * <p>Driven by one harness thread.
 */
final class Cluster implements AutoCloseable {

	/** The group of a cluster made without groups. */
	static final String DEFAULT_GROUP = "chaos";

	private final long seed;

	private final Path runDir;

	private final ClusterStore store;

	private final List<String> groups;

	private final List<Member> members = new ArrayList<>();

	private final JsonLinesAppender nemesis;

	private final List<Fault> faults = new CopyOnWriteArrayList<>();

	private final String secret = ChaosConfig.newGroupSecret();

	/** S12: per ordered pair of slots (from, to), the fault proxy on from's replicator link to to; else empty. */
	private final Map<Integer, Map<Integer, FaultProxy>> replicaLinks = new LinkedHashMap<>();

	private boolean likesDurable;

	/** A Spanner cluster of one group, {@value #DEFAULT_GROUP}, on a private emulator. */
	Cluster(long seed, Path runDir, int slots) throws IOException {
		this(seed, runDir, SpannerClusterStore.start(), Collections.nCopies(slots, new Slot(DEFAULT_GROUP, null)));
	}

	/**
	 * A cluster on the given store.
	 * @param slots one per member slot: its group and JVM time zone
	 */
	Cluster(long seed, Path runDir, ClusterStore store, List<Slot> slots) throws IOException {
		this.seed = seed;
		this.runDir = Files.createDirectories(runDir);
		this.store = store;
		Files.createDirectories(historyDir());
		Files.createDirectories(logDir());
		this.nemesis = HistoryIO.appender(runDir.resolve("nemesis.jsonl"));
		this.groups = slots.stream().map(Slot::group).distinct().toList();
		for (int i = 0; i < slots.size(); i++) {
			this.members.add(new Member(this, i, store.databaseHost().orElse(null), slots.get(i).group(),
					slots.get(i).timeZone()));
		}
	}

	/**
	 * An embedded cluster: every member opens the same directory, whatever its group.
	 * @param zones per group, the JVM time zone of each of its members (one slot per zone, in order)
	 */
	static Cluster embedded(long seed, Path runDir, Map<String, List<String>> zones) throws IOException {
		List<Slot> slots = new ArrayList<>();
		zones.forEach((group, list) -> list.forEach((zone) -> slots.add(new Slot(group, zone))));
		return new Cluster(seed, runDir, new EmbeddedClusterStore(runDir.resolve("embedded")), slots);
	}

	/**
	 * A PostgreSQL cluster of one group, {@value #DEFAULT_GROUP}, on a private server: every member reaches it through
	 * its own DB-link proxy.
	 */
	static Cluster postgres(long seed, Path runDir, int slots) throws IOException {
		PostgresClusterStore store = PostgresClusterStore.start();
		try {
			return new Cluster(seed, runDir, store, Collections.nCopies(slots, new Slot(DEFAULT_GROUP, null)));
		}
		catch (IOException | RuntimeException ex) {
			store.close();
			throw ex;
		}
	}

	/**
	 * What a member slot runs as.
	 * @param group the member's group ({@code spring.application.name})
	 * @param timeZone the member JVM's {@code user.timezone}, or {@code null} for the harness's own
	 */
	record Slot(String group, String timeZone) {

	}

	long seed() {
		return this.seed;
	}

	/** The group secret every member of this cluster signs its calls with, or null when they run unauthenticated. */
	String secret() {
		return this.secret;
	}

	/** The first group (the only one of a cluster made without groups). */
	String group() {
		return this.groups.get(0);
	}

	List<String> groups() {
		return this.groups;
	}

	ClusterStore store() {
		return this.store;
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

	List<Member> members(String group) {
		return this.members.stream().filter((m) -> m.group().equals(group)).toList();
	}

	List<Member> live(String group) {
		return this.members.stream().filter((m) -> m.group().equals(group) && m.isAlive()).toList();
	}

	/** The group of the member whose id this is, or empty for an id of no member (such as {@code db}). */
	Optional<String> groupOf(String memberId) {
		return this.members.stream().filter((m) -> m.id().equals(memberId)).map(Member::group).findFirst();
	}

	private SpannerClusterStore spanner() {
		if (this.store instanceof SpannerClusterStore spanner) {
			return spanner;
		}
		throw new IllegalStateException("this cluster runs on " + this.store.spec() + ", not on Spanner");
	}

	/** The cluster's PostgreSQL store (PostgreSQL clusters only). */
	PostgresClusterStore postgres() {
		if (this.store instanceof PostgresClusterStore postgres) {
			return postgres;
		}
		throw new IllegalStateException("this cluster runs on " + this.store.spec() + ", not on PostgreSQL");
	}

	SpannerEmulator emulator() {
		return spanner().emulator();
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

	// ---- S12: the replicator's links ----

	/**
	 * Puts a fault proxy on every ordered pair of member slots' replicator link (members started afterwards reach
	 * their peers' replicators through them, see {@link dev.hedge.chaos.member.MemberMain#LIKES_ROUTES}) and makes
	 * their replicated data durable or not.
	 */
	void replicaLinks(boolean durable) {
		this.likesDurable = durable;
		for (Member from : this.members) {
			for (Member to : this.members) {
				if (from != to) {
					this.replicaLinks.computeIfAbsent(from.slot, (f) -> new LinkedHashMap<>())
						.put(to.slot, FaultProxy.start("127.0.0.1", to.listenPort));
				}
			}
		}
	}

	/** The extra system properties of a member (S12's routes and durability), as JVM arguments. */
	List<String> memberArguments(Member member) {
		Map<Integer, FaultProxy> links = this.replicaLinks.get(member.slot);
		if (links == null) {
			return List.of();
		}
		List<String> routes = new ArrayList<>();
		links.forEach((to, proxy) -> routes.add(this.members.get(to).id() + "=" + proxy.address()));
		return List.of("-D" + dev.hedge.chaos.member.MemberMain.LIKES_ROUTES + "=" + String.join(",", routes),
				"-D" + dev.hedge.chaos.member.MemberMain.LIKES_DURABLE + "=" + this.likesDurable,
				"-D" + dev.hedge.chaos.member.MemberMain.CONTROL_THREADS + "=6");
	}

	/** Cuts (blackholes) every replicator link between {@code side} and the other slots, both ways. */
	void partitionReplicas(Set<Integer> side) {
		this.replicaLinks.forEach((from, byTarget) -> byTarget.forEach((to, proxy) -> {
			if (side.contains(from) != side.contains(to)) {
				proxy.mode(FaultProxy.Mode.BLACKHOLE);
			}
		}));
	}

	/**
	 * Heals a partition of the replicators: every link that was cut resets its connections first, then passes. A
	 * blackholed link discards the bytes it reads, so a connection that lived through the cut would carry a broken
	 * HTTP/2 stream (which no real network delivers: TCP retransmits or the connection ends); resetting them makes the
	 * heal a clean one, where the members reconnect.
	 */
	void healReplicaPartition() {
		this.replicaLinks.values().forEach((byTarget) -> byTarget.values().forEach((p) -> {
			if (p.mode() == FaultProxy.Mode.BLACKHOLE) {
				p.mode(FaultProxy.Mode.RESET);
				p.mode(FaultProxy.Mode.PASS);
			}
		}));
	}

	/** Every replicator link back to pass. */
	void healReplicas() {
		this.replicaLinks.values().forEach((byTarget) -> byTarget.values().forEach((p) -> p.mode(FaultProxy.Mode.PASS)));
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

	/** A database stall: every process of the database server (the emulator, PostgreSQL) SIGSTOPped. */
	void pauseDatabase() {
		this.store.pauseDatabase();
	}

	void resumeDatabase() {
		this.store.resumeDatabase();
	}

	/** Every proxy back to pass, every paused process (and the database server) resumed. */
	void healAll() {
		this.store.heal();
		healReplicas();
		for (Member member : this.members) {
			member.memberProxy.mode(FaultProxy.Mode.PASS);
			member.memberProxy.delay(0);
			if (member.dbProxy != null) {
				member.dbProxy.mode(FaultProxy.Mode.PASS);
				member.dbProxy.delay(0);
			}
			member.resume();
		}
	}

	// ---- observation ----

	Map<Member, JsonNode> statuses() {
		return statuses(live());
	}

	private static Map<Member, JsonNode> statuses(List<Member> members) {
		Map<Member, JsonNode> statuses = new LinkedHashMap<>();
		for (Member member : members) {
			try {
				statuses.put(member, member.status());
			}
			catch (RuntimeException ex) {
				// paused or busy
			}
		}
		return statuses;
	}

	/** The single live member of the first group that says it leads, if exactly one does. */
	Optional<Member> leader() {
		return leader(group());
	}

	/** The single live member of a group that says it leads, if exactly one does. */
	Optional<Member> leader(String group) {
		List<Member> leaders = statuses(live(group)).entrySet()
			.stream()
			.filter((e) -> e.getValue().path("leader").asBoolean())
			.map(Map.Entry::getKey)
			.toList();
		return (leaders.size() == 1) ? Optional.of(leaders.get(0)) : Optional.empty();
	}

	Member awaitLeader(Duration timeout) {
		return awaitLeader(group(), timeout);
	}

	Member awaitLeader(String group, Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - end < 0) {
			Optional<Member> leader = leader(group);
			if (leader.isPresent()) {
				return leader.get();
			}
			sleep(50);
		}
		throw new IllegalStateException("no single leader" + ((this.groups.size() > 1) ? " of " + group : "")
				+ " within " + timeout);
	}

	/**
	 * Waits until, in every group, exactly one member leads and every live member lists exactly the group's live
	 * members.
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
		return this.groups.stream().allMatch(this::converged);
	}

	boolean converged(String group) {
		Set<String> expected = new TreeSet<>();
		List<Member> live = live(group);
		live.forEach((m) -> expected.add(m.id()));
		Map<Member, JsonNode> statuses = statuses(live);
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

	/**
	 * The key prefix of a group's workload in a scenario: the scenario's own in a cluster of one group, followed by
	 * the group's name otherwise (groups sharing a store share its key space: keys are not namespaced by group).
	 */
	String keyPrefix(String scenarioPrefix, String group) {
		return (this.groups.size() == 1) ? scenarioPrefix : scenarioPrefix + group + "-";
	}

	private void startWorkload(Member member, String prefix) {
		try {
			member.call("POST", "/workload?action=start&prefix=" + keyPrefix(prefix, member.group()) + "&rate="
					+ this.workloadRate + "&mix=" + this.workloadMix + "&broadcastEveryMillis="
					+ (long) (1000 * Math.max(1, live(member.group()).size())), Duration.ofSeconds(5));
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
		return this.store.finalRead(live(), prefix, keys);
	}

	/** The harness's own store on the Spanner database (Spanner clusters only). */
	HedgeStore spannerStore() {
		return spanner().store();
	}

	/** Snapshot reads of the first group's permit rows; answer only while the cluster is open. */
	PermitSnapshots snapshots() {
		return snapshots(group());
	}

	/** Snapshot reads of a group's permit rows ({@link PermitSnapshots#NONE} on a store without versions). */
	PermitSnapshots snapshots(String group) {
		return this.store.snapshots(group);
	}

	/** Every history file of one kind, over all member incarnations. */
	List<Path> historyFiles(String kind) {
		return historyFiles(kind, (slot) -> true);
	}

	/** Every history file of one kind, over all incarnations of a group's members. */
	List<Path> historyFiles(String kind, String group) {
		return historyFiles(kind, (slot) -> this.members.get(slot).group().equals(group));
	}

	private List<Path> historyFiles(String kind, IntPredicate slots) {
		// a member's folder is "m<slot>.<incarnation>"
		try (Stream<Path> dirs = Files.list(historyDir())) {
			return dirs.filter((d) -> {
				String name = d.getFileName().toString();
				return slots.test(Integer.parseInt(name.substring(1, name.indexOf('.'))));
			}).map((d) -> d.resolve(kind + ".jsonl")).filter(Files::exists).sorted().toList();
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
		this.replicaLinks.values().forEach((byTarget) -> byTarget.values().forEach(FaultProxy::close));
		try {
			this.nemesis.close();
		}
		catch (IOException ex) {
			// ignore
		}
		this.store.close();
	}

}
