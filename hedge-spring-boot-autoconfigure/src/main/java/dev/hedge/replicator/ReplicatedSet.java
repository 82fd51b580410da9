package dev.hedge.replicator;

import java.util.Set;

import dev.hedge.crdt.ORSet;

/**
 * A named set whose adds win over concurrent removes ({@link ORSet}), replicated to every member: a remove undoes the
 * adds of the element this member had seen, an add elsewhere that it had not seen survives. Adds and removes are
 * idempotent in effect (a retried add or remove leaves the same set). Thread-safe and cheap to create; updates and
 * reads run on the caller's thread and block at most their consistency's timeout.
 *
 * @param <E> the element type ({@link String} or {@link Long})
 */
public final class ReplicatedSet<E> {

	private final DefaultReplicator replicator;

	private final String name;

	private final DataType<ORSet<E>> type;

	ReplicatedSet(DefaultReplicator replicator, String name, Class<E> elementType) {
		this.replicator = replicator;
		this.name = Names.check(name);
		this.type = DataType.set(elementType);
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
	 * @param consistency how many members must confirm
	 * @return whether this member did not hold it before
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the add stays applied)
	 */
	public boolean add(E element, Consistency consistency) {
		this.replicator.checkElement(this.type, element);
		boolean[] absent = new boolean[1];
		this.replicator.update(this.name, this.type, (set, replica) -> {
			absent[0] = !set.contains(element);
			return set.add(replica, element);
		}, consistency, Witness.parts(this.type, this.type.scalar().partId(element)));
		return absent[0];
	}

	/**
	 * Removes an element with the default write consistency.
	 * @param element the element
	 * @return whether this member held it
	 */
	public boolean remove(E element) {
		return remove(element, this.replicator.options().writeConsistency());
	}

	/**
	 * Removes an element: the adds of it this member has seen are undone everywhere.
	 * @param element the element
	 * @param consistency how many members must confirm
	 * @return whether this member held it
	 * @throws ReplicationTimeoutException if too few members confirmed in time (the remove stays applied)
	 */
	public boolean remove(E element, Consistency consistency) {
		boolean[] present = new boolean[1];
		this.replicator.update(this.name, this.type, (set, replica) -> {
			present[0] = set.contains(element);
			return set.remove(element);
		}, consistency, Witness.parts(this.type, Parts.REMOVALS));
		return present[0];
	}

	/**
	 * Whether this member's replica holds an element.
	 * @param element the element
	 * @return whether it is present
	 */
	public boolean contains(E element) {
		return elements(Consistency.local()).contains(element);
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
		return this.replicator.get(this.name, this.type, consistency).map(ORSet::elements).orElse(Set.of());
	}

	/**
	 * The number of elements, with the default read consistency (as {@link #elements()}).
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
		return this.replicator.get(this.name, this.type, consistency).map(ORSet::size).orElse(0);
	}

}
