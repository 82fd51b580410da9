/**
 * Replicated data types: delta-state CRDTs (Almeida, Shoker, Baquero, "Delta state replicated data types") that the
 * instances of an application update locally and converge by exchanging states or deltas in any order. Start at
 * {@link dev.hedge.crdt.ReplicatedData}.
 *
 * <p>Every type is an immutable join-semilattice: {@link dev.hedge.crdt.ReplicatedData#merge merge} is commutative,
 * associative and idempotent, and every mutation returns a {@link dev.hedge.crdt.Mutation} holding the new state and
 * a small delta of the same type that merges into the old state (or any state that has seen it) to give the new one.
 * The types are {@link dev.hedge.crdt.GCounter}, {@link dev.hedge.crdt.PNCounter}, {@link dev.hedge.crdt.GSet},
 * {@link dev.hedge.crdt.ORSet}, {@link dev.hedge.crdt.LWWRegister} and {@link dev.hedge.crdt.ORMap}.
 *
 * <p>Mutations name the replica making them: a string unique to one process lifetime (hedge uses
 * {@code memberId + "#" + incarnation}). A restarted process must use a new replica id. Types that keep per-replica
 * state implement {@link dev.hedge.crdt.RemovedReplicaPruning} so that the state of replicas that left can be folded
 * into a survivor; the rule for doing so is on that interface.
 *
 * <p>Pure Java: Spring-free, no protobuf, no I/O. Serializers read a value through its public accessors and rebuild
 * it with its {@code of(...)} factory.
 */
package dev.hedge.crdt;
