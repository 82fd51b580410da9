package dev.hedge.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import dev.hedge.HedgeNode;
import dev.hedge.sos.SosWriter;
import dev.hedge.sos.SpillOverOptions;
import dev.hedge.sos.SpillOverStore;
import dev.hedge.sos.TierStats;
import dev.hedge.store.HedgeStore;
import dev.hedge.store.jdbc.JdbcHedgeStore;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.proto.SosReadReply;
import dev.hedge.transport.grpc.proto.SosReadRequest;
import dev.hedge.transport.grpc.proto.SosSegment;
import dev.hedge.transport.grpc.proto.SosWriteReply;
import dev.hedge.transport.grpc.proto.SosWriteRequest;
import dev.hedge.transport.grpc.proto.SpillOverGrpc;

/**
 * Spill-over store throughput, each figure next to a baseline measured in the same run on the same records:
 * <ul>
 * <li>memory tier (one member, memory only) against copying the records into and out of a heap {@code byte[]};</li>
 * <li>disk tier (one member, disk only) against {@link FileChannel} writes and reads through one read-only
 * mapping;</li>
 * <li>a member spilling to a peer over gRPC (the origin has no memory or disk, the peer holds everything in
 * memory) against a raw gRPC client stream of the same records to a sink, and reading it back against a raw gRPC
 * server stream of the same records from the heap.</li>
 * </ul>
 * Writes are timed from opening the writer until {@code close()} returned (everything stored and acknowledged);
 * reads until the last record was handed over (as a fresh {@code byte[]}, like the baselines). One warm-up round,
 * then {@code rounds} measured rounds (hedge and baseline in alternating order, each after a garbage collection);
 * the best round is reported. Arguments: {@code total=256} (MiB per run), {@code size=65536} (bytes per record),
 * {@code rounds=3}, {@code tiers=memory,disk,peer}.
 */
final class SosBench {

	private static final double MIB = 1 << 20;

	private SosBench() {
	}

	static void run(Args args) throws Exception {
		long total = args.integer("total", 256) * (1L << 20);
		int size = args.integer("size", 64 << 10);
		int rounds = args.integer("rounds", 3);
		String tiers = args.string("tiers", "memory,disk,peer");
		List<byte[]> records = records(total, size);
		long bytes = (long) records.size() * size;
		System.out.printf("%d records of %d bytes (%.0f MiB) per run; 1 warm-up + %d rounds, best round shown;"
				+ " %d cores%n", records.size(), size, bytes / MIB, rounds, Runtime.getRuntime().availableProcessors());
		Path work = Files.createTempDirectory("hedge-sos-bench-");
		long room = bytes + (64L << 20);
		HedgeStore store = JdbcHedgeStore.embedded(work.resolve("db"), true);
		HedgeNode memory = node(store, "bench-sos-memory", new SpillOverOptions(room, 0, work.resolve("m"), ttl()));
		HedgeNode disk = node(store, "bench-sos-disk", new SpillOverOptions(0, room, work.resolve("d"), ttl()));
		HedgeNode origin = node(store, "bench-sos-peer", new SpillOverOptions(0, 0, work.resolve("o"), ttl()));
		HedgeNode peer = node(store, "bench-sos-peer", new SpillOverOptions(room, 0, work.resolve("p"), ttl()));
		SendBench.await(() -> origin.members().size() == 2 && peer.members().size() == 2);
		RawStreams raw = RawStreams.start(records);
		try {
			Figures sosMemory = new Figures();
			Figures heapCopy = new Figures();
			Figures sosDisk = new Figures();
			Figures fileMmap = new Figures();
			Figures sosPeer = new Figures();
			Figures rawGrpc = new Figures();
			for (int round = 0; round <= rounds; round++) {
				boolean measured = round > 0;
				boolean sosFirst = round % 2 == 0;
				int r = round;
				if (tiers.contains("memory")) {
					pair(sosFirst, () -> sosMemory.add(measured, sos(memory, "memory-" + r, records, bytes,
							(stats) -> stats.memory().bytes())),
							() -> heapCopy.add(measured, heapCopy(records, bytes)));
				}
				if (tiers.contains("disk")) {
					pair(sosFirst, () -> sosDisk.add(measured, sos(disk, "disk-" + r, records, bytes,
							(stats) -> stats.disk().bytes())),
							() -> fileMmap.add(measured, fileMmap(work.resolve("raw-" + r + ".dat"), records, bytes)));
				}
				if (tiers.contains("peer")) {
					pair(sosFirst, () -> sosPeer.add(measured, sos(origin, "peer-" + r, records, bytes,
							(stats) -> stats.peers().getOrDefault(peer.nodeId(), TierStats.EMPTY).bytes())),
							() -> rawGrpc.add(measured, raw.run(records, bytes)));
				}
			}
			System.out.printf("%-26s %-6s %12s %12s %7s  %s%n", "tier", "op", "hedge MB/s", "baseline", "ratio",
					"baseline is");
			if (tiers.contains("memory")) {
				row("memory (Arrow, off-heap)", "write", sosMemory.write, heapCopy.write, "heap byte[] copy in");
				row("memory (Arrow, off-heap)", "read", sosMemory.read, heapCopy.read, "heap byte[] copy out");
			}
			if (tiers.contains("disk")) {
				row("disk (mmap file)", "write", sosDisk.write, fileMmap.write, "FileChannel write");
				row("disk (mmap file)", "read", sosDisk.read, fileMmap.read, "mmap read");
			}
			if (tiers.contains("peer")) {
				row("peer (gRPC spill)", "write", sosPeer.write, rawGrpc.write, "raw gRPC client stream");
				row("peer (gRPC spill)", "read", sosPeer.read, rawGrpc.read, "raw gRPC server stream");
			}
			System.out.println("(MB/s = 10^6 bytes/s of record payload; writes include close(), i.e. every record"
					+ " stored or acknowledged)");
		}
		finally {
			raw.close();
			origin.close();
			peer.close();
			memory.close();
			disk.close();
			store.close();
			try (Stream<Path> files = Files.walk(work)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	private static Duration ttl() {
		return Duration.ofSeconds(30);
	}

	private static HedgeNode node(HedgeStore store, String group, SpillOverOptions options) {
		return HedgeNode.builder(group)
			.store(store, false)
			.address("127.0.0.1")
			.listen("127.0.0.1", 0)
			.spillOver(options)
			.build()
			.start();
	}

	private static List<byte[]> records(long total, int size) {
		Random random = new Random(7);
		List<byte[]> records = new ArrayList<>();
		for (long written = 0; written < total; written += size) {
			byte[] record = new byte[size];
			random.nextBytes(record);
			records.add(record);
		}
		return records;
	}

	/** Runs both measurements, in alternating order, each after a garbage collection and a short pause. */
	private static void pair(boolean sosFirst, Measurement sos, Measurement baseline) throws Exception {
		Measurement first = sosFirst ? sos : baseline;
		Measurement second = sosFirst ? baseline : sos;
		settle();
		first.run();
		settle();
		second.run();
	}

	private static void settle() throws InterruptedException {
		System.gc();
		Thread.sleep(300);
	}

	@FunctionalInterface
	private interface Measurement {

		void run() throws Exception;

	}

	private static double mbPerSecond(long bytes, long nanos) {
		return bytes / 1e6 / (nanos / 1e9);
	}

	private static void row(String tier, String op, double hedge, double baseline, String what) {
		System.out.printf("%-26s %-6s %12.0f %12.0f %7.2f  %s%n", tier, op, hedge, baseline, hedge / baseline, what);
	}

	/** Write and read MB/s of one round. */
	private record Round(double write, double read) {

	}

	/** Best write and best read over the measured rounds. */
	private static final class Figures {

		double write;

		double read;

		void add(boolean measured, Round round) {
			if (measured) {
				this.write = Math.max(this.write, round.write());
				this.read = Math.max(this.read, round.read());
			}
		}

	}

	private static Round sos(HedgeNode node, String name, List<byte[]> records, long bytes,
			java.util.function.ToLongFunction<dev.hedge.sos.SosStoreStats> where) {
		SpillOverStore store = node.spillOver().store(name);
		try {
			long start = System.nanoTime();
			try (SosWriter writer = store.writer()) {
				for (byte[] record : records) {
					writer.write(record);
				}
			}
			long wrote = System.nanoTime() - start;
			if (where.applyAsLong(store.stats()) != bytes) {
				throw new IllegalStateException("records not where the benchmark expects them: " + store.stats());
			}
			AtomicLong sum = new AtomicLong();
			start = System.nanoTime();
			long count = store.read((record) -> sum.addAndGet(record.length + record[record.length - 1]));
			long read = System.nanoTime() - start;
			if (count != records.size()) {
				throw new IllegalStateException("read " + count + " of " + records.size() + " records");
			}
			return new Round(mbPerSecond(bytes, wrote), mbPerSecond(bytes, read));
		}
		finally {
			store.delete();
		}
	}

	private static Round heapCopy(List<byte[]> records, long bytes) {
		long start = System.nanoTime();
		byte[] heap = new byte[(int) Math.min(Integer.MAX_VALUE - 8, bytes)];
		int[] offsets = new int[records.size() + 1];
		int at = 0;
		for (int i = 0; i < records.size(); i++) {
			byte[] record = records.get(i);
			System.arraycopy(record, 0, heap, at, record.length);
			at += record.length;
			offsets[i + 1] = at;
		}
		long wrote = System.nanoTime() - start;
		long sum = 0;
		start = System.nanoTime();
		for (int i = 0; i < records.size(); i++) {
			byte[] record = java.util.Arrays.copyOfRange(heap, offsets[i], offsets[i + 1]);
			sum += record.length + record[record.length - 1];
		}
		long read = System.nanoTime() - start;
		blackhole(sum);
		return new Round(mbPerSecond(bytes, wrote), mbPerSecond(bytes, read));
	}

	private static Round fileMmap(Path file, List<byte[]> records, long bytes) throws IOException {
		long start = System.nanoTime();
		long[] ends = new long[records.size()];
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE)) {
			long position = 0;
			for (int i = 0; i < records.size(); i++) {
				ByteBuffer buffer = ByteBuffer.wrap(records.get(i));
				while (buffer.hasRemaining()) {
					position += channel.write(buffer, position);
				}
				ends[i] = position;
			}
			long wrote = System.nanoTime() - start;
			start = System.nanoTime();
			MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, position);
			long sum = 0;
			for (int i = 0; i < records.size(); i++) {
				int from = (i == 0) ? 0 : (int) ends[i - 1];
				byte[] record = new byte[(int) (ends[i] - from)];
				mapped.get(from, record);
				sum += record.length + record[record.length - 1];
			}
			long read = System.nanoTime() - start;
			blackhole(sum);
			return new Round(mbPerSecond(bytes, wrote), mbPerSecond(bytes, read));
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static volatile long sink;

	private static void blackhole(long value) {
		sink += value;
	}

	/**
	 * The raw baseline: a plain gRPC server (same transport and limits as hedge's, no hedge code) whose Write sinks a
	 * client stream and acknowledges once at the end, and whose Read streams the records from the heap; clients use
	 * the transport's readiness for flow control, like hedge does.
	 */
	private static final class RawStreams implements AutoCloseable {

		private final Server server;

		private final ManagedChannel channel;

		private RawStreams(Server server, ManagedChannel channel) {
			this.server = server;
			this.channel = channel;
		}

		static RawStreams start(List<byte[]> records) throws IOException {
			List<ByteString> heap = records.stream().map(ByteString::copyFrom).toList();
			Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
				.maxInboundMessageSize(GrpcLimits.DEFAULTS.maxMessageBytes())
				.addService(new SpillOverGrpc.SpillOverImplBase() {
					@Override
					public StreamObserver<SosWriteRequest> write(StreamObserver<SosWriteReply> responses) {
						return new StreamObserver<>() {
							private long accepted;

							@Override
							public void onNext(SosWriteRequest request) {
								request.getRecord().toByteArray();
								this.accepted++;
							}

							@Override
							public void onError(Throwable error) {
							}

							@Override
							public void onCompleted() {
								responses.onNext(SosWriteReply.newBuilder().setAccepted(this.accepted).build());
								responses.onCompleted();
							}
						};
					}

					@Override
					public void read(SosReadRequest request, StreamObserver<SosReadReply> responses) {
						ServerCallStreamObserver<SosReadReply> out = (ServerCallStreamObserver<SosReadReply>) responses;
						int[] next = { 0 };
						Runnable drain = () -> {
							synchronized (next) {
								while (next[0] < heap.size() && out.isReady()) {
									out.onNext(SosReadReply.newBuilder().setRecord(heap.get(next[0]++)).build());
								}
								if (next[0] == heap.size()) {
									next[0]++;
									out.onCompleted();
								}
							}
						};
						out.setOnReadyHandler(drain);
						drain.run();
					}
				})
				.build()
				.start();
			ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
				.usePlaintext()
				.maxInboundMessageSize(GrpcLimits.DEFAULTS.maxMessageBytes())
				.build();
			return new RawStreams(server, channel);
		}

		Round run(List<byte[]> records, long bytes) throws InterruptedException {
			long start = System.nanoTime();
			CountDownLatch done = new CountDownLatch(1);
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Object lock = new Object();
			ClientResponseObserver<SosWriteRequest, SosWriteReply> observer = new ClientResponseObserver<>() {
				@Override
				public void beforeStart(ClientCallStreamObserver<SosWriteRequest> requests) {
					requests.setOnReadyHandler(() -> {
						synchronized (lock) {
							lock.notifyAll();
						}
					});
				}

				@Override
				public void onNext(SosWriteReply reply) {
				}

				@Override
				public void onError(Throwable error) {
					failure.set(error);
					done.countDown();
				}

				@Override
				public void onCompleted() {
					done.countDown();
				}
			};
			ClientCallStreamObserver<SosWriteRequest> requests;
			requests = (ClientCallStreamObserver<SosWriteRequest>) SpillOverGrpc.newStub(this.channel)
				.withOnReadyThreshold(1 << 20)
				.write(observer);
			for (byte[] record : records) {
				SosWriteRequest request = SosWriteRequest.newBuilder().setRecord(ByteString.copyFrom(record)).build();
				synchronized (lock) {
					while (!requests.isReady() && failure.get() == null) {
						lock.wait(10);
					}
				}
				requests.onNext(request);
			}
			requests.onCompleted();
			if (!done.await(5, TimeUnit.MINUTES) || failure.get() != null) {
				throw new IllegalStateException("raw write failed: " + Status.fromThrowable(failure.get()));
			}
			long wrote = System.nanoTime() - start;

			start = System.nanoTime();
			long count = 0;
			long sum = 0;
			var replies = SpillOverGrpc.newBlockingStub(this.channel)
				.read(SosReadRequest.newBuilder().setSegment(SosSegment.newBuilder().setStore("raw")).build());
			while (replies.hasNext()) {
				byte[] record = replies.next().getRecord().toByteArray();
				sum += record.length + record[record.length - 1];
				count++;
			}
			long read = System.nanoTime() - start;
			if (count != records.size()) {
				throw new IllegalStateException("raw read " + count + " of " + records.size());
			}
			blackhole(sum);
			return new Round(mbPerSecond(bytes, wrote), mbPerSecond(bytes, read));
		}

		@Override
		public void close() {
			this.channel.shutdownNow();
			this.server.shutdownNow();
		}

	}

}
