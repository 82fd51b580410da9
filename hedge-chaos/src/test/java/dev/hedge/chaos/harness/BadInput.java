package dev.hedge.chaos.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.testsupport.RawMethods;
import dev.hedge.transport.grpc.GroupSecret;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.proto.AcquireRequest;
import dev.hedge.transport.grpc.proto.DefineRequest;
import dev.hedge.transport.grpc.proto.LeaveRequest;
import dev.hedge.transport.grpc.proto.MemberList;
import dev.hedge.transport.grpc.proto.Payload;
import dev.hedge.transport.grpc.proto.PushMembersRequest;
import dev.hedge.transport.grpc.proto.PutRequest;
import dev.hedge.transport.grpc.proto.ReleaseRequest;
import dev.hedge.transport.grpc.proto.ReleasedRequest;
import dev.hedge.transport.grpc.proto.SosDeleteRequest;
import dev.hedge.transport.grpc.proto.SosKeepAliveRequest;

/**
 * S7, reliability-plan.md §5.3 against live members while the workload runs: fuzzed frames on every hedge gRPC method
 * (random bytes, valid prefix plus garbage, mutated valid messages, unknown methods, bad headers), raw TCP garbage,
 * oversize messages, a slowloris of {@code ~150} connections, calls for another group, and calls claiming another
 * member's identity. Figures go into the scenario result; a member process that exits is caught by the scenario.
 */
final class BadInput {

	private static final String[] METHODS = { "hedge.v1.Messaging/Send", "hedge.v1.Messaging/Broadcast",
			"hedge.v1.Messaging/SendStream", "hedge.v1.Messaging/BroadcastStream", "hedge.v1.Membership/Heartbeat",
			"hedge.v1.Membership/PushMembers", "hedge.v1.Membership/Leave", "hedge.v1.Membership/Released",
			"hedge.v1.KeyValue/Put", "hedge.v1.Semaphores/Define", "hedge.v1.Semaphores/Acquire",
			"hedge.v1.Semaphores/Release", "hedge.v1.SpillOver/KeepAlive", "hedge.v1.SpillOver/Delete",
			"hedge.v1.SpillOver/Read", "hedge.v1.Nope/Nothing" };

	/** Attacking threads: two, so the attacker does not simply take both of the machine's cores. */
	private static final int THREADS = 2;

	private final Cluster cluster;

	private final long seed;

	private final int frames;

	private final Map<String, AtomicLong> codes = new ConcurrentHashMap<>();

	/** The group's secret, or null when the members run unauthenticated (then forged calls are reported, not judged). */
	private final GroupSecret secret;

	/** A secret of the right length that is not the group's. */
	private final GroupSecret wrongSecret = GroupSecret.of(List.of("not-the-group-secret-0123456789-0123456789"));

	/** Calls without the group's secret (unsigned or signed with another) that a member did not refuse. */
	private final AtomicLong strangersAdmitted = new AtomicLong();

	private final AtomicLong strangerCalls = new AtomicLong();

	/**
	 * Deadline of each fuzzed call: longer than any member-side bound (a well-formed fuzzed put may legitimately take
	 * up to the put timeout, 10 s, queued behind the leader's group commit on a loaded emulator), so a call still
	 * unanswered at it is a hang, not a slow store.
	 */
	static final Duration CALL_DEADLINE = Duration.ofSeconds(12);

	private final AtomicLong slowReplies = new AtomicLong();

	private final List<String> slow = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final AtomicLong unanswered = new AtomicLong();

	private final AtomicLong maxReplyMillis = new AtomicLong();

	BadInput(Cluster cluster, long seed, int frames) {
		this.cluster = cluster;
		this.seed = seed;
		this.frames = frames;
		this.secret = (cluster.secret() != null) ? GroupSecret.of(List.of(cluster.secret())) : null;
	}

	void run(Member leader, Member follower, ScenarioResult result) {
		Cluster.sleep(4000);
		result.figures.put("attackStartNanos", System.nanoTime());
		List<Member> targets = List.of(leader, follower);
		java.util.Set<String> fake = ConcurrentHashMap.newKeySet();
		java.util.Set<String> real = new java.util.HashSet<>();
		this.cluster.slots().forEach((m) -> real.add(m.id()));
		Thread sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					leader.status().path("members").forEach((n) -> {
						if (!real.contains(n.asText())) {
							fake.add(n.asText());
						}
					});
					Thread.sleep(200);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (RuntimeException ex) {
					// busy
				}
			}
		}, "chaos-member-sampler");
		sampler.setDaemon(true);
		sampler.start();
		fuzz(targets, result);
		sampler.interrupt();
		result.figures.put("fakeMembersListedByLeader", fake.size());
		result.figures.put("memberAuthentication", (this.secret != null) ? "group secret" : "none (loopback only)");
		if (!fake.isEmpty() && this.secret != null) {
			result.problems.add("calls without the group secret made the leader list " + fake.size()
					+ " members that do not exist: " + fake);
		}
		else if (!fake.isEmpty()) {
			result.knownIssues.add("fuzzed Heartbeats with made-up loopback sender ids made the leader list " + fake.size()
					+ " members that do not exist (until they timed out): member calls are not authenticated (plan §5.2)");
		}
		oversize(targets, result);
		rawTcp(targets, result);
		wrongGroup(targets, result);
		impersonation(leader, follower, result);
		if (this.secret != null) {
			replay(leader, follower, result);
		}
		slowloris(targets, result);
		result.figures.put("attackEndNanos", System.nanoTime());
		result.figures.put("replyCodes", new TreeMap<>(this.codes));
		if (this.secret != null) {
			result.figures.put("callsWithoutTheSecret", this.strangerCalls.get());
			result.figures.put("callsWithoutTheSecretAdmitted", this.strangersAdmitted.get());
			if (this.strangersAdmitted.get() > 0) {
				result.problems.add(this.strangersAdmitted.get() + " of " + this.strangerCalls.get()
						+ " calls without the group secret were not refused with UNAUTHENTICATED");
			}
		}
		result.figures.put("repliesOver1s", this.slowReplies.get());
		result.figures.put("slowReplies", this.slow);
		result.figures.put("maxReplyMillis", this.maxReplyMillis.get());
		long unanswered = this.unanswered.get();
		if (unanswered > 0) {
			// well-formed fuzz writes (a Put of valid shape) wait for the leader's store like any write: a reply
			// over 1 s is reported as a figure; no reply at all within the call deadline is a problem
			result.problems.add(unanswered + " fuzzed requests got no answer within their "
					+ CALL_DEADLINE.toSeconds() + " s deadline: " + this.slow);
		}
		Cluster.sleep(3000);
	}

	private static ManagedChannel channel(Member member) {
		return NettyChannelBuilder.forAddress("127.0.0.1", member.listenPort)
			.usePlaintext()
			.maxInboundMessageSize(64 << 20)
			.build();
	}

	private Metadata headers(String group, String sender, String epoch) {
		Metadata headers = new Metadata();
		if (group != null) {
			headers.put(HedgeHeaders.GROUP, group.getBytes(StandardCharsets.UTF_8));
		}
		if (sender != null) {
			headers.put(HedgeHeaders.SENDER, sender);
		}
		if (epoch != null) {
			headers.put(HedgeHeaders.EPOCH, epoch);
		}
		return headers;
	}

	private byte[] lastReply;

	/**
	 * Calls without the group secret (unsigned, or signed with another secret when the group has one) and
	 * classifies; when the group has a secret, anything but UNAUTHENTICATED counts as a stranger admitted.
	 */
	private String call(ManagedChannel channel, String method, byte[] request, Metadata headers) {
		String code = call(io.grpc.ClientInterceptors.intercept(channel,
				MetadataUtils.newAttachHeadersInterceptor(headers)), method, request);
		countStranger(method, code);
		return code;
	}

	/** A call without the secret is refused: UNAUTHENTICATED, or UNIMPLEMENTED for a method no service has. */
	private void countStranger(String method, String code) {
		if (this.secret != null) {
			this.strangerCalls.incrementAndGet();
			boolean noSuchService = method.startsWith("hedge.v1.Nope/") && "UNIMPLEMENTED".equals(code);
			if (!"UNAUTHENTICATED".equals(code) && !noSuchService) {
				this.strangersAdmitted.incrementAndGet();
			}
		}
	}

	/**
	 * Calls signed with a secret (what a member sends), claiming the given group, sender and epoch.
	 * @param signer the secret; the group's own makes an insider call, another one a stranger's
	 */
	private String signedCall(ManagedChannel channel, GroupSecret signer, String method, byte[] request,
			String group, String sender, long epoch) {
		String code = call(io.grpc.ClientInterceptors.intercept(channel,
				HedgeHeaders.client(group, () -> sender, () -> epoch, signer)), method, request);
		if (signer != this.secret) {
			countStranger(method, code);
		}
		return code;
	}

	/** Calls and classifies; returns the status code name (the reply of an OK call is kept in lastReply). */
	private String call(io.grpc.Channel channel, String method, byte[] request) {
		MethodDescriptor<byte[], byte[]> descriptor = RawMethods.of(method, MethodDescriptor.MethodType.UNARY);
		long start = System.nanoTime();
		String code;
		try {
			this.lastReply = ClientCalls.blockingUnaryCall(channel, descriptor,
					CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS), request);
			code = "OK";
		}
		catch (StatusRuntimeException ex) {
			code = ex.getStatus().getCode().name();
		}
		long millis = (System.nanoTime() - start) / 1_000_000;
		this.maxReplyMillis.accumulateAndGet(millis, Math::max);
		if ("DEADLINE_EXCEEDED".equals(code) && millis >= CALL_DEADLINE.toMillis() - 100) {
			// the client's own deadline: no answer at all (a member's store timeout answers DEADLINE_EXCEEDED too)
			this.unanswered.incrementAndGet();
		}
		if (millis > 1000) {
			this.slowReplies.incrementAndGet();
			if (this.slow.size() < 10) {
				this.slow.add(method + " " + code + " " + millis + " ms");
			}
		}
		this.codes.computeIfAbsent(code, (c) -> new AtomicLong()).incrementAndGet();
		return code;
	}

	private static byte[][] templates() {
		MemberList list = MemberList.newBuilder().setEpoch(1).setVersion(1).setLeader("127.0.0.1:1")
			.addMembers("127.0.0.1:1").build();
		return new byte[][] {
				Payload.newBuilder().setData(ByteString.copyFromUtf8("fuzz message")).build().toByteArray(),
				PushMembersRequest.newBuilder().setMembers(list).build().toByteArray(),
				LeaveRequest.getDefaultInstance().toByteArray(),
				ReleasedRequest.newBuilder().setEpoch(1).build().toByteArray(),
				PutRequest.newBuilder().setKey("fuzz-key").setValue("fuzz-value").setId("fuzz-id").build()
					.toByteArray(),
				DefineRequest.newBuilder().setName("fuzz-semaphore").setLimit(3).build().toByteArray(),
				AcquireRequest.newBuilder().setName("fuzz-semaphore").setPermitId("fuzz-permit").build()
					.toByteArray(),
				ReleaseRequest.newBuilder().setName("fuzz-semaphore").setPermitId("fuzz-permit").build()
					.toByteArray(),
				SosKeepAliveRequest.newBuilder().setStore("fuzz").setInstance("fuzz").build().toByteArray(),
				SosDeleteRequest.newBuilder().setStore("fuzz").setInstance("fuzz").build().toByteArray() };
	}

	private void fuzz(List<Member> targets, ScenarioResult result) {
		byte[][] templates = templates();
		ExecutorService pool = Executors.newFixedThreadPool(THREADS);
		List<ManagedChannel> channels = targets.stream().map(BadInput::channel).toList();
		AtomicLong sent = new AtomicLong();
		int perThread = this.frames / THREADS;
		for (int t = 0; t < THREADS; t++) {
			Random random = new Random(this.seed + t);
			pool.execute(() -> {
				for (int i = 0; i < perThread; i++) {
					ManagedChannel channel = channels.get(random.nextInt(channels.size()));
					String method = METHODS[random.nextInt(METHODS.length)];
					byte[] frame = frame(random, templates);
					sent.incrementAndGet();
					if (this.secret != null && random.nextInt(5) < 2) {
						// 20 %: signed with another secret (refused); 20 %: an insider's garbage, signed with the
						// group's secret and a real member's id, which must get a typed answer like any bad input
						// (not membership calls: an insider may legitimately list, remove or leave members)
						boolean insider = random.nextBoolean() && !method.startsWith("hedge.v1.Membership/");
						String sender = insider ? this.cluster.live().get(random.nextInt(this.cluster.live().size()))
							.id() : "127.0.0.1:" + (1 + random.nextInt(9));
						signedCall(channel, insider ? this.secret : this.wrongSecret, method, frame,
								this.cluster.group(), sender, 0);
						continue;
					}
					Metadata headers = switch (random.nextInt(10)) {
						case 0 -> headers(null, null, null);
						case 1 -> headers(this.cluster.group(), "127.0.0.1:" + random.nextInt(65536),
								Long.toString(random.nextLong()));
						case 2 -> headers(this.cluster.group(), "not an id \u0001", "x");
						default -> headers(this.cluster.group(), "127.0.0.1:" + (1 + random.nextInt(9)), "0");
					};
					call(channel, method, frame, headers);
				}
			});
		}
		pool.shutdown();
		try {
			pool.awaitTermination(5, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		channels.forEach(ManagedChannel::shutdownNow);
		result.figures.put("fuzzedFrames", sent.get());
	}

	private static byte[] frame(Random random, byte[][] templates) {
		byte[] template = templates[random.nextInt(templates.length)];
		switch (random.nextInt(4)) {
			case 0 -> {
				byte[] junk = new byte[random.nextInt(300)];
				random.nextBytes(junk);
				return junk;
			}
			case 1 -> {
				int keep = random.nextInt(template.length + 1);
				byte[] junk = new byte[keep + random.nextInt(64)];
				System.arraycopy(template, 0, junk, 0, keep);
				for (int i = keep; i < junk.length; i++) {
					junk[i] = (byte) random.nextInt(256);
				}
				return junk;
			}
			default -> {
				byte[] mutated = template.clone();
				int flips = 1 + random.nextInt(4);
				for (int i = 0; i < flips && mutated.length > 0; i++) {
					int at = random.nextInt(mutated.length);
					mutated[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : mutated[at] ^ (1 << random
						.nextInt(8)));
				}
				return mutated;
			}
		}
	}

	private void oversize(List<Member> targets, ScenarioResult result) {
		long rejected = 0;
		byte[] big = Payload.newBuilder().setData(ByteString.copyFrom(new byte[5 << 20])).build().toByteArray();
		for (Member member : targets) {
			ManagedChannel channel = channel(member);
			for (int i = 0; i < 5; i++) {
				// with a group secret, sent as a member would (a stranger's is refused before its message is read)
				String code = (this.secret != null)
						? signedCall(channel, this.secret, "hedge.v1.Messaging/Send", big, this.cluster.group(),
								member.id(), 0)
						: call(channel, "hedge.v1.Messaging/Send", big, headers(this.cluster.group(), "127.0.0.1:1", "0"));
				if ("RESOURCE_EXHAUSTED".equals(code)) {
					rejected++;
				}
			}
			channel.shutdownNow();
		}
		result.figures.put("oversizeRejected", rejected + "/" + (5 * targets.size()));
		if (rejected != 5L * targets.size()) {
			result.problems.add("oversize messages not all refused with RESOURCE_EXHAUSTED");
		}
	}

	private void rawTcp(List<Member> targets, ScenarioResult result) {
		Random random = new Random(this.seed ^ 0x5eed);
		long closed = 0;
		long open = 0;
		long attempts = 0;
		byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < 100; i++) {
			Member member = targets.get(i % targets.size());
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", member.listenPort), 2000);
				socket.setSoTimeout(1000);
				OutputStream out = socket.getOutputStream();
				byte[] junk = new byte[1 + random.nextInt(8192)];
				random.nextBytes(junk);
				switch (i % 3) {
					case 0 -> out.write(junk);
					case 1 -> {
						out.write(preface);
						out.write(junk);
					}
					default -> {
						out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
						out.write(junk);
					}
				}
				out.flush();
				attempts++;
				InputStream in = socket.getInputStream();
				long end = System.nanoTime() + 1_000_000_000L;
				int read = 0;
				try {
					while (read >= 0 && System.nanoTime() < end) {
						read = in.read(new byte[4096]);
					}
				}
				catch (SocketTimeoutException ex) {
					read = 0;
				}
				catch (IOException ex) {
					read = -1;
				}
				if (read < 0) {
					closed++;
				}
				else {
					open++;
				}
			}
			catch (IOException ex) {
				closed++;
			}
		}
		result.figures.put("rawGarbageConnections", attempts);
		result.figures.put("rawGarbageClosedWithin1s", closed);
		if (open > 0) {
			result.problems.add(open + " connections with garbage were still open after 1 s");
		}
	}

	private void wrongGroup(List<Member> targets, ScenarioResult result) {
		long refused = 0;
		byte[] request = Payload.newBuilder().setData(ByteString.copyFromUtf8("x")).build().toByteArray();
		for (Member member : targets) {
			ManagedChannel channel = channel(member);
			for (int i = 0; i < 50; i++) {
				String code = (this.secret != null)
						? signedCall(channel, this.secret, METHODS[i % 12], request, "another-group", member.id(), 0)
						: call(channel, METHODS[i % 12], request, headers("another-group", "127.0.0.1:1", "0"));
				if ("FAILED_PRECONDITION".equals(code)) {
					refused++;
				}
			}
			channel.shutdownNow();
		}
		result.figures.put("otherGroupRefused", refused + "/" + (50 * targets.size()));
		if (refused != 50L * targets.size()) {
			result.problems.add("calls for another group were not all refused");
		}
	}

	/**
	 * Calls that claim another member's identity: a release of another member's permit, a Leave in a follower's
	 * name, a member list pushed in the leader's name. With a group secret each is sent unsigned and signed with
	 * another secret, and none may change anything; without one every member is on loopback, so the transport cannot
	 * tell them from the real member and the figures say what they could do.
	 */
	private void impersonation(Member leader, Member follower, ScenarioResult result) {
		ManagedChannel toLeader = channel(leader);
		ManagedChannel toFollower = channel(follower);
		String group = this.cluster.group();
		try {
			// a release by a member that is not the holder must not release the permit
			long attempted = 0;
			long released = 0;
			for (int i = 0; i < 40 && attempted < 10; i++) {
				List<SemaphoreStore.PermitRecord> held = this.cluster.spannerStore()
					.semaphores()
					.permits(group, "s1", Duration.ofSeconds(2));
				if (held.isEmpty()) {
					Cluster.sleep(100);
					continue;
				}
				SemaphoreStore.PermitRecord permit = held.get(0);
				String impostor = this.cluster.live().stream().map(Member::id)
					.filter((id) -> !id.equals(permit.holder())).findFirst().orElse("127.0.0.1:1");
				byte[] request = ReleaseRequest.newBuilder().setName("s1").setPermitId(permit.permitId()).build()
					.toByteArray();
				attempted++;
				String code = call(toLeader, "hedge.v1.Semaphores/Release", request, headers(group, impostor, "0"));
				released += ("OK".equals(code) && parseReleased(this.lastReply)) ? 1 : 0;
				if (this.secret != null) {
					// the holder's own id, signed with a secret that is not the group's
					attempted++;
					code = signedCall(toLeader, this.wrongSecret, "hedge.v1.Semaphores/Release", request, group,
							permit.holder(), 0);
					released += ("OK".equals(code) && parseReleased(this.lastReply)) ? 1 : 0;
				}
			}
			result.figures.put("foreignPermitReleasesAttempted", attempted);
			result.figures.put("foreignPermitReleasesAccepted", released);
			if (released > 0) {
				result.problems.add(released + " releases of another member's permit were accepted");
			}
			// a Leave claiming the follower's id, sent to the leader
			byte[] leave = LeaveRequest.getDefaultInstance().toByteArray();
			call(toLeader, "hedge.v1.Membership/Leave", leave, headers(group, follower.id(), "0"));
			if (this.secret != null) {
				signedCall(toLeader, this.wrongSecret, "hedge.v1.Membership/Leave", leave, group, follower.id(), 0);
			}
			boolean removed = false;
			long until = System.nanoTime() + 300_000_000L;
			while (System.nanoTime() < until) {
				boolean listed = false;
				for (var n : leader.status().path("members")) {
					listed |= n.asText().equals(follower.id());
				}
				removed |= !listed;
				Cluster.sleep(20);
			}
			result.figures.put("forgedLeaveRemovedMember", removed);
			// a member list pushed to a follower by someone claiming to be the leader
			long epoch = leader.status().path("epoch").asLong();
			MemberList forged = MemberList.newBuilder().setEpoch(epoch).setVersion(Long.MAX_VALUE / 2)
				.setLeader(leader.id()).addMembers(leader.id()).addMembers("127.0.0.1:9").build();
			byte[] push = PushMembersRequest.newBuilder().setMembers(forged).build().toByteArray();
			call(toFollower, "hedge.v1.Membership/PushMembers", push, headers(group, leader.id(), Long.toString(epoch)));
			if (this.secret != null) {
				signedCall(toFollower, this.wrongSecret, "hedge.v1.Membership/PushMembers", push, group, leader.id(),
						epoch);
			}
			boolean accepted = listsForgedMember(follower);
			result.figures.put("forgedMemberListFromLeaderIdAccepted", accepted);
			if (accepted) {
				// the follower's next heartbeat reply (version lower than the forged one) must replace the list
				long pushed = System.nanoTime();
				long deadline = pushed + 10_000_000_000L;
				while (listsForgedMember(follower) && System.nanoTime() < deadline) {
					Cluster.sleep(50);
				}
				boolean repaired = !listsForgedMember(follower);
				result.figures.put("forgedMemberListRepairedMillis",
						repaired ? (System.nanoTime() - pushed) / 1_000_000 : -1);
				if (!repaired) {
					result.problems.add("a member list forged in the leader's name was still on " + follower.id()
							+ " after 10 s: heartbeat replies must replace a list version the leader never published");
				}
			}
			if (this.secret != null && (removed || accepted)) {
				result.problems.add("calls without the group secret changed the membership: forged Leave removed a"
						+ " member: " + removed + ", forged member list accepted: " + accepted);
			}
			else {
				if (removed) {
					result.knownIssues.add("a Leave claiming another member's id (from loopback) removed that member"
							+ " from the leader's list until its next heartbeat: member calls are not authenticated"
							+ " (run with the group secret, the default)");
				}
				if (accepted) {
					result.knownIssues.add("a member list pushed by a caller claiming the leader's id (from loopback)"
							+ " replaced a follower's list until its next heartbeat: member calls are not authenticated"
							+ " (run with the group secret, the default)");
				}
			}
			// the same push claiming a non-leader sender must be refused
			call(toFollower, "hedge.v1.Membership/PushMembers",
					PushMembersRequest.newBuilder().setMembers(forged.toBuilder().setLeader("127.0.0.1:8")).build()
						.toByteArray(),
					headers(group, "127.0.0.1:7", Long.toString(epoch)));
		}
		finally {
			toLeader.shutdownNow();
			toFollower.shutdownNow();
		}
	}

	/**
	 * Calls a member really made, played again byte for byte: each of 20 sends signed with the group's secret (as the
	 * follower would) is recorded on the wire — headers and sealed frame — and replayed; every replay must be refused.
	 */
	private void replay(Member leader, Member follower, ScenarioResult result) {
		ManagedChannel toLeader = channel(leader);
		long replayed = 0;
		long refused = 0;
		try {
			for (int i = 0; i < 20; i++) {
				Recorder recorder = new Recorder();
				io.grpc.Channel signed = io.grpc.ClientInterceptors.intercept(
						io.grpc.ClientInterceptors.intercept(toLeader, recorder),
						HedgeHeaders.client(this.cluster.group(), follower::id, () -> 0L, this.secret));
				byte[] payload = Payload.newBuilder().setData(ByteString.copyFromUtf8("replay me " + i)).build()
					.toByteArray();
				if (!"OK".equals(call(signed, "hedge.v1.Messaging/Send", payload)) || recorder.frame == null) {
					continue;
				}
				replayed++;
				String code = call(io.grpc.ClientInterceptors.intercept(toLeader,
						MetadataUtils.newAttachHeadersInterceptor(recorder.headers)), "hedge.v1.Messaging/Send",
						recorder.frame);
				refused += "UNAUTHENTICATED".equals(code) ? 1 : 0;
			}
		}
		finally {
			toLeader.shutdownNow();
		}
		result.figures.put("replayedCalls", replayed);
		result.figures.put("replayedCallsRefused", refused);
		if (replayed == 0 || refused != replayed) {
			result.problems.add((replayed - refused) + " of " + replayed + " replayed signed calls were not refused");
		}
	}

	/** Records the headers and the (sealed) request of the call it sees, below the signing interceptor. */
	private static final class Recorder implements io.grpc.ClientInterceptor {

		volatile Metadata headers;

		volatile byte[] frame;

		@Override
		public <Q, A> io.grpc.ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options,
				io.grpc.Channel next) {
			return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
				@Override
				public void start(Listener<A> listener, Metadata metadata) {
					Metadata copy = new Metadata();
					copy.merge(metadata);
					Recorder.this.headers = copy;
					super.start(listener, metadata);
				}

				@Override
				public void sendMessage(Q message) {
					Recorder.this.frame = (byte[]) message;
					super.sendMessage(message);
				}
			};
		}

	}

	private static boolean listsForgedMember(Member member) {
		for (var n : member.status().path("members")) {
			if (n.asText().equals("127.0.0.1:9")) {
				return true;
			}
		}
		return false;
	}

	private static boolean closedByPeer(Socket socket) {
		try {
			socket.setSoTimeout(1);
			return socket.getInputStream().read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static boolean parseReleased(byte[] reply) {
		try {
			return dev.hedge.transport.grpc.proto.ReleaseReply.parseFrom(reply).getReleased();
		}
		catch (com.google.protobuf.InvalidProtocolBufferException ex) {
			return false;
		}
	}

	private void slowloris(List<Member> targets, ScenarioResult result) {
		int count = 150;
		List<Socket> sockets = new ArrayList<>();
		byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			try {
				Socket socket = new Socket();
				socket.connect(new InetSocketAddress("127.0.0.1", targets.get(i % targets.size()).listenPort), 2000);
				socket.getOutputStream().write(preface[0]);
				sockets.add(socket);
			}
			catch (IOException ex) {
				// refused: fine
			}
		}
		long[] closedAfter = new long[sockets.size()];
		for (int tick = 1; tick <= 30; tick++) {
			Cluster.sleep(500);
			for (int i = 0; i < sockets.size(); i++) {
				if (closedAfter[i] != 0) {
					continue;
				}
				Socket socket = sockets.get(i);
				if (closedByPeer(socket)) {
					closedAfter[i] = (System.nanoTime() - start) / 1_000_000;
					continue;
				}
				if (tick % 4 == 0) {
					try {
						socket.getOutputStream().write(preface[Math.min(tick / 4, preface.length - 1)]);
						socket.getOutputStream().flush();
					}
					catch (IOException ex) {
						closedAfter[i] = (System.nanoTime() - start) / 1_000_000;
					}
				}
			}
		}
		for (Socket socket : sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}
		long closed = java.util.Arrays.stream(closedAfter).filter((t) -> t != 0).count();
		long maxClose = java.util.Arrays.stream(closedAfter).max().orElse(0);
		result.figures.put("slowlorisConnections", sockets.size());
		result.figures.put("slowlorisClosedByServer", closed);
		result.figures.put("slowlorisLastClosedMillis", maxClose);
		if (closed < sockets.size()) {
			result.problems.add((sockets.size() - closed) + " of " + sockets.size()
					+ " slow connections (1 byte every 2 s) were still open after 15 s");
		}
		result.figures.put("slowlorisSeconds", (System.nanoTime() - start) / 1_000_000_000L);
	}

}
