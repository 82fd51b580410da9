package dev.hedge.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.HedgeNode;
import dev.hedge.TestNodes;
import dev.hedge.messaging.MessagingException;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.TestCertificates;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.proto.Payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS between real nodes over loopback: members with certificates from the group's CA form a group; a member
 * whose certificate another CA issued, a plaintext caller, and a member whose certificate names another address are
 * all kept out, and the group stays as it was.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberTlsClusterTests {

	private final HedgeStore store;

	private TestNodes nodes;

	MemberTlsClusterTests(EmbeddedTestDatabase database) {
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

	private static Consumer<HedgeNode.Builder> tls(String certificate, String ca, String serverName) {
		MemberTls tls = MemberTls.of(TestCertificates.keys(certificate), TestCertificates.trust(ca))
			.serverName(serverName);
		return (builder) -> builder.security(MemberSecurity.auto().withTls(tls))
			.leaderHandler((m) -> m.payload())
			.broadcastHandler((m) -> m.payload());
	}

	@Test
	void membersWithTheGroupsCaFormAGroupAndOthersStayOut() {
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> members = this.nodes.startAll(3, tls("member", "hedge", null));
		Set<String> ids = members.stream().map(HedgeNode::nodeId).collect(Collectors.toSet());
		HedgeNode follower = this.nodes.followers().get(0);
		assertThat(follower.send("over tls".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("over tls".getBytes(StandardCharsets.UTF_8));
		assertThat(follower.broadcast(new byte[] { 1 })).hasSize(3).allMatch((r) -> r.ok());

		// a certificate from another CA: the handshake fails both ways, so its calls never reach a service
		HedgeNode rogue = this.nodes.start(tls("rogue", "hedge", null));
		await().atMost(Timing.seconds(10)).until(() -> rogue.leaderId().isPresent());
		assertThatThrownBy(() -> rogue.send(new byte[] { 2 })).isInstanceOf(MessagingException.class);
		// a certificate from the group's CA that names another address than the member id claims
		HedgeNode elsewhere = this.nodes.start(tls("elsewhere", "hedge", "hedge-member"));
		await().atMost(Timing.seconds(10)).until(() -> elsewhere.leaderId().isPresent());
		assertThatThrownBy(() -> elsewhere.send(new byte[] { 3 })).isInstanceOf(MessagingException.class)
			.hasMessageContaining("IP addresses of its certificate");
		await().during(Timing.seconds(3)).atMost(Timing.seconds(6))
			.until(() -> members.stream().allMatch((n) -> Set.copyOf(n.members()).equals(ids)));

		// and a plaintext caller does not get past the handshake
		try (RawCalls plaintext = new RawCalls(follower.nodeId())) {
			byte[] payload = Payload.newBuilder().setData(ByteString.copyFromUtf8("x")).build().toByteArray();
			assertThatThrownBy(() -> plaintext.unary("hedge.v1.Messaging/Send", payload,
					RawCalls.headers(this.nodes.group(), "127.0.0.1:1", "0")))
				.isInstanceOfSatisfying(StatusRuntimeException.class,
						(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		}
	}

	@Test
	void aSharedCertificateWorksWithAServerName() {
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> members = this.nodes.startAll(2, tls("named", "hedge", "hedge-member"));
		assertThat(members.get(0).send(new byte[] { 7 })).containsExactly(7);
		assertThat(members.get(1).send(new byte[] { 8 })).containsExactly(8);
	}

	@Test
	void withoutTheServerNameACertificateWithoutTheAddressIsRefusedByTheCaller() {
		this.nodes = new TestNodes(this.store);
		HedgeNode first = this.nodes.start(tls("named", "hedge", null));
		await().atMost(Timing.seconds(10)).until(first::isLeader);
		HedgeNode second = this.nodes.start(tls("named", "hedge", null));
		await().atMost(Timing.seconds(10)).until(() -> second.leaderId().isPresent());
		// the leader's certificate does not list 127.0.0.1, the address the follower dials
		assertThatThrownBy(() -> second.send(new byte[] { 1 })).isInstanceOf(MessagingException.class);
	}

}
