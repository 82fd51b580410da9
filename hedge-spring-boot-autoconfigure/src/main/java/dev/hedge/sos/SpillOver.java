package dev.hedge.sos;

import io.grpc.BindableService;

/**
 * This member's spill-over store (SoS) manager: named stores whose records fill this member's off-heap memory, then
 * a memory-mapped file, then other members of the group over gRPC, and the peer-side service that holds what other
 * members spill here. Create one with {@link SpillOverFactory}; a {@link dev.hedge.HedgeNode} creates its own.
 *
 * <p><b>Placement order.</b> Every write session fills, record by record: this member's memory, this member's disk,
 * then the other members in the order of their ids as strings (the sorted {@code Membership.members()}), starting
 * with the first id after this member's and wrapping around — members {@code [a, b, c, d]} seen from {@code c}
 * give {@code c-memory, c-disk, d, a, b}. The member list is read when the session first needs a peer. The position
 * only moves forward within a session (a peer that is full, unreachable or fails is left for the next one, and the
 * records it did not acknowledge are sent there); every session starts again at this member's memory.
 *
 * <p><b>Limits.</b> The limits of {@link SpillOverOptions} are per member and shared by this member's stores and the
 * segments it holds for others. A member enforces its own limits on what it receives.
 *
 * <p><b>Threads.</b> Thread-safe. Owns one thread, {@code hedge-<group>-sos-janitor}, which expires stores and
 * spilled segments and keeps this member's spilled segments alive on peers; {@link #close()} stops it. Everything
 * else runs on the caller's thread or on gRPC's threads.
 */
public interface SpillOver extends AutoCloseable {

	/**
	 * A handle to the named store, created empty if this member has none with that name (or if its TTL has passed or
	 * it was deleted). Every call returns a new handle to the same data; the store's TTL starts when every handle,
	 * writer and reader is closed. Opening a handle within the TTL keeps the data.
	 * @param name the store's name (1..200 characters)
	 * @return a new handle
	 * @throws SosUnavailableException if the SoS cannot run on this member (no Apache Arrow on the classpath)
	 * @throws SosClosedException after {@link #close()}
	 * @throws IllegalArgumentException if the name is blank or too long
	 */
	SpillOverStore store(String name);

	/**
	 * This member's limits.
	 * @return the options
	 */
	SpillOverOptions options();

	/**
	 * Whether the SoS can run here (Apache Arrow is on the classpath).
	 * @return whether {@link #store(String)} can succeed
	 */
	boolean isAvailable();

	/**
	 * The largest record a writer accepts: the gRPC message limit minus 1 KiB of protocol overhead.
	 * @return the cap in bytes
	 */
	int maxRecordBytes();

	/**
	 * What this member holds now (its stores and the segments it holds for others). Answered from memory.
	 * @return the figures
	 */
	SpillOverStats stats();

	/**
	 * The peer-side gRPC service ({@code hedge.v1.SpillOver}) to serve on this member's server.
	 * @return the service
	 */
	BindableService service();

	/**
	 * Frees everything this member holds and stops the janitor: this member's stores are deleted here and on the peers
	 * holding their segments (best effort, each peer answering within 2 s), segments held for others are freed. Open
	 * writers and readers fail with {@link SosClosedException}. Idempotent.
	 */
	@Override
	void close();

	/**
	 * Frees this member's memory and files at once without telling any peer, as if the process had died: peers free
	 * the segments they hold for this member when their own TTL has passed. For fault injection. Idempotent.
	 */
	void halt();

}
