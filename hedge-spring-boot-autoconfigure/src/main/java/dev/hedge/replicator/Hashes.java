package dev.hedge.replicator;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.hedge.crdt.CausalContext;
import dev.hedge.crdt.Dot;
import dev.hedge.crdt.GCounter;
import dev.hedge.crdt.GSet;
import dev.hedge.crdt.LWWRegister;
import dev.hedge.crdt.ORMap;
import dev.hedge.crdt.ORSet;
import dev.hedge.crdt.PNCounter;

/**
 * 64-bit hashes of values and their parts for the anti-entropy digests. Equal values hash equal on every member
 * (the hashes depend on content only, never on iteration order or on the JVM: collections are hashed as sums of
 * mixed element hashes); different values collide with probability about 2^-64. Stateless and thread-safe.
 */
final class Hashes {

	private static final long K1 = 0x9e3779b97f4a7c15L;

	private static final long K2 = 0xc2b2ae3d27d4eb4fL;

	private Hashes() {
	}

	/** MurmurHash3's 64-bit finalizer. */
	static long mix(long h) {
		long x = h;
		x ^= x >>> 33;
		x *= 0xff51afd7ed558ccdL;
		x ^= x >>> 33;
		x *= 0xc4ceb9fe1a85ec53L;
		x ^= x >>> 33;
		return x;
	}

	static long of(String text) {
		long h = 0xcbf29ce484222325L;
		for (int i = 0; i < text.length(); i++) {
			h ^= text.charAt(i);
			h *= 0x100000001b3L;
		}
		return mix(h ^ text.length());
	}

	static long of(byte[] bytes) {
		long h = 0x84222325cbf29ce4L;
		for (byte b : bytes) {
			h ^= (b & 0xff);
			h *= 0x100000001b3L;
		}
		return mix(h ^ bytes.length);
	}

	static long scalar(Object value) {
		return (value instanceof String text) ? of(text) : mix(((Long) value) * K1 + K2);
	}

	static long dot(Dot dot) {
		return mix(of(dot.replica()) + dot.counter() * K1);
	}

	static long dots(Set<Dot> dots) {
		long sum = 0;
		for (Dot dot : dots) {
			sum += dot(dot);
		}
		return sum;
	}

	static long replicas(Set<String> replicas) {
		long sum = 0;
		for (String replica : replicas) {
			sum += mix(of(replica) + K2);
		}
		return mix(sum + replicas.size());
	}

	static long context(CausalContext context) {
		long sum = 0;
		for (Map.Entry<String, List<CausalContext.Range>> entry : context.ranges().entrySet()) {
			long h = of(entry.getKey());
			for (CausalContext.Range range : entry.getValue()) {
				h = mix(h * K1 + range.first()) + range.last() * K2;
			}
			sum += mix(h);
		}
		return sum;
	}

	/** The hash of a whole value. */
	@SuppressWarnings("unchecked")
	static long value(Object value) {
		if (value instanceof GCounter counter) {
			long sum = 0;
			for (Map.Entry<String, Long> slot : counter.slots().entrySet()) {
				sum += mix(of(slot.getKey()) + slot.getValue() * K1);
			}
			return mix(sum ^ replicas(counter.prunedReplicas()));
		}
		if (value instanceof PNCounter counter) {
			return mix(value(counter.increments()) * K1 + value(counter.decrements()));
		}
		if (value instanceof GSet<?> set) {
			long sum = 0;
			for (Object element : set.elements()) {
				sum += scalar(element);
			}
			return mix(sum + set.size());
		}
		if (value instanceof ORSet<?> set) {
			long sum = 0;
			for (Map.Entry<?, Set<Dot>> entry : set.dots().entrySet()) {
				sum += orSetElement(entry.getKey(), entry.getValue());
			}
			return mix(sum + removals(set.context(), set.prunedReplicas()));
		}
		if (value instanceof LWWRegister<?> register) {
			return mix(scalar(register.value()) + register.timestamp() * K1 + of(register.replica()) * K2);
		}
		ORMap<Object, ?> map = (ORMap<Object, ?>) value;
		long sum = 0;
		for (Map.Entry<Object, ? extends Map<Dot, ?>> entry : map.contributions().entrySet()) {
			sum += mapKey(entry.getKey(), entry.getValue());
		}
		return mix(sum + removals(map.context(), map.prunedReplicas()));
	}

	static long orSetElement(Object element, Set<Dot> dots) {
		return mix(scalar(element) * K1 + dots(dots));
	}

	static long mapKey(Object key, Map<Dot, ?> contributions) {
		long sum = 0;
		for (Map.Entry<Dot, ?> contribution : contributions.entrySet()) {
			sum += mix(dot(contribution.getKey()) + value(contribution.getValue()) * K2);
		}
		return mix(scalar(key) * K1 + sum);
	}

	/** The hash of what a causal value has seen and pruned. */
	static long removals(CausalContext context, Set<String> pruned) {
		return mix(context(context) * K1 + replicas(pruned));
	}

}
