package dev.hedge.transport.grpc;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallGateTests {

	@Test
	void aSenderClaimingAnotherPodsAddressIsRefused() {
		assertThat(CallGate.senderMismatch("10.0.0.7:9091", new InetSocketAddress("10.0.0.9", 41000)))
			.contains("does not match");
	}

	@Test
	void aSenderSpeakingForItselfPasses() {
		assertThat(CallGate.senderMismatch("10.0.0.7:9091", new InetSocketAddress("10.0.0.7", 41000))).isNull();
	}

	@Test
	void loopbackConnectionsAndHostNamesAreNotJudged() {
		assertThat(CallGate.senderMismatch("10.0.0.7:9091", new InetSocketAddress("127.0.0.1", 41000))).isNull();
		assertThat(CallGate.senderMismatch("pod-1.hedge:9091", new InetSocketAddress("10.0.0.9", 41000)))
			.isNull();
	}

}
