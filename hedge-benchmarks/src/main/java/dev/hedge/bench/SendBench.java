package dev.hedge.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import dev.hedge.HedgeNode;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.transport.grpc.proto.MessagingGrpc;
import dev.hedge.transport.grpc.proto.Payload;
import dev.hedge.transport.grpc.proto.Reply;

/**
 * hedge send (a follower calling the leader's handler, which echoes) next to a raw gRPC unary echo on the same
 * machine, same message size, same number of callers; and store reads per send. Two rounds each, interleaved.
 */
final class SendBench {

	private SendBench() {
	}

	static void run(Args args) throws Exception {
		int callers = args.integer("callers", 8);
		int size = args.integer("size", 256);
		Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
		Duration window = args.duration("window", Duration.ofSeconds(10));
		byte[] payload = new byte[size];
		System.out.printf("%d callers, %d-byte messages, %s warm-up, %s measured per round, 2 rounds each%n", callers,
				size, warmup, window);

		Server echoServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(new MessagingGrpc.MessagingImplBase() {
				@Override
				public void send(Payload request, StreamObserver<Reply> responses) {
					responses.onNext(Reply.newBuilder().setData(request.getData()).build());
					responses.onCompleted();
				}
			})
			.build()
			.start();
		ManagedChannel echoChannel = NettyChannelBuilder.forAddress("127.0.0.1", echoServer.getPort())
			.usePlaintext()
			.build();
		MessagingGrpc.MessagingBlockingStub echo = MessagingGrpc.newBlockingStub(echoChannel);
		Payload echoRequest = Payload.newBuilder().setData(ByteString.copyFrom(payload)).build();

		CountingStore store = new CountingStore(JdbcHedgeStore.embedded(Files.createTempDirectory("hedge-bench-"), true));
		HedgeNode leader = node(store, "leader");
		await(leader::isLeader);
		HedgeNode follower = node(store, "follower");
		await(() -> follower.leaderId().isPresent() && follower.members().size() == 2);
		try {
			LoadRun.Result[] raw = new LoadRun.Result[2];
			LoadRun.Result[] hedge = new LoadRun.Result[2];
			long sends = 0;
			long storeCallsDuringSends = 0;
			for (int round = 0; round < 2; round++) {
				raw[round] = LoadRun.run("raw gRPC unary echo", callers, warmup, window, (t, i) -> echo
					.withDeadlineAfter(5, TimeUnit.SECONDS)
					.send(echoRequest));
				System.out.println("  " + raw[round]);
				long before = store.total();
				hedge[round] = LoadRun.run("hedge send (follower -> leader)", callers, warmup, window,
						(t, i) -> follower.send(payload));
				storeCallsDuringSends += store.total() - before;
				sends += hedge[round].operations();
				System.out.println("  " + hedge[round]);
			}
			long idleBefore = store.total();
			Thread.sleep(warmup.plus(window).toMillis() * 2);
			long idleCalls = store.total() - idleBefore;
			double rawThroughput = (raw[0].throughput() + raw[1].throughput()) / 2;
			double hedgeThroughput = (hedge[0].throughput() + hedge[1].throughput()) / 2;
			double rawP50 = (raw[0].p50Micros() + raw[1].p50Micros()) / 2;
			double hedgeP50 = (hedge[0].p50Micros() + hedge[1].p50Micros()) / 2;
			System.out.printf("throughput ratio hedge/raw: %.2f (goal >= 0.80)%n", hedgeThroughput / rawThroughput);
			System.out.printf("p50 ratio hedge/raw:        %.2f (goal <= 1.30)%n", hedgeP50 / rawP50);
			System.out.printf("p99 hedge %.0f us, raw %.0f us%n", (hedge[0].p99Micros() + hedge[1].p99Micros()) / 2,
					(raw[0].p99Micros() + raw[1].p99Micros()) / 2);
			System.out.printf("store calls: %d during %d sends (the election's own background polls: %d in an equally"
					+ " long idle window) -> store reads per send: %.4f (goal 0)%n", storeCallsDuringSends, sends,
					idleCalls, Math.max(0, storeCallsDuringSends - idleCalls) / (double) sends);
		}
		finally {
			follower.close();
			leader.close();
			store.close();
			echoChannel.shutdownNow();
			echoServer.shutdownNow();
		}
	}

	static HedgeNode node(dev.hedge.store.HedgeStore store, String name) {
		return node(store, "bench-send", dev.hedge.transport.grpc.MemberSecurity.auto());
	}

	/** A started echoing member of a group on loopback. */
	static HedgeNode node(dev.hedge.store.HedgeStore store, String group,
			dev.hedge.transport.grpc.MemberSecurity security) {
		return HedgeNode.builder(group)
			.store(store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.security(security)
			.leaderHandler((message) -> message.payload())
			.build()
			.start();
	}

	static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new IllegalStateException("cluster did not form");
			}
			Thread.sleep(20);
		}
	}

	static void ignore(IOException ex) {
	}

}
