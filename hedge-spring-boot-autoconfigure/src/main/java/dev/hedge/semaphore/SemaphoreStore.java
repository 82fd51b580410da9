package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import dev.hedge.common.StoreException;
import dev.hedge.election.Fence;
import dev.hedge.election.FencedException;

/**
 * Storage SPI of semaphores, kept in the log table under the reserved keys of {@link SemaphoreRows}. Every write is
 * one transaction that first checks the writer's {@link Fence} against the lease row; a grant also checks the limit in
 * that same transaction, so two members that both believe they lead can never grant more than the limit. Names and
 * ids are always bound parameters. Implemented by every store adapter; thread-safe.
 */
public interface SemaphoreStore {

	/**
	 * Creates the semaphore's definition if it does not exist.
	 * @param fence the leader's fence
	 * @param name the semaphore
	 * @param limit the limit to create it with
	 * @param writer the leader's id
	 * @param timeout deadline of the call
	 * @return the limit stored (the existing one if it already existed)
	 * @throws FencedException if the fence is stale
	 * @throws StoreException on failure or timeout
	 */
	int define(Fence fence, String name, int limit, String writer, Duration timeout);

	/**
	 * Grants a permit if the semaphore exists and has fewer permits than its limit. Idempotent per permit id: granting
	 * an id that is already granted answers {@link Grant.Status#GRANTED} with the original timestamp.
	 * @param fence the leader's fence
	 * @param name the semaphore
	 * @param permitId the permit's id (client-generated)
	 * @param holder the member that will hold it
	 * @param writer the leader's id
	 * @param timeout deadline of the call
	 * @return the outcome
	 * @throws FencedException if the fence is stale (nothing was granted)
	 * @throws StoreException on failure or timeout
	 */
	Grant grant(Fence fence, String name, String permitId, String holder, String writer, Duration timeout);

	/**
	 * Deletes a permit.
	 * @param fence the leader's fence
	 * @param name the semaphore
	 * @param permitId the permit
	 * @param timeout deadline of the call
	 * @return the commit timestamp of the deletion, or empty if the permit did not exist
	 * @throws FencedException if the fence is stale
	 * @throws StoreException on failure or timeout
	 */
	Optional<Instant> revoke(Fence fence, String name, String permitId, Duration timeout);

	/**
	 * Deletes every permit a member holds, in every semaphore (used when the member is declared dead).
	 * @param fence the leader's fence
	 * @param holder the member
	 * @param timeout deadline of the call
	 * @return the permits deleted, each with the commit timestamp of the deletion as {@code grantedAt}'s companion
	 * {@link Revoked#revokedAt()}
	 * @throws FencedException if the fence is stale
	 * @throws StoreException on failure or timeout
	 */
	List<Revoked> revokeHolder(Fence fence, String holder, Duration timeout);

	/**
	 * The permits of one semaphore (strong read).
	 * @param name the semaphore
	 * @param timeout deadline of the call
	 * @return the permits
	 */
	List<PermitRecord> permits(String name, Duration timeout);

	/**
	 * Every permit of every semaphore (strong read).
	 * @param timeout deadline of the call
	 * @return the permits
	 */
	List<PermitRecord> allPermits(Duration timeout);

	/**
	 * The stored limit of a semaphore.
	 * @param name the semaphore
	 * @param timeout deadline of the call
	 * @return the limit, or empty if it was never defined
	 */
	OptionalInt limit(String name, Duration timeout);

	/**
	 * Outcome of {@link #grant}.
	 *
	 * @param status what happened
	 * @param limit the semaphore's limit (0 when not found)
	 * @param committedAt the grant's commit timestamp (GRANTED only)
	 * @param created whether this call created the permit (false when it already existed)
	 */
	record Grant(Status status, int limit, Instant committedAt, boolean created) {

		/** Grant outcomes. */
		public enum Status {

			/** The permit is held (now, or already was). */
			GRANTED,

			/** The semaphore is at its limit. */
			FULL,

			/** The semaphore was never defined. */
			NOT_FOUND

		}

	}

	/**
	 * A permit as stored.
	 *
	 * @param semaphore the semaphore
	 * @param permitId the permit
	 * @param holder the member holding it
	 * @param grantedAt the grant's commit timestamp
	 */
	record PermitRecord(String semaphore, String permitId, String holder, Instant grantedAt) {

	}

	/**
	 * A permit deleted by {@link #revokeHolder}.
	 *
	 * @param permit the permit
	 * @param revokedAt the deletion's commit timestamp
	 */
	record Revoked(PermitRecord permit, Instant revokedAt) {

	}

}
