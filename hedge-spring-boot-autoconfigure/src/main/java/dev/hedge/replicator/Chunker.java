package dev.hedge.replicator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.hedge.crdt.GSet;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.ReplicatedData;
import dev.hedge.transport.grpc.proto.CrdtBatch;
import dev.hedge.transport.grpc.proto.CrdtEntry;

/**
 * Packs named values into {@link CrdtBatch batches} of at most a byte budget each (the transport's message limit
 * leaves room for the envelope), splitting a value that is larger than the budget with its type's {@code split}:
 * each chunk is below the value and merges on its own, so the receiver needs no reassembly. A counter or register is
 * never split (its size is bounded by the number of replicas, or by the checked register value); a map contribution
 * larger than the budget (one written by pruning) stays whole. Not thread-safe: one per message stream.
 */
final class Chunker {

	private final int budget;

	private final Consumer<CrdtBatch> out;

	private Codec.Batch batch = new Codec.Batch();

	private long bytes;

	private long entries;

	/**
	 * @param budget the most bytes of entries per batch
	 * @param out receives each full batch, and the last one on {@link #finish()}
	 */
	Chunker(int budget, Consumer<CrdtBatch> out) {
		this.budget = budget;
		this.out = out;
	}

	/** Adds a value, split into chunks when it is larger than the budget. */
	void add(String name, DataType<?> type, ReplicatedData<?> value) {
		CrdtEntry entry = this.batch.entry(name, type, value);
		int size = entry.getSerializedSize();
		if (size > this.budget) {
			List<? extends ReplicatedData<?>> pieces = split(value, size);
			if (pieces.size() > 1) {
				for (ReplicatedData<?> piece : pieces) {
					add(name, type, piece);
				}
				return;
			}
		}
		if (!this.batch.isEmpty() && this.batch.estimatedBytes() + size > this.budget) {
			flush();
			// replica ids are indexes into the batch's table: encode again for the new batch
			entry = this.batch.entry(name, type, value);
		}
		this.batch.add(entry);
		this.entries++;
	}

	private List<? extends ReplicatedData<?>> split(ReplicatedData<?> value, int size) {
		int parts = (int) Math.min(Integer.MAX_VALUE, 2L * size / this.budget + 1);
		if (value instanceof GSet<?> set) {
			return set.split(Math.max(1, set.size() / parts));
		}
		if (value instanceof ORSet<?> set) {
			long dots = set.dots().values().stream().mapToLong(java.util.Set::size).sum();
			return set.split((int) Math.max(1, dots / parts));
		}
		if (value instanceof ORMap<?, ?> map) {
			long dots = map.contributions().values().stream().mapToLong(java.util.Map::size).sum();
			return map.split((int) Math.max(1, dots / parts));
		}
		return List.of(value);
	}

	private void flush() {
		if (this.batch.isEmpty()) {
			return;
		}
		CrdtBatch built = this.batch.build();
		this.bytes += built.getSerializedSize();
		this.out.accept(built);
		this.batch = new Codec.Batch();
	}

	/** Emits the last batch (if any). */
	void finish() {
		flush();
	}

	/** Bytes emitted so far. */
	long bytes() {
		return this.bytes;
	}

	/** Entries (values or chunks) added so far. */
	long entries() {
		return this.entries;
	}

	/** Every batch of some values, for callers that want a list. */
	static List<CrdtBatch> batches(int budget, Iterable<Codec.Named> values) {
		List<CrdtBatch> batches = new ArrayList<>();
		Chunker chunker = new Chunker(budget, batches::add);
		for (Codec.Named named : values) {
			chunker.add(named.key(), named.type(), named.value());
		}
		chunker.finish();
		return batches;
	}

}
