package dev.hedge.store.mvstore;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.hedge.chain.ChainStoreException;
import dev.hedge.chain.Item;
import dev.hedge.chain.KeyEntry;
import dev.hedge.chain.WriteRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The stored form of an entry: round trips, and any damage is detected. */
class EntryCodecTests {

	private static final String KEY = "k\u00e9y-\ud83d\ude00";

	private static KeyEntry both() {
		return new KeyEntry(KEY, new Item(KEY, 300, new byte[] { 1, 2, 3 }, "w-300", true),
				new Item(KEY, 301, new byte[0], "w-\ud800-unpaired", false),
				List.of(new WriteRecord("w-1", 1), new WriteRecord("w-300", 300), new WriteRecord("w-\ud800-unpaired",
						301)));
	}

	@Test
	void entriesRoundTrip() {
		KeyEntry committedOnly = new KeyEntry(KEY, new Item(KEY, 1L << 40, new byte[1000], "w", true), null, List.of());
		KeyEntry pendingOnly = new KeyEntry(KEY, null, new Item(KEY, 1, new byte[] { 9 }, "w", false),
				List.of(new WriteRecord("w", 1)));
		for (KeyEntry entry : List.of(both(), committedOnly, pendingOnly)) {
			assertThat(EntryCodec.decode(KEY, EntryCodec.encode(entry))).isEqualTo(entry);
		}
		assertThat(EntryCodec.encode(pendingOnly)).hasSize(2 + 1 + 2 + 1 + 1 + 1 + 1 + 2 + 4);
	}

	@Test
	void everyDamagedOrTruncatedEncodingIsRefused() {
		byte[] encoded = EntryCodec.encode(both());
		for (int i = 0; i < encoded.length; i++) {
			byte[] damaged = encoded.clone();
			damaged[i] ^= 0x10;
			assertThatExceptionOfType(ChainStoreException.class).isThrownBy(() -> EntryCodec.decode(KEY, damaged))
				.withMessageContaining("damaged");
		}
		for (int length = 0; length < encoded.length; length++) {
			byte[] truncated = Arrays.copyOf(encoded, length);
			assertThatExceptionOfType(ChainStoreException.class).isThrownBy(() -> EntryCodec.decode(KEY, truncated));
		}
	}

}
