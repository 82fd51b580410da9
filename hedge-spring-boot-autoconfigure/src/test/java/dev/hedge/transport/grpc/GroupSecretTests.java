package dev.hedge.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.hedge.common.HedgeConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupSecretTests {

	static final String OLD = "old-secret-0123456789-0123456789-0123456789";

	static final String NEW = "new-secret-0123456789-0123456789-0123456789";

	private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

	private GroupSecret secret(String... secrets) {
		return GroupSecret.of(List.of(secrets), Duration.ofSeconds(10), this.clock::get, 1000);
	}

	private static GroupSecret.CallFields fields(String method, String group, String sender, String epoch) {
		return new GroupSecret.CallFields(method, group.getBytes(StandardCharsets.UTF_8), sender, epoch);
	}

	private static final GroupSecret.CallFields CALL = fields("hedge.v1.Membership/Leave", "g", "127.0.0.1:7001", "3");

	@Test
	void aSignedCallVerifiesAndItsMessagesOpenInOrderBothWays() throws Exception {
		GroupSecret sender = secret(OLD);
		GroupSecret receiver = secret(OLD);
		GroupSecret.Signed signed = sender.sign(CALL);
		CallSeal server = receiver.verify(CALL, signed.header());
		byte[] first = signed.seal().seal(bytes("request 1"));
		byte[] second = signed.seal().seal(bytes("request 2"));
		assertThat(server.open(first)).isEqualTo(bytes("request 1"));
		assertThat(server.open(second)).isEqualTo(bytes("request 2"));
		byte[] reply = server.seal(bytes("reply"));
		assertThat(signed.seal().open(reply)).isEqualTo(bytes("reply"));
	}

	@Test
	void everyClaimedFieldIsCovered() throws Exception {
		GroupSecret secret = secret(OLD);
		String header = secret.sign(CALL).header();
		for (GroupSecret.CallFields changed : List.of(fields("hedge.v1.Membership/PushMembers", "g", "127.0.0.1:7001", "3"),
				fields("hedge.v1.Membership/Leave", "h", "127.0.0.1:7001", "3"),
				fields("hedge.v1.Membership/Leave", "g", "127.0.0.1:7002", "3"),
				fields("hedge.v1.Membership/Leave", "g", "127.0.0.1:7001", "4"))) {
			assertThatThrownBy(() -> secret.verify(changed, header)).isInstanceOf(GroupSecret.Refused.class)
				.hasMessageContaining("bad call signature");
		}
		String[] parts = header.split("\\.");
		String laterTime = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 1) + "." + parts[3] + "."
				+ parts[4];
		assertThatThrownBy(() -> secret.verify(CALL, laterTime)).hasMessageContaining("bad call signature");
	}

	@Test
	void anotherSecretOrNoSignatureIsRefused() {
		GroupSecret.Signed foreign = secret(NEW).sign(CALL);
		assertThatThrownBy(() -> secret(OLD).verify(CALL, foreign.header())).isInstanceOf(GroupSecret.Refused.class)
			.hasMessageContaining("unknown key");
		assertThatThrownBy(() -> secret(OLD).verify(CALL, null)).hasMessageContaining("not signed");
		assertThatThrownBy(() -> secret(OLD).verify(CALL, "v1.zz")).hasMessageContaining("malformed");
		assertThatThrownBy(() -> secret(OLD).verify(CALL, "v1.abcd.x.y.z")).hasMessageContaining("unknown key");
	}

	@Test
	void duringARotationTheFirstSecretSignsAndAllVerify() throws Exception {
		GroupSecret rotating = secret(NEW, OLD);
		assertThat(rotating.keyIds()).hasSize(2).first().isEqualTo(secret(NEW).keyIds().get(0));
		// a member still on the old secret is understood by one that already signs with the new one ...
		rotating.verify(CALL, secret(OLD).sign(CALL).header());
		// ... and one that accepts both understands the new signer, but a member on the old secret alone does not
		secret(OLD, NEW).verify(CALL, rotating.sign(CALL).header());
		assertThatThrownBy(() -> secret(OLD).verify(CALL, rotating.sign(CALL).header()))
			.hasMessageContaining("unknown key");
	}

	@Test
	void aReplayedCallIsRefused() throws Exception {
		GroupSecret receiver = secret(OLD);
		String header = secret(OLD).sign(CALL).header();
		receiver.verify(CALL, header);
		assertThatThrownBy(() -> receiver.verify(CALL, header)).hasMessageContaining("replayed");
	}

	@Test
	void aCallOutsideTheSkewWindowIsRefused() throws Exception {
		GroupSecret receiver = secret(OLD);
		String header = secret(OLD).sign(CALL).header();
		this.clock.addAndGet(10_001);
		assertThatThrownBy(() -> receiver.verify(CALL, header)).hasMessageContaining("outside the 10000 ms window");
		this.clock.addAndGet(-20_002);
		assertThatThrownBy(() -> receiver.verify(CALL, header)).hasMessageContaining("outside the 10000 ms window");
		this.clock.addAndGet(10_001);
		receiver.verify(CALL, header);
	}

	@Test
	void rememberedNoncesAgeOutWithTheWindowAndAreBounded() throws Exception {
		GroupSecret signer = secret(OLD);
		GroupSecret receiver = GroupSecret.of(List.of(OLD), Duration.ofSeconds(10), this.clock::get, 3);
		for (int i = 0; i < 3; i++) {
			receiver.verify(CALL, signer.sign(CALL).header());
		}
		assertThatThrownBy(() -> receiver.verify(CALL, signer.sign(CALL).header()))
			.hasMessageContaining("too many calls");
		this.clock.addAndGet(12_000);
		receiver.verify(CALL, signer.sign(CALL).header());
	}

	@Test
	void aMessageThatIsAlteredMovedReorderedOrReflectedIsRefused() throws Exception {
		GroupSecret secret = secret(OLD);
		GroupSecret.Signed one = secret.sign(CALL);
		GroupSecret.Signed two = secret.sign(CALL);
		CallSeal serverOne = secret.verify(CALL, one.header());
		CallSeal serverTwo = secret.verify(CALL, two.header());
		byte[] frame = one.seal().seal(bytes("leave"));
		byte[] altered = frame.clone();
		altered[altered.length - 1] ^= 1;
		assertThatThrownBy(() -> serverTwo.open(frame)).hasMessageContaining("bad message signature");
		assertThatThrownBy(() -> serverOne.open(altered)).hasMessageContaining("bad message signature");
		byte[] second = one.seal().seal(bytes("second"));
		assertThatThrownBy(() -> secret.verify(CALL, one.header())).hasMessageContaining("replayed");
		CallSeal fresh = secret.verify(CALL, secret.sign(CALL).header());
		assertThatThrownBy(() -> fresh.open(second)).hasMessageContaining("bad message signature");
		// a request sent back as if it were the reply
		GroupSecret.Signed three = secret.sign(CALL);
		byte[] request = three.seal().seal(bytes("x"));
		assertThatThrownBy(() -> three.seal().open(request)).hasMessageContaining("bad message signature");
		assertThatThrownBy(() -> serverOne.open(bytes("plain protobuf"))).hasMessageContaining("not sealed");
	}

	@Test
	void shortOrMissingSecretsAndWildWindowsAreConfigurationErrors() {
		assertThatThrownBy(() -> GroupSecret.of(List.of("short"))).isInstanceOf(HedgeConfigurationException.class)
			.hasMessageContaining("hedge.security.secret")
			.hasMessageContaining("at least 32 characters");
		assertThatThrownBy(() -> GroupSecret.of(List.of())).isInstanceOf(HedgeConfigurationException.class);
		assertThatThrownBy(() -> GroupSecret.of(List.of(OLD), Duration.ZERO))
			.hasMessageContaining("hedge.security.max-clock-skew");
		assertThat(GroupSecret.of(List.of(OLD)).toString()).doesNotContain(OLD);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
