package dev.hedge.messaging;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BroadcastResultTests {

	@Test
	void aUtf8ReplyPrintsAsText() {
		BroadcastResult result = new BroadcastResult("10.0.0.7:9091", "broadcast héllo".getBytes(StandardCharsets.UTF_8),
				null);
		assertThat(result).hasToString("BroadcastResult[member=10.0.0.7:9091, reply=\"broadcast héllo\"]");
	}

	@Test
	void aBinaryReplyPrintsItsSize() {
		BroadcastResult result = new BroadcastResult("m:1", new byte[] { (byte) 0xff, (byte) 0xfe, 0 }, null);
		assertThat(result).hasToString("BroadcastResult[member=m:1, reply=3 bytes (not UTF-8)]");
	}

	@Test
	void anErrorPrintsTheError() {
		BroadcastResult result = new BroadcastResult("m:1", null, new MemberUnavailableException("m:1", "gone", false, null));
		assertThat(result.toString()).startsWith("BroadcastResult[member=m:1, error=").contains("gone");
	}

	@Test
	void repliesCompareByContent() {
		BroadcastResult one = new BroadcastResult("m:1", "x".getBytes(StandardCharsets.UTF_8), null);
		BroadcastResult same = new BroadcastResult("m:1", "x".getBytes(StandardCharsets.UTF_8), null);
		assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
		assertThat(one).isNotEqualTo(new BroadcastResult("m:1", "y".getBytes(StandardCharsets.UTF_8), null));
	}

}
