package dev.hedge.replicator;

import java.util.Set;

import dev.hedge.crdt.GSet;

/**
 * A named grow-only set ({@link GSet}), replicated to every member: elements are added and never removed, and adding
 * one twice (a retry, from any member) changes nothing, so its size counts each element exactly once ("one like per
 * user"). Thread-safe and cheap to create; updates and reads run on the caller's thread and block at most their
 * consistency's timeout.
 *
 * @param <E> the element type ({@link String} or {@link Long})
 */
public final class ReplicatedGrowOnlySet<E> {

	private final DefaultReplicator replicator;

	private final String name;

	private final DataType<GSet<E>> type;

	ReplicatedGrowOnlySet(DefaultReplicator replicator, String name, Class<E> elementType) {
		this.replicator = replicator;
		this.name = Names.check(name);
		this.type = DataType.growOnlySet(elementType);
	}

	/**
	 * The set's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Adds an element with the default write consistency.
	 * @param element the element
	 * @return whether this member did not hold it before
	 */
	public boolean add(E element) {
		return add(element, this.replicator.options().writeConsistency());
	}

	/**
	 * Adds an element.
	 * @param element the element
	 * @param consistency how many members must confirm (a retry makes sure they hold it)
	 * @return whether this member did not hold it before
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the add stays applied)
	 */
	public boolean add(E element, Consistency consistency) {
		this.replicator.checkElement(this.type, element);
		boolean[] absent = new boolean[1];
		this.replicator.update(this.name, this.type, (set, replica) -> {
			absent[0] = !set.contains(element);
			return set.add(element);
		}, consistency, Witness.parts(this.type, this.type.scalar().partId(element)));
		return absent[0];
	}

	/**
	 * Whether this member's replica holds an element.
	 * @param element the element
	 * @return whether it was added
	 */
	public boolean contains(E element) {
		return this.replicator.get(this.name, this.type).map((set) -> set.contains(element)).orElse(false);
	}

	/**
	 * The elements, with the default read consistency.
	 * @return an unmodifiable set
	 */
	public Set<E> elements() {
		return elements(this.replicator.options().readConsistency());
	}

	/**
	 * The elements after merging enough members' values.
	 * @param consistency how many members to ask
	 * @return an unmodifiable set
	 */
	public Set<E> elements(Consistency consistency) {
		return this.replicator.get(this.name, this.type, consistency).map(GSet::elements).orElse(Set.of());
	}

	/**
	 * The number of elements, with the default read consistency.
	 * @return the size
	 */
	public int size() {
		return size(this.replicator.options().readConsistency());
	}

	/**
	 * The number of elements after merging enough members' values.
	 * @param consistency how many members to ask
	 * @return the size
	 */
	public int size(Consistency consistency) {
		return this.replicator.get(this.name, this.type, consistency).map(GSet::size).orElse(0);
	}

}
