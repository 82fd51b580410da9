package dev.hedge.chaos.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.member.StoreSpec;

/**
 * The embedded backend of a chaos cluster: one directory that every member opens (H2 in file mode with
 * {@code AUTO_SERVER}: the first member to open it serves the file to the others, and another takes over when it
 * dies). The harness never opens the database itself, so it never serves it: final reads go through a live member's
 * control endpoint ({@code /storeRead}), which reads the store directly (not through a leader). H2 keeps no old
 * versions, so there are no snapshots: the semaphore checkers judge on the histories alone.
 *
 * <p>Driven by the harness thread.
 */
final class EmbeddedClusterStore implements ClusterStore {

	private final Path directory;

	EmbeddedClusterStore(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	Path directory() {
		return this.directory;
	}

	@Override
	public StoreSpec spec() {
		return StoreSpec.embedded(this.directory);
	}

	@Override
	public Optional<String> databaseHost() {
		return Optional.empty();
	}

	@Override
	public Optional<String> databaseName() {
		return Optional.empty();
	}

	@Override
	public PermitSnapshots snapshots(String group) {
		return PermitSnapshots.NONE;
	}

	@Override
	public Optional<String> snapshotsUnavailable() {
		return Optional.of("the embedded store (H2) keeps no old versions: no exact-timestamp snapshots, so C6's commit"
				+ " replay and C6b's reclaim times are judged on the histories alone (an excess is a violation)");
	}

	@Override
	public Map<String, List<String>> finalRead(List<Member> live, String prefix, int keys) {
		return ClusterStore.readThroughMember(live, prefix, keys);
	}

	@Override
	public void close() {
		// the members own the database; the run's folder (and the directory in it) is deleted with the report
	}

}
