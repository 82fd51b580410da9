package dev.hedge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.google.cloud.spanner.DatabaseId;
import com.google.cloud.spanner.Spanner;

import dev.hedge.store.HedgeStore;
import dev.hedge.store.TableNames;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.store.spanner.SpannerHedgeStore;
import dev.hedge.testsupport.SpannerEmulator;

/** The backends a benchmark runs on: embedded always, Spanner when an emulator is available. */
final class BenchStores {

	private BenchStores() {
	}

	static Map<String, Supplier<HedgeStore>> available() {
		Map<String, Supplier<HedgeStore>> stores = new LinkedHashMap<>();
		stores.put("embedded", () -> {
			try {
				return JdbcHedgeStore.embedded(Files.createTempDirectory("hedge-bench-"), true);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Optional<SpannerEmulator> emulator = SpannerEmulator.shared();
		if (emulator.isPresent()) {
			stores.put("spanner-emulator", () -> {
				DatabaseId id = emulator.get().createDatabase("bench");
				Spanner spanner = emulator.get().spanner();
				return SpannerHedgeStore.open(spanner.getDatabaseClient(id), spanner.getDatabaseAdminClient(), id,
						TableNames.defaults(), true);
			});
		}
		else {
			System.out.println("(Spanner emulator not available: " + SpannerEmulator.unavailableReason() + ")");
		}
		return stores;
	}

	static Path tempDir() throws IOException {
		return Files.createTempDirectory("hedge-bench-");
	}

}
