package dev.hedge.chaos.harness;

import java.util.List;
import java.util.Map;

import dev.hedge.store.HedgeStore;

/**
 * A cluster store on a database server the harness started (the Spanner emulator, PostgreSQL): the harness holds a
 * store of its own on it, direct to the server (not through a member's link), for the final reads, and can pause the
 * server (SIGSTOP) for a database stall; {@link #heal()} resumes it.
 *
 * <p>Driven by the harness thread.
 */
abstract class ServerClusterStore implements ClusterStore {

	private final HedgeStore store;

	private boolean paused;

	ServerClusterStore(HedgeStore store) {
		this.store = store;
	}

	/** The harness's own store on the database. */
	HedgeStore store() {
		return this.store;
	}

	boolean paused() {
		return this.paused;
	}

	/** Sends every process of the server SIGSTOP. */
	abstract void suspendServer();

	/** Sends every process of the server SIGCONT. */
	abstract void continueServer();

	@Override
	public final void pauseDatabase() {
		suspendServer();
		this.paused = true;
	}

	@Override
	public final void resumeDatabase() {
		continueServer();
		this.paused = false;
	}

	@Override
	public final void heal() {
		if (this.paused) {
			resumeDatabase();
		}
	}

	@Override
	public Map<String, List<String>> finalRead(List<Member> live, String prefix, int keys) {
		return ClusterStore.read(this.store, prefix, keys);
	}

}
