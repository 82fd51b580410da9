package dev.hedge.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.common.HedgeConfigurationException;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.proto.LeaveRequest;
import dev.hedge.transport.grpc.proto.MemberList;
import dev.hedge.transport.grpc.proto.Payload;
import dev.hedge.transport.grpc.proto.PushMembersRequest;
import dev.hedge.transport.grpc.proto.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Member authentication by group secret between real nodes over loopback gRPC: strangers, wrong secrets, replays and
 * spliced messages change nothing; a rolling secret rotation keeps the group whole; loopback-only without credentials
 * and the start refusal off loopback.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupSecretClusterTests {

	static final String SECRET = GroupSecretTests.OLD;

	static final String OTHER = GroupSecretTests.NEW;

	private final HedgeStore store;

	private TestNodes nodes;

	GroupSecretClusterTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stopNodes() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	private static Consumer<HedgeNode.Builder> secret(String... secrets) {
		return (builder) -> builder.security(MemberSecurity.auto().withSecret(GroupSecret.of(List.of(secrets))))
			.leaderHandler((m) -> ("echo " + new String(m.payload(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8))
			.broadcastHandler((m) -> m.payload());
	}

	private void awaitWhole(List<HedgeNode> members) {
		Set<String> ids = members.stream().map(HedgeNode::nodeId).collect(Collectors.toSet());
		await().atMost(Timing.seconds(20))
			.until(() -> this.nodes.leader().isPresent()
					&& members.stream().allMatch((n) -> Set.copyOf(n.members()).equals(ids)));
	}

	@Test
	void membersWithTheSecretWorkAsAGroupAndAWrongSecretNeverJoins() {
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> members = this.nodes.startAll(3, secret(SECRET));
		HedgeNode follower = this.nodes.followers().get(0);
		assertThat(new String(follower.send("hi".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
			.isEqualTo("echo hi");
		assertThat(follower.broadcast("all".getBytes(StandardCharsets.UTF_8))).hasSize(3)
			.allSatisfy((r) -> assertThat(r.ok()).as(r.toString()).isTrue());
		HedgeNode stranger = this.nodes.start(secret(OTHER));
		// it learns the leader from the store, which the secret does not guard
		await().atMost(Timing.seconds(10)).until(() -> stranger.leaderId().isPresent());
		assertThatExceptionOfType(RequestRejectedException.class)
			.isThrownBy(() -> stranger.send("let me in".getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(Failure.Kind.UNAUTHENTICATED))
			.withMessageContaining("unknown key");
		// its heartbeats were refused all along: the leader never listed it
		Set<String> ids = members.stream().map(HedgeNode::nodeId).collect(Collectors.toSet());
		await().during(Timing.seconds(3)).atMost(Timing.seconds(6))
			.until(() -> members.stream().allMatch((n) -> Set.copyOf(n.members()).equals(ids)));
	}

	@Test
	void unsignedForeignReplayedAndSplicedCallsChangeNothing() {
		this.nodes = new TestNodes(this.store);
		AtomicInteger handled = new AtomicInteger();
		List<HedgeNode> members = this.nodes.startAll(2, secret(SECRET).andThen((b) -> b.leaderHandler((m) -> {
			handled.incrementAndGet();
			return m.payload();
		})));
		HedgeNode leader = this.nodes.leader().orElseThrow();
		HedgeNode follower = this.nodes.followers().get(0);
		Set<String> ids = members.stream().map(HedgeNode::nodeId).collect(Collectors.toSet());
		String group = this.nodes.group();
		byte[] leave = LeaveRequest.getDefaultInstance().toByteArray();
		MemberList forged = MemberList.newBuilder().setEpoch(leader.epoch()).setVersion(Long.MAX_VALUE / 2)
			.setLeader(leader.nodeId()).addMembers(leader.nodeId()).addMembers("127.0.0.1:9").build();
		byte[] push = PushMembersRequest.newBuilder().setMembers(forged).build().toByteArray();
		try (RawCalls toLeader = new RawCalls(leader.nodeId()); RawCalls toFollower = new RawCalls(follower.nodeId())) {
			Metadata asFollower = RawCalls.headers(group, follower.nodeId(), "0");
			Metadata asLeader = RawCalls.headers(group, leader.nodeId(), Long.toString(leader.epoch()));
			assertUnauthenticated(() -> toLeader.unary("hedge.v1.Membership/Leave", leave, asFollower), "not signed");
			assertUnauthenticated(() -> toFollower.unary("hedge.v1.Membership/PushMembers", push, asLeader),
					"not signed");
			// signed with a secret the group does not have
			GroupSecret foreign = GroupSecret.of(List.of(OTHER));
			assertUnauthenticated(() -> signedCall(toLeader, foreign, "hedge.v1.Membership/Leave", group,
					follower.nodeId(), "0", leave), "unknown key");
			// a call made once with the right secret, then played again byte for byte
			GroupSecret right = GroupSecret.of(List.of(SECRET));
			GroupSecret.CallFields fields = new GroupSecret.CallFields("hedge.v1.Messaging/Send",
					group.getBytes(StandardCharsets.UTF_8), follower.nodeId(), "0");
			GroupSecret.Signed signed = right.sign(fields);
			byte[] frame = signed.seal()
				.seal(Payload.newBuilder().setData(ByteString.copyFromUtf8("once")).build().toByteArray());
			Metadata headers = RawCalls.headers(group, follower.nodeId(), "0");
			headers.put(HedgeHeaders.AUTH, signed.header());
			byte[] reply = toLeader.unary("hedge.v1.Messaging/Send", frame, headers);
			assertThat(Reply.parseFrom(signed.seal().open(reply)).getData().toStringUtf8()).isEqualTo("once");
			assertThat(handled).hasValue(1);
			assertUnauthenticated(() -> toLeader.unary("hedge.v1.Messaging/Send", frame, headers), "replayed");
			// a fresh signature with a message sealed for another call
			Metadata fresh = RawCalls.headers(group, follower.nodeId(), "0");
			fresh.put(HedgeHeaders.AUTH, right.sign(fields).header());
			assertUnauthenticated(() -> toLeader.unary("hedge.v1.Messaging/Send", frame, fresh), "bad message");
			assertThat(handled).hasValue(1);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
		await().during(Timing.seconds(2)).atMost(Timing.seconds(4))
			.until(() -> Set.copyOf(leader.members()).equals(ids) && Set.copyOf(follower.members()).equals(ids));
	}

	private static byte[] signedCall(RawCalls raw, GroupSecret secret, String method, String group, String sender,
			String epoch, byte[] request) {
		GroupSecret.Signed signed = secret.sign(
				new GroupSecret.CallFields(method, group.getBytes(StandardCharsets.UTF_8), sender, epoch));
		Metadata headers = RawCalls.headers(group, sender, epoch);
		headers.put(HedgeHeaders.AUTH, signed.header());
		return raw.unary(method, signed.seal().seal(request), headers);
	}

	private static void assertUnauthenticated(Runnable call, String reason) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
			assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
			assertThat(ex.getStatus().getDescription()).contains(reason);
		});
	}

	@Test
	void aRollingRotationKeepsTheGroupWhole() {
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> members = new ArrayList<>(this.nodes.startAll(3, secret(SECRET)));
		// 1: every member accepts the new secret too; 2: every member signs with it; 3: the old one is dropped
		List<Consumer<HedgeNode.Builder>> steps = List.of(secret(SECRET, OTHER), secret(OTHER, SECRET), secret(OTHER));
		for (Consumer<HedgeNode.Builder> step : steps) {
			for (int i = 0; i < members.size(); i++) {
				members.get(i).close();
				members.set(i, this.nodes.start(step));
				awaitWhole(members);
				for (HedgeNode member : members) {
					assertThat(member.send("x".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
				}
			}
		}
		assertThat(members).allMatch((m) -> m.members().size() == 3);
	}

	@Test
	void withoutCredentialsOnlyLoopbackCallersAreAdmitted() {
		String siteLocal = NodeAddressesForTests.siteLocalIpv4();
		Assumptions.assumeTrue(siteLocal != null, "this machine has no site-local IPv4 address");
		this.nodes = new TestNodes(this.store);
		HedgeNode node = this.nodes.start((builder) -> builder.listen("0.0.0.0", 0).leaderHandler((m) -> m.payload()));
		int port = Integer.parseInt(node.nodeId().substring(node.nodeId().lastIndexOf(':') + 1));
		try (RawCalls fromLoopback = new RawCalls("127.0.0.1:" + port);
				RawCalls fromNetwork = new RawCalls(siteLocal + ":" + port)) {
			byte[] payload = Payload.newBuilder().setData(ByteString.copyFromUtf8("x")).build().toByteArray();
			await().atMost(Timing.seconds(10)).until(node::isLeader);
			assertThat(fromLoopback.unary("hedge.v1.Messaging/Send", payload,
					RawCalls.headers(this.nodes.group(), "127.0.0.1:1", "0")))
				.isNotEmpty();
			assertUnauthenticated(() -> fromNetwork.unary("hedge.v1.Messaging/Send", payload,
					RawCalls.headers(this.nodes.group(), siteLocal + ":1", "0")), "need hedge.security.secret");
		}
	}

	@Test
	void aMemberAdvertisingANetworkAddressNeedsCredentialsOrAnExplicitNone() {
		HedgeNode.Builder open = HedgeNode.builder("g").store(this.store, false).address("10.1.2.3");
		assertThatExceptionOfType(HedgeConfigurationException.class).isThrownBy(open::build)
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("hedge.security.mode"))
			.withMessageContaining("hedge.security.secret")
			.withMessageContaining("hedge.security.mode=none");
		open.security(MemberSecurity.none()).build();
		open.security(MemberSecurity.auto().withSecret(GroupSecret.of(List.of(SECRET)))).build();
		assertThatExceptionOfType(HedgeConfigurationException.class)
			.isThrownBy(() -> MemberSecurity.none().withSecret(GroupSecret.of(List.of(SECRET))))
			.withMessageContaining("hedge.security.mode");
		assertThat(HedgeNode.builder("g").store(this.store, false).build()).isNotNull();
	}

	/** Finds an address of this machine that is not loopback, to call a member from "another host". */
	static final class NodeAddressesForTests {

		static String siteLocalIpv4() {
			try {
				for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
					if (!nic.isUp() || nic.isLoopback()) {
						continue;
					}
					for (var address : java.util.Collections.list(nic.getInetAddresses())) {
						if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress()) {
							return address.getHostAddress();
						}
					}
				}
			}
			catch (java.net.SocketException ex) {
				return null;
			}
			return null;
		}

	}

}
