package dev.hedge.transport.grpc;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HedgeHeadersTests {

	@Test
	void aSenderClaimingAnotherPodsAddressIsRefused() {
		assertThat(HedgeHeaders.senderMismatch("10.0.0.7:9091", new InetSocketAddress("10.0.0.9", 41000)))
			.contains("does not match");
	}

	@Test
	void aSenderSpeakingForItselfPasses() {
		assertThat(HedgeHeaders.senderMismatch("10.0.0.7:9091", new InetSocketAddress("10.0.0.7", 41000))).isNull();
	}

	@Test
	void loopbackConnectionsAndHostNamesAreNotJudged() {
		assertThat(HedgeHeaders.senderMismatch("10.0.0.7:9091", new InetSocketAddress("127.0.0.1", 41000))).isNull();
		assertThat(HedgeHeaders.senderMismatch("pod-1.hedge:9091", new InetSocketAddress("10.0.0.9", 41000)))
			.isNull();
	}

}
