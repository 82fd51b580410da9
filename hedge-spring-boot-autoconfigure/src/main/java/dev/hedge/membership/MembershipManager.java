package dev.hedge.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.common.NamedThreads;
import dev.hedge.common.Ticker;
import dev.hedge.election.Leadership;
import dev.hedge.election.LeadershipEvent;
import dev.hedge.election.LeadershipListener;
import dev.hedge.transport.grpc.Failure;
import dev.hedge.transport.grpc.HedgeHeaders;
import dev.hedge.transport.grpc.PeerChannels;
import dev.hedge.transport.grpc.proto.Ack;
import dev.hedge.transport.grpc.proto.HeartbeatReply;
import dev.hedge.transport.grpc.proto.HeartbeatRequest;
import dev.hedge.transport.grpc.proto.LeaveRequest;
import dev.hedge.transport.grpc.proto.MemberList;
import dev.hedge.transport.grpc.proto.MembershipGrpc;
import dev.hedge.transport.grpc.proto.PushMembersRequest;
import dev.hedge.transport.grpc.proto.ReleasedRequest;

/**
 * Runs membership for one node: heartbeats the leader every interval; while leading, keeps last-seen times, sweeps
 * out silent members and pushes a new versioned list to everyone on each change; applies lists pushed to it; and
 * serves the {@code hedge.v1.Membership} service.
 *
 * <p>Threads: {@code hedge-<group>-membership} (heartbeats and sweeps) and {@code hedge-<group>-membership-events}
 * (listeners), both stopped by {@link #close()}. Service calls run on the gRPC server's threads. State changes are
 * serialised by this object's monitor.
 */
public final class MembershipManager implements Membership, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(MembershipManager.class);

	private final String self;

	private final Leadership leadership;

	private final LeaderRouter router;

	private final Runnable pollElection;

	private final PeerChannels channels;

	private final MembershipOptions options;

	private final Ticker ticker;

	private final ScheduledExecutorService loop;

	private final ExecutorService events;

	private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();

	private final Map<String, Long> lastSeen = new HashMap<>();

	/** When this node, as leader, last heard from each member; unlike the list, a Leave does not clear it. */
	private final Map<String, Long> lastHeard = new HashMap<>();

	private volatile MembershipView view;

	private volatile boolean running;

	private long leaderEpoch;

	private long version;

	private final HolderValidity validity;

	/**
	 * Creates the manager; nothing runs until {@link #start()}.
	 * @param group the group (for thread names)
	 * @param self this node's id
	 * @param leadership the election state
	 * @param router where leader-bound calls go
	 * @param pollElection asks the election to poll now (used when the leader announces a release)
	 * @param channels the peer channels
	 * @param options the timings
	 * @param ticker the monotonic clock
	 */
	public MembershipManager(String group, String self, Leadership leadership, LeaderRouter router,
			Runnable pollElection, PeerChannels channels, MembershipOptions options, Ticker ticker) {
		this.self = self;
		this.leadership = leadership;
		this.router = router;
		this.pollElection = pollElection;
		this.channels = channels;
		this.options = options;
		this.validity = new HolderValidity(options);
		this.ticker = ticker;
		this.view = new MembershipView(0, 0, null, List.of(self));
		String owner = NamedThreads.owner(group);
		this.loop = Executors.newSingleThreadScheduledExecutor(NamedThreads.single(owner, "membership"));
		this.events = Executors.newSingleThreadExecutor(NamedThreads.single(owner, "membership-events"));
		leadership.addListener(new LeadershipListener() {
			@Override
			public void onGranted(LeadershipEvent event) {
				becameLeader(event.epoch());
			}

			@Override
			public void onRevoked(LeadershipEvent event) {
				stoppedLeading();
			}
		});
	}

	/** Starts heartbeating (the first heartbeat goes out as soon as a leader is known). */
	public void start() {
		this.running = true;
		this.loop.execute(this::tick);
	}

	@Override
	public MembershipView view() {
		return this.view;
	}

	@Override
	public void addListener(MembershipListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void removeListener(MembershipListener listener) {
		this.listeners.remove(listener);
	}

	/**
	 * The gRPC service to serve on this node's server.
	 * @return the service
	 */
	public BindableService service() {
		return new Service();
	}

	/**
	 * The timings in use.
	 * @return the options
	 */
	public MembershipOptions options() {
		return this.options;
	}

	/**
	 * Seconds since the leader last heard from each member (leader only; empty elsewhere).
	 * @return member id to milliseconds since its last heartbeat
	 */
	public synchronized Map<String, Long> lastSeenMillis() {
		Map<String, Long> ages = new HashMap<>();
		long now = this.ticker.nanoTime();
		this.lastSeen.forEach((id, seen) -> ages.put(id, (now - seen) / 1_000_000));
		return ages;
	}

	// ---- the loop ----

	private void tick() {
		if (!this.running) {
			return;
		}
		Duration next = this.options.heartbeatInterval();
		try {
			// taken before the leadership check: the leader's own "heard" time must not be later than its belief
			long checked = this.ticker.nanoTime();
			Optional<Duration> remaining = this.leadership.leaseRemaining();
			if (this.leadership.isLeader() && remaining.isPresent()) {
				sweep(checked, remaining.get());
			}
			else {
				Optional<String> leader = this.router.leader();
				if (leader.isPresent() && !leader.get().equals(this.self)) {
					heartbeat(leader.get());
				}
				else {
					next = this.options.heartbeatInterval().dividedBy(10);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Membership step failed on {}", this.self, ex);
		}
		schedule(next);
	}

	private void schedule(Duration delay) {
		if (!this.running) {
			return;
		}
		try {
			this.loop.schedule(this::tick, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	private void heartbeat(String leader) {
		try {
			long sent = this.ticker.nanoTime();
			MembershipView sentWith = view();
			HeartbeatReply reply = MembershipGrpc.newBlockingStub(this.channels.channel(leader))
				.withDeadlineAfter(callTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.heartbeat(HeartbeatRequest.getDefaultInstance());
			acknowledged(sent, Duration.ofMillis(Math.max(0, reply.getLeaseRemainingMillis())));
			apply(reply.getMembers(), sentWith);
		}
		catch (RuntimeException ex) {
			Failure failure = Failure.from(ex);
			if (failure.kind() == Failure.Kind.NOT_LEADER) {
				this.router.hint(failure.leaderHint(), failure.leaderEpoch());
			}
			logger.debug("Heartbeat from {} to {} failed: {}", this.self, leader, failure);
		}
	}

	private Duration callTimeout() {
		Duration interval = this.options.heartbeatInterval();
		return (interval.compareTo(Duration.ofMillis(500)) < 0) ? Duration.ofMillis(500) : interval;
	}

	// ---- holder validity ----

	/**
	 * Records that the leader heard from this node at (or after) {@code sent} (see {@link HolderValidity}).
	 * @param sent when the acknowledged heartbeat was sent (monotonic clock)
	 * @param leaseRemaining the acknowledging leader's remaining lease when it answered
	 */
	private synchronized void acknowledged(long sent, Duration leaseRemaining) {
		this.validity.acknowledged(sent, leaseRemaining, this.ticker.nanoTime());
	}

	/**
	 * The current liveness session: it changes whenever this node may have been declared dead by the leader (it went
	 * longer than the member timeout minus one interval without an acknowledged heartbeat).
	 * @return the session
	 */
	public synchronized long session() {
		return this.validity.session();
	}

	/**
	 * Until when something granted to this node in {@code session} stays valid: the last acknowledged heartbeat's
	 * send time plus 0.99 (member timeout - heartbeat interval), but no later than the acknowledging leader's own
	 * lease; 0 once the session has changed (see {@link HolderValidity}).
	 * @param session the session the grant was made in
	 * @return the deadline on the monotonic clock, or 0 if already invalid
	 */
	public synchronized long validUntilNanos(long session) {
		return this.validity.validUntil(session);
	}

	/**
	 * Whether this node, while leading, heard from a member within the window. A member that sent Leave (or that
	 * someone claimed sent Leave) still counts as heard until it has really been silent — so nothing it holds is
	 * reclaimed on the strength of an unauthenticated message.
	 * @param member the member
	 * @param window the window
	 * @return whether a heartbeat from it arrived within the window (false when never heard)
	 */
	public synchronized boolean heardWithin(String member, Duration window) {
		if (member.equals(this.self)) {
			return true;
		}
		Long heard = this.lastHeard.get(member);
		return heard != null && this.ticker.nanoTime() - heard <= window.toNanos();
	}

	/**
	 * The monotonic clock membership uses.
	 * @return the ticker
	 */
	public Ticker ticker() {
		return this.ticker;
	}

	// ---- follower side ----

	private void apply(MemberList list) {
		apply(list, null);
	}

	/**
	 * Applies a member list if it is newer than the current view. A heartbeat reply ({@code sentWith} is the view held
	 * when the heartbeat was sent) also repairs a view the leader never published: the leader's versions only grow
	 * within its epoch, and the heartbeat reached it after every list the view came from had been published, so a
	 * reply of the same epoch with a lower version proves the view's version was forged (member calls are not
	 * authenticated), and the reply replaces it.
	 */
	private void apply(MemberList list, MembershipView sentWith) {
		MembershipView next;
		MembershipView previous;
		boolean repair;
		synchronized (this) {
			if (this.leadership.isLeader() && list.getEpoch() <= this.leaderEpoch) {
				return;
			}
			Set<String> members = new TreeSet<>(list.getMembersList());
			members.add(this.self);
			next = new MembershipView(list.getEpoch(), list.getVersion(), list.getLeader(), new ArrayList<>(members));
			previous = this.view;
			repair = sentWith != null && list.getEpoch() == sentWith.epoch() && list.getVersion() < sentWith.version()
					&& previous.epoch() == sentWith.epoch() && previous.version() >= sentWith.version();
			if (!next.newerThan(previous) && !repair) {
				return;
			}
			this.view = next;
		}
		if (repair) {
			logger.warn("Member list version {} of epoch {} was never published by leader {} (it answers version {});"
					+ " replaced by the leader's list", previous.version(), previous.epoch(), list.getLeader(),
					list.getVersion());
		}
		this.router.hint(list.getLeader(), list.getEpoch());
		changed(previous, next);
	}

	// ---- leader side ----

	private void becameLeader(long epoch) {
		MembershipView previous;
		MembershipView next;
		synchronized (this) {
			this.leaderEpoch = epoch;
			this.version = 0;
			this.lastSeen.clear();
			long now = this.ticker.nanoTime();
			for (String member : this.view.members()) {
				this.lastSeen.put(member, now);
				this.lastHeard.put(member, now);
			}
			this.lastSeen.put(this.self, now);
			acknowledged(now, this.leadership.leaseRemaining().orElse(Duration.ZERO));
			previous = this.view;
			next = publish();
		}
		changed(previous, next);
		push(next);
	}

	private synchronized void stoppedLeading() {
		this.lastSeen.clear();
		this.lastHeard.clear();
		this.leaderEpoch = 0;
	}

	/** Must hold the monitor. */
	private MembershipView publish() {
		this.version++;
		this.view = new MembershipView(this.leaderEpoch, this.version, this.self,
				new ArrayList<>(new TreeSet<>(this.lastSeen.keySet())));
		return this.view;
	}

	/**
	 * The leader's periodic pass: acknowledges itself (as of {@code checked}, taken before its leadership check, with
	 * the lease it had left then) and removes members silent for the member timeout.
	 */
	private void sweep(long checked, Duration leaseRemaining) {
		MembershipView previous;
		MembershipView next;
		synchronized (this) {
			if (this.leaderEpoch == 0) {
				return;
			}
			long now = this.ticker.nanoTime();
			acknowledged(checked, leaseRemaining);
			long timeout = this.options.memberTimeout().toNanos();
			this.lastSeen.put(this.self, now);
			List<String> expired = new ArrayList<>();
			this.lastSeen.forEach((id, seen) -> {
				if (now - seen > timeout) {
					expired.add(id);
				}
			});
			if (expired.isEmpty()) {
				return;
			}
			expired.forEach(this.lastSeen::remove);
			this.lastHeard.values().removeIf((heard) -> now - heard > 10 * timeout);
			logger.info("Leader {} removes silent member(s) {}", this.self, expired);
			previous = this.view;
			next = publish();
		}
		changed(previous, next);
		push(next);
	}

	private MemberList heard(String sender) {
		MembershipView previous = null;
		MembershipView next = null;
		MemberList list;
		synchronized (this) {
			if (this.leaderEpoch != this.leadership.epoch()) {
				return null;
			}
			long now = this.ticker.nanoTime();
			this.lastHeard.put(sender, now);
			boolean added = this.lastSeen.put(sender, now) == null;
			if (added) {
				logger.info("Leader {} adds member {}", this.self, sender);
				previous = this.view;
				next = publish();
			}
			list = toProto(this.view);
		}
		if (next != null) {
			changed(previous, next);
			push(next);
		}
		return list;
	}

	private void left(String sender) {
		MembershipView previous;
		MembershipView next;
		synchronized (this) {
			if (sender.equals(this.self) || this.lastSeen.remove(sender) == null) {
				return;
			}
			logger.info("Leader {} removes member {}, which left", this.self, sender);
			previous = this.view;
			next = publish();
		}
		changed(previous, next);
		push(next);
	}

	private void push(MembershipView view) {
		PushMembersRequest request = PushMembersRequest.newBuilder().setMembers(toProto(view)).build();
		for (String member : view.members()) {
			if (member.equals(this.self)) {
				continue;
			}
			try {
				MembershipGrpc.newStub(this.channels.channel(member))
					.withDeadlineAfter(callTimeout().toMillis(), TimeUnit.MILLISECONDS)
					.pushMembers(request, new Ignore<>());
			}
			catch (RuntimeException ex) {
				logger.debug("Push to {} failed", member, ex);
			}
		}
	}

	private static MemberList toProto(MembershipView view) {
		return MemberList.newBuilder()
			.setEpoch(view.epoch())
			.setVersion(view.version())
			.setLeader((view.leader() != null) ? view.leader() : "")
			.addAllMembers(view.members())
			.build();
	}

	// ---- events ----

	private void changed(MembershipView previous, MembershipView next) {
		Set<String> added = new HashSet<>(next.members());
		added.removeAll(previous.members());
		Set<String> removed = new HashSet<>(previous.members());
		removed.removeAll(next.members());
		Set<String> keep = new HashSet<>(next.members());
		if (next.leader() != null) {
			keep.add(next.leader());
		}
		this.router.leader().ifPresent(keep::add);
		this.channels.retainOnly(keep);
		if (added.isEmpty() && removed.isEmpty()) {
			return;
		}
		MembershipChange change = new MembershipChange(added, removed, next);
		try {
			this.events.execute(() -> {
				for (MembershipListener listener : this.listeners) {
					try {
						listener.onChange(change);
					}
					catch (RuntimeException ex) {
						logger.error("Membership listener {} failed on {}", listener, change, ex);
					}
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// closed
		}
	}

	// ---- shutdown ----

	/**
	 * Tells the leader this node leaves (or, on the leader, tells every member the lease was released so they take
	 * over at once), waiting up to {@code wait} for the messages to go out.
	 * @param releasedEpoch the epoch this node just released, or 0 when it was not leading
	 * @param wait how long to wait
	 */
	public void announceDeparture(long releasedEpoch, Duration wait) {
		List<String> targets = new ArrayList<>();
		MembershipView current = this.view;
		if (releasedEpoch > 0) {
			targets.addAll(current.members());
			targets.remove(this.self);
		}
		else {
			this.router.leader().filter((id) -> !id.equals(this.self)).ifPresent(targets::add);
		}
		CountDownLatch done = new CountDownLatch(targets.size());
		for (String target : targets) {
			try {
				MembershipGrpc.MembershipStub stub = MembershipGrpc.newStub(this.channels.channel(target))
					.withDeadlineAfter(wait.toMillis(), TimeUnit.MILLISECONDS);
				Ignore<Ack> observer = new Ignore<>(done);
				if (releasedEpoch > 0) {
					stub.released(ReleasedRequest.newBuilder().setEpoch(releasedEpoch).build(), observer);
				}
				else {
					stub.leave(LeaveRequest.getDefaultInstance(), observer);
				}
			}
			catch (RuntimeException ex) {
				done.countDown();
			}
		}
		try {
			done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stops heartbeating and the event thread. */
	@Override
	public void close() {
		this.running = false;
		this.loop.shutdownNow();
		this.events.shutdown();
		try {
			if (!this.events.awaitTermination(2, TimeUnit.SECONDS)) {
				this.events.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.events.shutdownNow();
		}
	}

	// ---- the service ----

	private final class Service extends MembershipGrpc.MembershipImplBase {

		@Override
		public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatReply> responses) {
			String sender = HedgeHeaders.caller().sender();
			if (!MembershipManager.this.running) {
				responses.onError(Failure.of(Failure.Kind.NOT_READY, "member not started").toException());
				return;
			}
			if (!MembershipManager.this.leadership.isLeader()) {
				responses.onError(notLeader());
				return;
			}
			MemberList list = heard(sender);
			if (list == null) {
				responses.onError(Failure.of(Failure.Kind.NOT_READY, "leadership is being taken over").toException());
				return;
			}
			// read after the member list: the ack vouches for the sender no longer than this leader's own term
			long remaining = MembershipManager.this.leadership.leaseRemaining().map(Duration::toMillis).orElse(0L);
			responses.onNext(HeartbeatReply.newBuilder().setMembers(list).setLeaseRemainingMillis(remaining).build());
			responses.onCompleted();
		}

		@Override
		public void pushMembers(PushMembersRequest request, StreamObserver<Ack> responses) {
			MemberList list = request.getMembers();
			String sender = HedgeHeaders.caller().sender();
			if (!sender.equals(list.getLeader()) || list.getEpoch() <= 0) {
				responses.onError(Failure
					.of(Failure.Kind.INVALID, "a member list may only be pushed by the leader that published it")
					.toException());
				return;
			}
			if (list.getEpoch() < MembershipManager.this.router.epoch()) {
				responses.onError(notLeader());
				return;
			}
			apply(list);
			responses.onNext(Ack.getDefaultInstance());
			responses.onCompleted();
		}

		@Override
		public void leave(LeaveRequest request, StreamObserver<Ack> responses) {
			if (!MembershipManager.this.leadership.isLeader()) {
				responses.onError(notLeader());
				return;
			}
			left(HedgeHeaders.caller().sender());
			responses.onNext(Ack.getDefaultInstance());
			responses.onCompleted();
		}

		@Override
		public void released(ReleasedRequest request, StreamObserver<Ack> responses) {
			if (request.getEpoch() >= MembershipManager.this.leadership.epoch()) {
				MembershipManager.this.pollElection.run();
			}
			responses.onNext(Ack.getDefaultInstance());
			responses.onCompleted();
		}

		private RuntimeException notLeader() {
			Optional<String> leader = MembershipManager.this.router.leader();
			return Failure
				.notLeader(leader.filter((id) -> !id.equals(MembershipManager.this.self)).orElse(null),
						MembershipManager.this.router.epoch())
				.toException();
		}

	}

	private static final class Ignore<T> implements StreamObserver<T> {

		private final CountDownLatch done;

		Ignore() {
			this(null);
		}

		Ignore(CountDownLatch done) {
			this.done = done;
		}

		@Override
		public void onNext(T value) {
		}

		@Override
		public void onError(Throwable error) {
			if (this.done != null) {
				this.done.countDown();
			}
		}

		@Override
		public void onCompleted() {
			if (this.done != null) {
				this.done.countDown();
			}
		}

	}

}
