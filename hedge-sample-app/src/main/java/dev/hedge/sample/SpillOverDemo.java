package dev.hedge.sample;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.hedge.sos.SosStoreStats;
import dev.hedge.sos.SosWriter;
import dev.hedge.sos.SpillOverStore;
import dev.hedge.spring.HedgeSpillOverStore;

/**
 * Spill-over store demo: writes generated records into a named store (they fill this member's memory, then its disk,
 * then other members), reads them back in order, and reports where they landed and whether the SHA-256 of what was
 * read equals what was written.
 */
@RestController
public class SpillOverDemo {

	private final HedgeSpillOverStore spillOver;

	public SpillOverDemo(HedgeSpillOverStore spillOver) {
		this.spillOver = spillOver;
	}

	@PostMapping(path = "/sos/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	public Map<String, Object> roundTrip(@PathVariable String name,
			@RequestParam(defaultValue = "1000") int records, @RequestParam(defaultValue = "4096") int recordBytes,
			@RequestParam(defaultValue = "true") boolean delete) {
		if (records < 1 || records > 1_000_000 || recordBytes < 1 || recordBytes > this.spillOver.maxRecordBytes()) {
			throw new IllegalArgumentException("records must be 1..1000000 and recordBytes 1.."
					+ this.spillOver.maxRecordBytes());
		}
		MessageDigest written = sha256();
		MessageDigest read = sha256();
		Map<String, Object> result = new LinkedHashMap<>();
		try (SpillOverStore store = this.spillOver.open(name)) {
			Random random = new Random(name.hashCode());
			byte[] record = new byte[recordBytes];
			try (SosWriter writer = store.writer()) {
				for (int i = 0; i < records; i++) {
					random.nextBytes(record);
					ByteBuffer.wrap(record).putInt(0, i);
					written.update(record);
					writer.write(record);
				}
			}
			long count = store.read(read::update);
			SosStoreStats stats = store.stats();
			result.put("store", name);
			result.put("recordsWritten", records);
			result.put("recordsRead", count);
			result.put("sha256Equal", MessageDigest.isEqual(written.digest(), read.digest()));
			result.put("memory", stats.memory());
			result.put("disk", stats.disk());
			result.put("peers", stats.peers());
			if (delete) {
				store.delete();
			}
			result.put("deleted", delete);
		}
		return result;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
