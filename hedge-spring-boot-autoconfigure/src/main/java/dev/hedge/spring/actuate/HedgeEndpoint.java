package dev.hedge.spring.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

import dev.hedge.HedgeNode;
import dev.hedge.common.NotRunningException;
import dev.hedge.election.Leadership;
import dev.hedge.membership.MembershipManager;
import dev.hedge.membership.MembershipView;
import dev.hedge.replicator.ReplicatorStats;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.SemaphoreStore;
import dev.hedge.spring.HedgeSemaphores;

/**
 * {@link Endpoint @Endpoint} exposing this member's view of its hedge group ({@code /actuator/hedge}): who leads in
 * which epoch, the members, the store, the semaphores the application opened, the replicated data's figures
 * ({@code replicatedData}) and the replicated chain; its write operation makes this member give leadership up.
 *
 * <p>The read operation answers from memory (the election and membership state hedge's threads keep), except the
 * holders of each semaphore, which are read from the store with the store timeout (a failed read is reported in that
 * semaphore's {@code error}, never as a failure of the whole endpoint). Before the node has started, and after it
 * closed, it answers {@code running: false} with nulls. Thread-safe.
 */
@Endpoint(id = "hedge")
public class HedgeEndpoint {

	private final HedgeNode node;

	private final HedgeSemaphores semaphores;

	/**
	 * Create a new {@code HedgeEndpoint} instance that describes {@code node}.
	 * @param node the node
	 * @param semaphores the application's semaphores, or {@code null} for none
	 */
	public HedgeEndpoint(HedgeNode node, @Nullable HedgeSemaphores semaphores) {
		this.node = node;
		this.semaphores = semaphores;
	}

	/**
	 * Describes this member's view of the group.
	 * @return the description
	 */
	@ReadOperation
	public HedgeDescriptor hedge() {
		String id = NodeState.id(this.node).orElse(null);
		String store = this.node.store().kind().id();
		String security = this.node.security().describe();
		if (!this.node.isRunning()) {
			return new HedgeDescriptor(id, this.node.group(), false, null, false, null, null, store, security, null,
					null, List.of(), semaphores(null, false), null);
		}
		Leadership leadership = this.node.leadership();
		boolean leading = leadership.isLeader();
		String leader = leadership.leaderId().orElse(null);
		Long leaseRemaining = leadership.leaseRemaining().map(Duration::toMillis).orElse(null);
		MembershipManager membership = this.node.membershipManager();
		MembershipView view = membership.view();
		Map<String, Long> lastSeen = leading ? membership.lastSeenMillis() : Map.of();
		List<MemberDescriptor> members = new ArrayList<>();
		for (String member : view.members()) {
			members.add(new MemberDescriptor(member, member.equals(leader), member.equals(id),
					leading ? lastSeen.get(member) : null));
		}
		HedgeDescriptor descriptor = new HedgeDescriptor(id, this.node.group(), true, leader, leading,
				leadership.epoch(), leaseRemaining, store, security, view.epoch(), view.version(), members,
				semaphores(id, true), ChainDescriptor.of(this.node.chain().state()));
		descriptor.replicatedData = replicatedData();
		return descriptor;
	}

	private ReplicatorStats replicatedData() {
		try {
			return this.node.replicator().stats();
		}
		catch (NotRunningException ex) {
			return null;
		}
	}

	private List<SemaphoreDescriptor> semaphores(String self, boolean readHolders) {
		if (this.semaphores == null) {
			return List.of();
		}
		List<SemaphoreDescriptor> described = new ArrayList<>();
		for (HedgeSemaphore semaphore : this.semaphores.opened()) {
			described.add(readHolders ? withHolders(semaphore, self)
					: new SemaphoreDescriptor(semaphore.name(), semaphore.limit(), null, null, null));
		}
		described.sort(Comparator.comparing(SemaphoreDescriptor::getName));
		return described;
	}

	private SemaphoreDescriptor withHolders(HedgeSemaphore semaphore, String self) {
		try {
			List<SemaphoreStore.PermitRecord> permits = semaphore.holders();
			List<HolderDescriptor> holders = permits.stream()
				.map((permit) -> new HolderDescriptor(permit.permitId(), permit.holder(),
						(permit.grantedAt() != null) ? permit.grantedAt().toString() : null))
				.toList();
			int held = (int) permits.stream().filter((permit) -> permit.holder().equals(self)).count();
			return new SemaphoreDescriptor(semaphore.name(), semaphore.limit(), holders, held, null);
		}
		catch (RuntimeException ex) {
			return new SemaphoreDescriptor(semaphore.name(), semaphore.limit(), null, null,
					"could not read the holders: " + ex.getMessage());
		}
	}

	/**
	 * Gives leadership up if this member leads: it steps down, releases the lease and tells every member, so another
	 * one takes over at once (this member stays out of the next takeover for one lease duration). Blocks until the
	 * release finished (at most the store timeout).
	 * @return whether this member was leading and released the lease
	 */
	@WriteOperation
	public YieldDescriptor yieldLeadership() {
		String id = NodeState.id(this.node).orElse(null);
		if (!this.node.isRunning()) {
			return new YieldDescriptor(id, false, null, "not running");
		}
		long epoch = this.node.epoch();
		if (!this.node.isLeader()) {
			return new YieldDescriptor(id, false, null, "not the leader");
		}
		try {
			boolean released = this.node.yieldLeadership();
			return released ? new YieldDescriptor(id, true, epoch, "released the lease of epoch " + epoch)
					: new YieldDescriptor(id, false, null, "no longer the leader");
		}
		catch (IllegalStateException ex) {
			return new YieldDescriptor(id, false, null, "not running");
		}
	}

	/**
	 * This member's view of its group: the body of {@code GET /actuator/hedge}.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public static final class HedgeDescriptor implements OperationResponseBody {

		private final String id;

		private final String group;

		private final boolean running;

		private final String leader;

		private final boolean isLeader;

		private final Long epoch;

		private final Long leaseRemainingMillis;

		private final String store;

		private final String security;

		private final Long membershipEpoch;

		private final Long membershipVersion;

		private final List<MemberDescriptor> members;

		private final List<SemaphoreDescriptor> semaphores;

		private ReplicatorStats replicatedData;

		private final ChainDescriptor chain;

		HedgeDescriptor(String id, String group, boolean running, String leader, boolean isLeader, Long epoch,
				Long leaseRemainingMillis, String store, String security, Long membershipEpoch, Long membershipVersion,
				List<MemberDescriptor> members, List<SemaphoreDescriptor> semaphores, ChainDescriptor chain) {
			this.id = id;
			this.group = group;
			this.running = running;
			this.leader = leader;
			this.isLeader = isLeader;
			this.epoch = epoch;
			this.leaseRemainingMillis = leaseRemainingMillis;
			this.store = store;
			this.security = security;
			this.membershipEpoch = membershipEpoch;
			this.membershipVersion = membershipVersion;
			this.members = members;
			this.semaphores = semaphores;
			this.chain = chain;
		}

		/**
		 * This member's id ({@code host:port}), null before the node started.
		 * @return the id
		 */
		public String getId() {
			return this.id;
		}

		/**
		 * The group.
		 * @return the group name
		 */
		public String getGroup() {
			return this.group;
		}

		/**
		 * Whether the node has started and not closed.
		 * @return whether it runs
		 */
		public boolean isRunning() {
			return this.running;
		}

		/**
		 * The leader's id as this member knows it.
		 * @return the id, or null while no leader is known
		 */
		public String getLeader() {
			return this.leader;
		}

		/**
		 * Whether this member leads (JSON {@code isLeader}: named so that it does not clash with {@code leader}).
		 * @return whether it leads
		 */
		public boolean getIsLeader() {
			return this.isLeader;
		}

		/**
		 * The epoch (fencing token) of the leader this member knows.
		 * @return the epoch, or null when not running
		 */
		public Long getEpoch() {
			return this.epoch;
		}

		/**
		 * While this member leads, how long it may still act without another successful renewal.
		 * @return milliseconds, or null when not leading
		 */
		public Long getLeaseRemainingMillis() {
			return this.leaseRemainingMillis;
		}

		/**
		 * The store: {@code spanner} or {@code embedded}.
		 * @return the store kind
		 */
		public String getStore() {
			return this.store;
		}

		/**
		 * How member calls are authenticated: {@code secret}, {@code tls}, {@code secret+tls}, {@code loopback-only}
		 * or {@code none}.
		 * @return the description
		 */
		public String getSecurity() {
			return this.security;
		}

		/**
		 * The epoch of the leader that published the member list.
		 * @return the epoch, or null when not running
		 */
		public Long getMembershipEpoch() {
			return this.membershipEpoch;
		}

		/**
		 * The version of the member list within its epoch.
		 * @return the version, or null when not running
		 */
		public Long getMembershipVersion() {
			return this.membershipVersion;
		}

		/**
		 * The members, sorted by id.
		 * @return the members (empty when not running)
		 */
		public List<MemberDescriptor> getMembers() {
			return this.members;
		}

		/**
		 * The semaphores the application opened (declared ones and those from {@code HedgeSemaphores#get}).
		 * @return the semaphores, sorted by name
		 */
		public List<SemaphoreDescriptor> getSemaphores() {
			return this.semaphores;
		}

		/**
		 * This member's replicated data ({@code hedge.crdt.*}), from memory: its replica id, how many names it
		 * holds, whether it is durable and loaded, changes not yet stored and the time since the last append,
		 * values waiting to be pushed, members that missed a push, parts that differed in the last anti-entropy
		 * round (divergence), parts repaired, type conflicts and replicas pruned since start.
		 * @return the figures, or null when not running
		 */
		public ReplicatorStats getReplicatedData() {
			return this.replicatedData;
		}

		/**
		 * This member's view of the replicated chain ({@code hedge.chain.*}).
		 * @return the chain, or null when not running
		 */
		public ChainDescriptor getChain() {
			return this.chain;
		}

	}

	/**
	 * One member of the group.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public static final class MemberDescriptor {

		private final String id;

		private final boolean leader;

		private final boolean self;

		private final Long lastSeenMillis;

		MemberDescriptor(String id, boolean leader, boolean self, Long lastSeenMillis) {
			this.id = id;
			this.leader = leader;
			this.self = self;
			this.lastSeenMillis = lastSeenMillis;
		}

		/**
		 * The member's id.
		 * @return the id
		 */
		public String getId() {
			return this.id;
		}

		/**
		 * Whether it is the leader.
		 * @return whether it leads
		 */
		public boolean isLeader() {
			return this.leader;
		}

		/**
		 * Whether it is the member answering.
		 * @return whether it is this member
		 */
		public boolean isSelf() {
			return this.self;
		}

		/**
		 * Milliseconds since the leader last heard from it (only known, and only shown, on the leader).
		 * @return the age of its last heartbeat, or null
		 */
		public Long getLastSeenMillis() {
			return this.lastSeenMillis;
		}

	}

	/**
	 * One semaphore the application opened.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public static final class SemaphoreDescriptor {

		private final String name;

		private final int limit;

		private final List<HolderDescriptor> holders;

		private final Integer permitsHeld;

		private final String error;

		SemaphoreDescriptor(String name, int limit, List<HolderDescriptor> holders, Integer permitsHeld,
				String error) {
			this.name = name;
			this.limit = limit;
			this.holders = holders;
			this.permitsHeld = permitsHeld;
			this.error = error;
		}

		/**
		 * The name.
		 * @return the name
		 */
		public String getName() {
			return this.name;
		}

		/**
		 * The limit.
		 * @return the maximum number of permits held at once
		 */
		public int getLimit() {
			return this.limit;
		}

		/**
		 * The permits held right now, read from the store.
		 * @return the holders, or null when they could not be read or the node does not run
		 */
		public List<HolderDescriptor> getHolders() {
			return this.holders;
		}

		/**
		 * How many of {@link #getHolders()} this member holds.
		 * @return the count, or null when the holders are unknown
		 */
		public Integer getPermitsHeld() {
			return this.permitsHeld;
		}

		/**
		 * Why the holders could not be read.
		 * @return the reason, or null
		 */
		public String getError() {
			return this.error;
		}

	}

	/**
	 * One permit as stored.
	 */
	public static final class HolderDescriptor {

		private final String permitId;

		private final String holder;

		private final String grantedAt;

		HolderDescriptor(String permitId, String holder, String grantedAt) {
			this.permitId = permitId;
			this.holder = holder;
			this.grantedAt = grantedAt;
		}

		/**
		 * The permit's id.
		 * @return the id
		 */
		public String getPermitId() {
			return this.permitId;
		}

		/**
		 * The member holding it.
		 * @return the member's id
		 */
		public String getHolder() {
			return this.holder;
		}

		/**
		 * When the leader granted it (commit timestamp, ISO-8601).
		 * @return the timestamp
		 */
		public String getGrantedAt() {
			return this.grantedAt;
		}

	}

	/**
	 * The answer of {@code POST /actuator/hedge} (yield).
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public static final class YieldDescriptor implements OperationResponseBody {

		private final String id;

		private final boolean yielded;

		private final Long epoch;

		private final String message;

		YieldDescriptor(String id, boolean yielded, Long epoch, String message) {
			this.id = id;
			this.yielded = yielded;
			this.epoch = epoch;
			this.message = message;
		}

		/**
		 * This member's id.
		 * @return the id, or null before the node started
		 */
		public String getId() {
			return this.id;
		}

		/**
		 * Whether this member was leading and released the lease.
		 * @return whether it yielded
		 */
		public boolean isYielded() {
			return this.yielded;
		}

		/**
		 * The epoch given up.
		 * @return the epoch, or null when nothing was yielded
		 */
		public Long getEpoch() {
			return this.epoch;
		}

		/**
		 * What happened, for people.
		 * @return the message
		 */
		public String getMessage() {
			return this.message;
		}

	}

}
