package dev.hedge.chaos.harness;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.hedge.chaos.check.PermitSnapshots;
import dev.hedge.chaos.member.StoreSpec;

/**
 * Where a chaos cluster's members keep their state, seen from the harness: the store the members are told to open
 * ({@link StoreSpec}), the address of a database link to put fault proxies on (if there is one), the database's
 * snapshots for the semaphore checkers (if it keeps versions), and the final reads of the workload's keys.
 *
 * <p>Driven by the harness thread; owned by the {@link Cluster}, which closes it.
 */
interface ClusterStore extends AutoCloseable {

	/** The store the members open ({@code -Dchaos.store}). */
	StoreSpec spec();

	/** host:port of the database the members reach over a link (each through its DB-link proxy); empty when none. */
	Optional<String> databaseHost();

	/** The database's name ({@code -Dchaos.database}); empty when the store has none. */
	Optional<String> databaseName();

	/** Exact-timestamp reads of a group's permit rows; {@link PermitSnapshots#NONE} if the store keeps no versions. */
	PermitSnapshots snapshots(String group);

	/** Why {@link #snapshots} answers nothing, to print next to the semaphore checks; empty when it does answer. */
	Optional<String> snapshotsUnavailable();

	/**
	 * Final {@code Get(k, -1)} of the workload's keys {@code <prefix>k00} ... read directly from the database (not
	 * through a leader): values newest first.
	 * @param live the cluster's live members (a store only they can reach is read through one of them)
	 * @param prefix the keys' prefix
	 * @param keys how many keys
	 * @return the values per key
	 */
	Map<String, List<String>> finalRead(List<Member> live, String prefix, int keys);

	@Override
	void close();

}
