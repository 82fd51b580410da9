package dev.hedge.chaos.member;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.hedge.HedgeNode;
import dev.hedge.transport.grpc.GroupSecret;
import dev.hedge.transport.grpc.MemberSecurity;
import dev.hedge.chaos.history.Effect;
import dev.hedge.chaos.history.Takeover;
import dev.hedge.chaos.history.Term;
import dev.hedge.common.Failpoints;
import dev.hedge.election.ElectionObserver;
import dev.hedge.election.ElectionOptions;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.kv.KeyValueOptions;
import dev.hedge.kv.LogEntry;
import dev.hedge.kv.LogQuery;
import dev.hedge.membership.MembershipOptions;
import dev.hedge.messaging.MessagingOptions;
import dev.hedge.messaging.SendOptions;
import dev.hedge.replicator.Consistency;
import dev.hedge.replicator.ReplicatedGrowOnlySet;
import dev.hedge.replicator.ReplicationTimeoutException;
import dev.hedge.replicator.ReplicatorOptions;
import dev.hedge.store.HedgeStore;

/**
 * One chaos member process: a {@link HedgeNode} on hedge's core (no Spring) on the store {@link StoreSpec} names (the
 * Spanner emulator or a PostgreSQL server, reached through the harness's DB-link proxy, or the embedded store in a
 * directory that other members, of this group or another, share), serving gRPC on its own port behind a member-link proxy (its id is the
 * proxy's address), with a control server for the harness, a seeded {@link Workload}, a hiccup thread, and histories
 * written as JSON lines into its own folder (see {@link Recorder}).
 *
 * <p>Configured by system properties: {@code chaos.slot}, {@code chaos.incarnation}, {@code chaos.group},
 * {@code chaos.store} (see {@link StoreSpec}; {@code spanner} by default), {@code chaos.db} (host:port of the
 * member's database link: its proxy in front of the emulator or the database server), {@code chaos.database} (Spanner
 * only), {@code chaos.jdbc.user} and {@code chaos.jdbc.password} (JDBC only), {@code chaos.listenPort},
 * {@code chaos.advertisedPort}, {@code chaos.controlPort}, {@code chaos.dir}, {@code chaos.seed},
 * {@code chaos.clockRate} (1.0 = no skew), S12's {@link #LIKES_ROUTES}, {@link #LIKES_DURABLE} and
 * {@link #CONTROL_THREADS}, hedge's own {@code hedge.failpoints}, and the JVM's {@code user.timezone}. SIGTERM closes the node gracefully (hand-over)
 * from a shutdown hook.
 *
 * <p>Control endpoints (HTTP on 127.0.0.1): {@code GET /status}; {@code GET /store} (the store and whether this
 * process serves the embedded database file); {@code GET /storeRead?prefix=&keys=} (every value of the workload's keys
 * {@code <prefix>k00} ... read directly from the store, newest first); {@code POST /workload?action=start&prefix=
 * &rate=&mix=&broadcastEveryMillis=}; {@code POST /workload?action=stop}; {@code POST /failpoint?name=&on=};
 * {@code POST /yield}; S12's {@code POST /like?post=&user=&consistency=} and {@code GET /likes?prefix=} (the likes
 * service on the node's replicated data).
 *
 * <p>Threads: the main thread waits for ever; {@code chaos-hiccup} and the control server's {@code chaos-control}
 * threads are daemons that end with the process; the shutdown hook {@code chaos-shutdown} stops the workload, the
 * node and the control server.
 */
public final class MemberMain {

	/** System property with the group secret of the run; without it the member runs unauthenticated on loopback. */
	public static final String SECRET = "chaos.secret";

	/**
	 * System property with the skew window of the group secret ({@code hedge.security.max-clock-skew}): the chaos
	 * runs give members wall clocks up to a minute apart (S8), wider than the 10 s default.
	 */
	public static final String MAX_CLOCK_SKEW = "chaos.maxClockSkew";


	/**
	 * System property of S12's members: {@code <peer id>=<host:port>,...}, the address this member's replicator
	 * reaches each peer at (a fault proxy per ordered pair of members, so the harness can cut the replicator's links
	 * into a partition while membership keeps running). Without it the replicator runs with its defaults.
	 */
	public static final String LIKES_ROUTES = "chaos.likes.routes";

	/** System property of S12's members: whether the replicated data is durable (kept in the store). */
	public static final String LIKES_DURABLE = "chaos.likes.durable";

	/** System property: how many threads the control server has (2 unless S12 sends likes concurrently). */
	public static final String CONTROL_THREADS = "chaos.controlThreads";

	/** Lease timings of the chaos suite (reliability-plan.md §4.3): L 3 s, R 1 s, P 0.5 s, G 1 s, ρ 1 %, M 250 ms. */
	public static final ElectionOptions ELECTION = ElectionOptions.builder()
		.leaseDuration(Duration.ofSeconds(3))
		.renewInterval(Duration.ofSeconds(1))
		.pollInterval(Duration.ofMillis(500))
		.grace(Duration.ofSeconds(1))
		.clockDrift(0.01)
		.safetyMargin(Duration.ofMillis(250))
		.storeTimeout(Duration.ofSeconds(2))
		.build();

	/** Membership: heartbeat every 500 ms, a member is dropped after 3 s of silence. */
	public static final MembershipOptions MEMBERSHIP = new MembershipOptions(Duration.ofMillis(500),
			Duration.ofSeconds(3));

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Recorder recorder;

	private final SkewedTicker ticker;

	private final Map<Long, Term> terms = new ConcurrentHashMap<>();

	private final AtomicReference<HedgeNode> nodeRef = new AtomicReference<>();

	private final AtomicLong maxHiccupNanos = new AtomicLong();

	private final AtomicLong lateRenewals = new AtomicLong();

	private final AtomicLong staleRenewals = new AtomicLong();

	private volatile String memberId = "?";

	private MemberMain(Recorder recorder, SkewedTicker ticker) {
		this.recorder = recorder;
		this.ticker = ticker;
	}

	public static void main(String[] args) throws Exception {
		int slot = Integer.getInteger("chaos.slot", 0);
		int incarnation = Integer.getInteger("chaos.incarnation", 0);
		String group = System.getProperty("chaos.group", "chaos");
		String db = System.getProperty("chaos.db");
		String database = System.getProperty("chaos.database");
		int listenPort = Integer.getInteger("chaos.listenPort", 0);
		int advertisedPort = Integer.getInteger("chaos.advertisedPort", 0);
		int controlPort = Integer.getInteger("chaos.controlPort", 0);
		Path dir = Path.of(System.getProperty("chaos.dir", "."));
		long seed = Long.getLong("chaos.seed", 1L);
		double clockRate = Double.parseDouble(System.getProperty("chaos.clockRate", "1.0"));
		String process = "m" + slot + "." + incarnation;

		Recorder recorder = new Recorder(dir);
		SkewedTicker ticker = new SkewedTicker(clockRate);
		MemberMain member = new MemberMain(recorder, ticker);
		member.startHiccups();

		MemberStore memberStore = MemberStore.open(StoreSpec.parse(System.getProperty(StoreSpec.PROPERTY)), db,
				database);
		HedgeStore raw = memberStore.store();

		// the member id is only known once the node starts; the audited store and handlers look it up lazily
		String advertisedId = "127.0.0.1:" + advertisedPort;
		member.memberId = advertisedId;
		HedgeStore store = new AuditedStore(raw, advertisedId, recorder);
		AtomicReference<HedgeNode> nodeRef = member.nodeRef;
		HedgeNode.Builder builder = HedgeNode.builder(group);
		String routes = System.getProperty(LIKES_ROUTES);
		if (routes != null) {
			builder.replicatedData(likesOptions(routes, Boolean.getBoolean(LIKES_DURABLE)));
		}
		HedgeNode node = builder
			.store(store, true)
			.address("127.0.0.1")
			.listen("127.0.0.1", listenPort)
			.advertisedPort(advertisedPort)
			.election(ELECTION)
			.membership(MEMBERSHIP)
			.messaging(new MessagingOptions(Duration.ofSeconds(3), Duration.ofSeconds(30),
					new SendOptions(0, Workload.OP_DEADLINE, Duration.ofMillis(50), Duration.ofMillis(500))))
			.keyValue(new KeyValueOptions(Workload.OP_DEADLINE, 256, 10_000, 4096, 64 * 1024))
			.ticker(ticker)
			.security(security())
			.electionObserver(member.observer())
			.addLeadershipListener(member.listener())
			.leaderHandler((message) -> {
				long now = System.nanoTime();
				HedgeNode self = nodeRef.get();
				long epoch = (self != null) ? self.epoch() : 0;
				recorder.append(Recorder.EFFECTS, new Effect(advertisedId, "send-handle", epoch, now, now, 0, null));
				return (epoch + "|" + now + "|" + new String(message.payload(), StandardCharsets.UTF_8))
					.getBytes(StandardCharsets.UTF_8);
			})
			.broadcastHandler((message) -> ("broadcast " + new String(message.payload(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8))
			.build();
		nodeRef.set(node);
		node.start();
		Workload workload = new Workload(node, process, seed * 1_000_003L + slot * 7919L + incarnation, recorder);
		HttpServer control = member.control(controlPort, node, workload, memberStore);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			// hand over at once: ops still in flight fail (and are recorded as such) rather than delay the hand-over
			workload.stop(Duration.ZERO);
			node.close();
			workload.stop(Duration.ofSeconds(2));
			control.stop(0);
			memberStore.close();
			recorder.close();
			System.out.println("CLOSED " + node.nodeId());
			System.out.flush();
		}, "chaos-shutdown"));
		System.out.println("READY " + node.nodeId() + " pid " + ProcessHandle.current().pid());
		System.out.flush();
		Thread.currentThread().join();
	}

	private long realDeadline(long skewedDeadline) {
		if (Failpoints.enabled(Failpoints.IGNORE_DEADLINE)) {
			// the member keeps believing past its deadline: the belief interval is open until it logs an end
			return Long.MAX_VALUE;
		}
		return this.ticker.toReal(skewedDeadline);
	}

	private ElectionObserver observer() {
		return new ElectionObserver() {
			@Override
			public void acquired(long epoch, Instant committedAt) {
				MemberMain.this.recorder.append(Recorder.TAKEOVERS,
						new Takeover(MemberMain.this.memberId, epoch, AuditedStore.micros(committedAt)));
			}

			@Override
			public void deadline(long epoch, long deadlineNanos) {
				long deadline = realDeadline(deadlineNanos);
				Term updated = MemberMain.this.terms.compute(epoch, (e, term) -> (term == null)
						? new Term(MemberMain.this.memberId, epoch, Long.MAX_VALUE, Long.MAX_VALUE, deadline, null)
						: new Term(term.member(), epoch, term.startNanos(), term.endNanos(), deadline,
								term.endReason()));
				if (updated.startNanos() != Long.MAX_VALUE) {
					MemberMain.this.recorder.append(Recorder.TERMS, updated);
				}
			}

			@Override
			public void renewal(long epoch, RenewalOutcome outcome, long latencyNanos, boolean late) {
				if (!late) {
					return;
				}
				long done = System.nanoTime();
				long sent = done - (long) (latencyNanos / MemberMain.this.ticker.rate());
				MemberMain.this.lateRenewals.incrementAndGet();
				MemberMain.this.recorder.append(Recorder.RENEWALS,
						new Renewal(MemberMain.this.memberId, epoch, outcome.name(), sent, done));
			}
		};
	}

	private LeadershipListener listener() {
		return new LeadershipListener() {
			@Override
			public void onGranted(LeadershipEvent event) {
				long start = MemberMain.this.ticker.toReal(event.atNanos());
				Term term = MemberMain.this.terms.compute(event.epoch(), (e, known) -> new Term(
						MemberMain.this.memberId, e, start, Long.MAX_VALUE,
						(known != null) ? known.deadlineNanos() : Long.MAX_VALUE, null));
				MemberMain.this.recorder.append(Recorder.TERMS, term);
			}

			@Override
			public void onRevoked(LeadershipEvent event) {
				long end = MemberMain.this.ticker.toReal(event.atNanos());
				Term term = MemberMain.this.terms.compute(event.epoch(), (e, known) -> new Term(
						MemberMain.this.memberId, e, (known != null) ? known.startNanos() : end, end,
						(known != null) ? known.deadlineNanos() : Long.MAX_VALUE,
						(event.reason() != null) ? event.reason().name() : "revoked"));
				MemberMain.this.recorder.append(Recorder.TERMS, term);
			}
		};
	}

	private void startHiccups() {
		Thread thread = new Thread(() -> {
			while (true) {
				long start = System.nanoTime();
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					return;
				}
				long over = System.nanoTime() - start - 10_000_000L;
				if (over > 50_000_000L) {
					this.maxHiccupNanos.accumulateAndGet(over, Math::max);
					this.recorder.append(Recorder.HICCUPS, new Hiccup(this.memberId, start, over));
				}
			}
		}, "chaos-hiccup");
		thread.setDaemon(true);
		thread.start();
	}

	private HttpServer control(int port, HedgeNode node, Workload workload, MemberStore store) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
		server.setExecutor(Executors.newFixedThreadPool(Integer.getInteger(CONTROL_THREADS, 2), (task) -> {
			Thread thread = new Thread(task, "chaos-control");
			thread.setDaemon(true);
			return thread;
		}));
		server.createContext("/status", (exchange) -> {
			Map<String, Object> status = new LinkedHashMap<>();
			status.put("id", node.nodeId());
			status.put("pid", ProcessHandle.current().pid());
			status.put("nanoTime", System.nanoTime());
			status.put("leader", node.isLeader());
			status.put("epoch", node.epoch());
			status.put("leaderId", node.leaderId().orElse(null));
			status.put("members", node.members());
			status.put("opsStarted", workload.started());
			status.put("opsSkipped", workload.skipped());
			status.put("inFlight", workload.inFlight());
			status.put("maxHiccupMillis", this.maxHiccupNanos.get() / 1_000_000);
			status.put("lateRenewals", this.lateRenewals.get());
			status.put("threads", Thread.activeCount());
			status.put("group", node.group());
			status.put("timeZone", ZoneId.systemDefault().getId());
			reply(exchange, 200, JSON.writeValueAsString(status));
		});
		server.createContext("/store", (exchange) -> {
			Map<String, Object> status = new LinkedHashMap<>();
			status.put("kind", store.spec().kind().name().toLowerCase(Locale.ROOT));
			status.put("location", store.spec().location());
			status.put("servesDatabase", store.servesDatabase());
			reply(exchange, 200, JSON.writeValueAsString(status));
		});
		server.createContext("/storeRead", (exchange) -> {
			Map<String, String> query = query(exchange.getRequestURI());
			String prefix = query.getOrDefault("prefix", "k");
			int keys = Integer.parseInt(query.getOrDefault("keys", "50"));
			Map<String, List<String>> read = new LinkedHashMap<>();
			try {
				for (int k = 0; k < keys; k++) {
					String key = Workload.key(prefix, k);
					List<LogEntry> entries = store.store().log().read(key, LogQuery.all(), Duration.ofSeconds(10));
					read.put(key, entries.stream().map(LogEntry::value).toList());
				}
			}
			catch (RuntimeException ex) {
				reply(exchange, 503, JSON.writeValueAsString(Map.of("error", String.valueOf(ex))));
				return;
			}
			reply(exchange, 200, JSON.writeValueAsString(read));
		});
		server.createContext("/workload", (exchange) -> {
			Map<String, String> query = query(exchange.getRequestURI());
			if ("stop".equals(query.get("action"))) {
				int left = workload.stop(Duration.ofSeconds(12));
				reply(exchange, 200, "{\"inFlight\":" + left + "}");
				return;
			}
			workload.start(query.getOrDefault("prefix", "k"), Double.parseDouble(query.getOrDefault("rate", "9")),
					query.getOrDefault("mix", "default"), Long.parseLong(query.getOrDefault("broadcastEveryMillis",
							"5000")));
			reply(exchange, 200, "{}");
		});
		server.createContext("/failpoint", (exchange) -> {
			Map<String, String> query = query(exchange.getRequestURI());
			if (Boolean.parseBoolean(query.getOrDefault("on", "true"))) {
				Failpoints.enable(query.get("name"));
			}
			else {
				Failpoints.disable(query.get("name"));
			}
			reply(exchange, 200, "{}");
		});
		server.createContext("/like", (exchange) -> like(exchange, node));
		server.createContext("/likes", (exchange) -> likes(exchange, node));
		server.createContext("/yield", (exchange) -> reply(exchange, 200,
				"{\"released\":" + node.yieldLeadership() + "}"));
		server.start();
		return server;
	}

	/** The replicator options of S12's members: the given routes to the peers, durable or not. */
	private static ReplicatorOptions likesOptions(String routes, boolean durable) {
		Map<String, String> byPeer = new HashMap<>();
		for (String route : routes.split(",")) {
			int eq = route.indexOf('=');
			if (eq > 0) {
				byPeer.put(route.substring(0, eq), route.substring(eq + 1));
			}
		}
		return ReplicatorOptions.builder()
			.durable(durable)
			.peerAddresses((peer) -> byPeer.getOrDefault(peer, peer))
			.build();
	}

	/**
	 * {@code POST /like?post=&user=&consistency=LOCAL|MAJORITY&timeoutMillis=}: adds the user to the post's grow-only
	 * set {@code likes/<post>} (as the sample's likes service does): 200 {@code {"count":n}} once the consistency's
	 * members hold it, 202 when too few confirmed in time (applied here, outcome unknown), 503 when the node cannot.
	 */
	private static void like(HttpExchange exchange, HedgeNode node) throws IOException {
		Map<String, String> query = query(exchange.getRequestURI());
		Consistency consistency = "LOCAL".equals(query.getOrDefault("consistency", "MAJORITY")) ? Consistency.local()
				: Consistency.majority(Duration.ofMillis(Long.parseLong(query.getOrDefault("timeoutMillis", "2000"))));
		ReplicatedGrowOnlySet<String> likes = node.replicator().growOnlySet("likes/" + query.get("post"),
				String.class);
		try {
			likes.add(query.get("user"), consistency);
			reply(exchange, 200, "{\"count\":" + likes.size() + "}");
		}
		catch (ReplicationTimeoutException ex) {
			reply(exchange, 202, "{\"count\":" + likes.size() + "}");
		}
		catch (RuntimeException ex) {
			reply(exchange, 503, JSON.writeValueAsString(Map.of("error", String.valueOf(ex))));
		}
	}

	/**
	 * {@code GET /likes?prefix=}: every post {@code <prefix>...} this member's replica holds, with its count and users
	 * (read locally), as {@code {"<post>":{"count":n,"users":["<user>",...]},...}}.
	 */
	private static void likes(HttpExchange exchange, HedgeNode node) throws IOException {
		String prefix = "likes/" + query(exchange.getRequestURI()).getOrDefault("prefix", "");
		Map<String, Map<String, Object>> posts = new java.util.TreeMap<>();
		try {
			for (String name : node.replicator().names().keySet()) {
				if (name.startsWith(prefix)) {
					ReplicatedGrowOnlySet<String> likes = node.replicator().growOnlySet(name, String.class);
					Map<String, Object> post = new LinkedHashMap<>();
					post.put("count", likes.size());
					post.put("users", likes.elements().stream().sorted().toList());
					posts.put(name.substring("likes/".length()), post);
				}
			}
		}
		catch (RuntimeException ex) {
			reply(exchange, 503, JSON.writeValueAsString(Map.of("error", String.valueOf(ex))));
			return;
		}
		reply(exchange, 200, JSON.writeValueAsString(posts));
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> values = new HashMap<>();
		String raw = uri.getRawQuery();
		if (raw == null) {
			return values;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		return values;
	}

	private static void reply(HttpExchange exchange, int code, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(code, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static MemberSecurity security() {
		String secret = System.getProperty(SECRET);
		String skew = System.getProperty(MAX_CLOCK_SKEW, "");
		return (secret == null || secret.isBlank()) ? MemberSecurity.auto()
				: MemberSecurity.auto()
					.withSecret(GroupSecret.of(List.of(secret),
							skew.isBlank() ? GroupSecret.DEFAULT_MAX_CLOCK_SKEW : Duration.parse(skew)));
	}

}
