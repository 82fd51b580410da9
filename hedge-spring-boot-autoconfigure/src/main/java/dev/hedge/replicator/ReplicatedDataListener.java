package dev.hedge.replicator;

/**
 * Told when replicated values change on this member, by a local update or by a merge of another member's change.
 *
 * <p>Threading and timing: calls run one at a time on {@code hedge-<group>-crdt-events}; a name's changes are
 * coalesced, so a listener hears of a name at most once per {@code hedge.crdt.notify-interval} (100 ms) and always
 * with the latest value. Exceptions are logged and ignored. A slow listener delays the others, not replication.
 */
@FunctionalInterface
public interface ReplicatedDataListener {

	/**
	 * A value changed.
	 * @param change the name, its type and its value now
	 */
	void onChanged(ReplicatedDataChange change);

}
