package dev.hedge.semaphore;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
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
 *
 * <p>A semaphore belongs to one group: writes act on the semaphores of the group whose lease their fence names
 * ({@link Fence#lockName()} is the group), reads name the group. Two groups sharing a table (two applications on one
 * embedded directory, or one Spanner database) never see, count or reclaim each other's permits.
 */
public interface SemaphoreStore {

	/**
	 * Creates the semaphore's definition if it does not exist.
	 * @param fence the leader's fence (its lock name is the group)
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
	 * an id that is already granted answers {@link Grant.Status#GRANTED} with the original timestamp. The commit
	 * timestamps of one semaphore's grants strictly increase (they serialise on its permit count), which makes them
	 * fencing tokens ({@link Permit#token()}).
	 * @param fence the leader's fence (its lock name is the group)
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
	 * @param fence the leader's fence (its lock name is the group)
	 * @param name the semaphore
	 * @param permitId the permit
	 * @param timeout deadline of the call
	 * @return the commit timestamp of the deletion, or empty if the permit did not exist
	 * @throws FencedException if the fence is stale
	 * @throws StoreException on failure or timeout
	 */
	Optional<Instant> revoke(Fence fence, String name, String permitId, Duration timeout);

	/**
	 * Deletes exactly the permits given, each only if it still exists with the same holder, in one transaction (the
	 * reclaim of a member declared dead: it decides on a snapshot of the member's permits and must not delete one
	 * granted after that, e.g. to the member re-admitted meanwhile). Deletes by primary key: no scan under the lease
	 * lock.
	 * @param fence the leader's fence (its lock name is the group)
	 * @param permits the permits, as read by {@link #permitsOf(String, String, Duration)}
	 * @param timeout deadline of the call
	 * @return the permits deleted, each with the commit timestamp of the deletion
	 * @throws FencedException if the fence is stale
	 * @throws StoreException on failure or timeout
	 */
	List<Revoked> revokeExactly(Fence fence, Collection<PermitRecord> permits, Duration timeout);

	/**
	 * The permits of one semaphore (strong read).
	 * @param group the group
	 * @param name the semaphore
	 * @param timeout deadline of the call
	 * @return the permits
	 */
	List<PermitRecord> permits(String group, String name, Duration timeout);

	/**
	 * The permits of every semaphore of a group (strong read, a range read over the group's semaphore keys).
	 * @param group the group
	 * @param timeout deadline of the call
	 * @return the permits
	 */
	List<PermitRecord> allPermits(String group, Duration timeout);

	/**
	 * The permits one member holds in a group's semaphores (strong read).
	 * @param group the group
	 * @param holder the member
	 * @param timeout deadline of the call
	 * @return the permits
	 */
	default List<PermitRecord> permitsOf(String group, String holder, Duration timeout) {
		return allPermits(group, timeout).stream().filter((permit) -> permit.holder().equals(holder)).toList();
	}

	/**
	 * The limit of a semaphore, if it exists.
	 * @param group the group
	 * @param name the semaphore
	 * @param timeout deadline of the call
	 * @return the limit
	 */
	OptionalInt limit(String group, String name, Duration timeout);

	/**
	 * The outcome of {@link #grant}.
	 * @param status granted, full, or no such semaphore
	 * @param limit the semaphore's limit (0 if not found)
	 * @param committedAt the commit timestamp of the grant ({@code null} unless granted)
	 * @param created whether this call created the permit (false when it already existed)
	 */
	record Grant(Status status, int limit, Instant committedAt, boolean created) {

		/** Grant statuses. */
		public enum Status {

			/** The permit is held (created now or before). */
			GRANTED,

			/** The semaphore has as many permits as its limit. */
			FULL,

			/** No such semaphore. */
			NOT_FOUND

		}

	}

	/**
	 * One permit row.
	 * @param semaphore the semaphore's name
	 * @param permitId the permit's id
	 * @param holder the member holding it
	 * @param grantedAt the commit timestamp of the grant
	 */
	record PermitRecord(String semaphore, String permitId, String holder, Instant grantedAt) {

	}

	/**
	 * A permit deleted by a reclaim.
	 * @param permit the permit
	 * @param revokedAt the commit timestamp of the deletion
	 */
	record Revoked(PermitRecord permit, Instant revokedAt) {

	}

}
