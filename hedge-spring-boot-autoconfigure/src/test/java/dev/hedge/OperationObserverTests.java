package dev.hedge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.hedge.common.OperationObserver;
import dev.hedge.common.OperationObserver.Operation;
import dev.hedge.common.OperationObserver.Outcome;
import dev.hedge.common.StoreException;
import dev.hedge.election.FencedException;
import dev.hedge.messaging.HandlerFailedException;
import dev.hedge.messaging.MemberUnavailableException;
import dev.hedge.messaging.MessagingException;
import dev.hedge.messaging.NoLeaderException;
import dev.hedge.messaging.NotLeaderException;
import dev.hedge.messaging.OperationOutcomes;
import dev.hedge.messaging.RequestRejectedException;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;
import dev.hedge.store.HedgeStore;
import dev.hedge.testsupport.EmbeddedDatabaseExtension;
import dev.hedge.testsupport.EmbeddedTestDatabase;
import dev.hedge.testsupport.Stores;
import dev.hedge.testsupport.Timing;
import dev.hedge.transport.grpc.Failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@link OperationObserver} hook on real nodes: every send, broadcast, put, acquire and release is reported once,
 * with its outcome and latency, on the member that started it; failures are classified; an observer that throws
 * changes nothing for the caller or for the other observers.
 */
@ExtendWith(EmbeddedDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationObserverTests {

	private final HedgeStore store;

	private TestNodes nodes;

	OperationObserverTests(EmbeddedTestDatabase database) {
		this.store = Stores.embedded(database);
	}

	@AfterEach
	void stop() {
		if (this.nodes != null) {
			this.nodes.close();
		}
	}

	@AfterAll
	void closeStore() {
		this.store.close();
	}

	record Seen(Operation operation, String semaphore, Outcome outcome, long latencyNanos) {

	}

	static final class Recorder implements OperationObserver {

		final List<Seen> seen = new CopyOnWriteArrayList<>();

		@Override
		public void completed(Operation operation, Outcome outcome, long latencyNanos) {
			this.seen.add(new Seen(operation, null, outcome, latencyNanos));
		}

		@Override
		public void semaphoreCompleted(Operation operation, String semaphore, int limit, Outcome outcome,
				long latencyNanos) {
			this.seen.add(new Seen(operation, semaphore + "/" + limit, outcome, latencyNanos));
		}

		List<Seen> of(Operation operation) {
			return this.seen.stream().filter((s) -> s.operation() == operation).toList();
		}

	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void everyOperationIsReportedOnceWithItsOutcomeOnTheMemberThatStartedIt() throws InterruptedException {
		List<Recorder> recorders = new CopyOnWriteArrayList<>();
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> started = this.nodes.startAll(2, (builder) -> builder.addOperationObserver(recorder(recorders))
			.leaderHandler((message) -> {
				if (new String(message.payload(), StandardCharsets.UTF_8).equals("fail")) {
					throw new IllegalStateException("boom");
				}
				return bytes("hello");
			})
			.broadcastHandler((message) -> bytes("ok")));
		HedgeNode follower = this.nodes.followers().get(0);
		Recorder recorder = recorders.get(started.indexOf(follower));
		Recorder leaderRecorder = recorders.get(1 - started.indexOf(follower));

		follower.send(bytes("x"));
		assertThatExceptionOfType(HandlerFailedException.class).isThrownBy(() -> follower.send(bytes("fail")));
		follower.sendToLeader(bytes("y"));
		assertThat(follower.broadcast(bytes("b"))).hasSize(2);
		follower.kv().put("k", "v");
		HedgeSemaphore semaphore = follower.semaphore("observed", 1);
		Permit permit = semaphore.acquire();
		assertThat(semaphore.tryAcquire()).isEmpty();
		assertThat(semaphore.tryAcquire(Duration.ofMillis(100))).isEmpty();
		assertThat(permit.release()).isPresent();
		assertThat(permit.release()).as("a second release is no operation").isEmpty();

		await().atMost(Timing.seconds(5)).until(() -> recorder.of(Operation.BROADCAST).size() == 1);
		assertThat(recorder.of(Operation.SEND)).extracting(Seen::outcome)
			.containsExactly(Outcome.OK, Outcome.HANDLER_FAILED, Outcome.OK);
		assertThat(recorder.of(Operation.BROADCAST)).extracting(Seen::outcome).containsExactly(Outcome.OK);
		assertThat(recorder.of(Operation.KV_PUT)).extracting(Seen::outcome).containsExactly(Outcome.OK);
		assertThat(recorder.of(Operation.SEMAPHORE_ACQUIRE)).extracting(Seen::outcome)
			.containsExactly(Outcome.OK, Outcome.FULL, Outcome.FULL);
		assertThat(recorder.of(Operation.SEMAPHORE_RELEASE)).extracting(Seen::outcome).containsExactly(Outcome.OK);
		assertThat(recorder.seen).allSatisfy((s) -> assertThat(s.latencyNanos()).isPositive())
			.filteredOn((s) -> s.semaphore() != null)
			.extracting(Seen::semaphore)
			.containsOnly("observed/1");
		assertThat(recorder.of(Operation.SEMAPHORE_ACQUIRE).get(2).latencyNanos())
			.as("a timed acquire reports its wait")
			.isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
		assertThat(leaderRecorder.seen).as("serving the follower's calls is no operation of the leader's").isEmpty();
	}

	private static Recorder recorder(List<Recorder> recorders) {
		Recorder recorder = new Recorder();
		recorders.add(recorder);
		return recorder;
	}

	@Test
	void aBroadcastReportsTheFirstFailureAndAPutWithoutLeaderReportsIt() {
		List<Recorder> recorders = new CopyOnWriteArrayList<>();
		this.nodes = new TestNodes(this.store);
		List<HedgeNode> started = this.nodes.startAll(2, (builder) -> builder.addOperationObserver(recorder(recorders)));
		HedgeNode follower = this.nodes.followers().get(0);
		Recorder recorder = recorders.get(started.indexOf(follower));

		assertThat(follower.broadcast(bytes("nobody handles this"))).allSatisfy((r) -> assertThat(r.ok()).isFalse());
		assertThatExceptionOfType(RequestRejectedException.class).isThrownBy(() -> follower.send(bytes("x")));

		await().atMost(Timing.seconds(5)).until(() -> recorder.of(Operation.BROADCAST).size() == 1);
		assertThat(recorder.of(Operation.BROADCAST)).extracting(Seen::outcome).containsExactly(Outcome.REJECTED);
		assertThat(recorder.of(Operation.SEND)).extracting(Seen::outcome).containsExactly(Outcome.REJECTED);
	}

	@Test
	void anObserverThatThrowsChangesNothingForTheCallerOrTheOtherObservers() {
		Recorder recorder = new Recorder();
		OperationObserver failing = new OperationObserver() {
			@Override
			public void completed(Operation operation, Outcome outcome, long latencyNanos) {
				throw new IllegalStateException("observer bug");
			}
		};
		this.nodes = new TestNodes(this.store);
		this.nodes.startAll(1, (builder) -> builder.addOperationObserver(failing)
			.addOperationObserver(recorder)
			.leaderHandler((message) -> bytes("hello")));
		HedgeNode node = this.nodes.leader().orElseThrow();

		assertThat(node.send(bytes("x"))).isEqualTo(bytes("hello"));
		node.kv().put("k", "v");

		assertThat(recorder.of(Operation.SEND)).extracting(Seen::outcome).containsExactly(Outcome.OK);
		assertThat(recorder.of(Operation.KV_PUT)).extracting(Seen::outcome).containsExactly(Outcome.OK);
	}

	@Test
	void failuresAreClassifiedByKind() {
		assertThat(OperationOutcomes.of(new NoLeaderException())).isEqualTo(Outcome.NO_LEADER);
		assertThat(OperationOutcomes.of(new NotLeaderException("a", "b", 3))).isEqualTo(Outcome.NOT_LEADER);
		assertThat(OperationOutcomes.of(new MemberUnavailableException("a", "down", false, null)))
			.isEqualTo(Outcome.UNAVAILABLE);
		assertThat(OperationOutcomes.of(new MemberUnavailableException("a", "slow", true, null)))
			.isEqualTo(Outcome.TIMEOUT);
		assertThat(OperationOutcomes.of(new HandlerFailedException("a", "boom"))).isEqualTo(Outcome.HANDLER_FAILED);
		assertThat(OperationOutcomes.of(new RequestRejectedException("a", Failure.Kind.TOO_LARGE, "big")))
			.isEqualTo(Outcome.REJECTED);
		assertThat(OperationOutcomes.of(new FencedException(new dev.hedge.election.Fence("g", 1), 2)))
			.isEqualTo(Outcome.FENCED);
		assertThat(OperationOutcomes.of(new StoreException("x", null, true))).isEqualTo(Outcome.TIMEOUT);
		assertThat(OperationOutcomes.of(new StoreException("x", null, false))).isEqualTo(Outcome.UNAVAILABLE);
		assertThat(OperationOutcomes.of(new InterruptedException())).isEqualTo(Outcome.INTERRUPTED);
		assertThat(OperationOutcomes.of(new MessagingException("other", false))).isEqualTo(Outcome.ERROR);
		assertThat(OperationOutcomes.of(new IllegalStateException())).isEqualTo(Outcome.ERROR);
		assertThat(Outcome.HANDLER_FAILED.id()).isEqualTo("handler_failed");
		assertThat(Operation.KV_PUT.id()).isEqualTo("kv.put");
		assertThat(OperationObserver.composite(List.of())).isSameAs(OperationObserver.NONE);
		assertThat(Optional.of(OperationObserver.composite(List.of(OperationObserver.NONE))))
			.contains(OperationObserver.NONE);
	}

}
