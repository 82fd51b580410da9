package dev.hedge.spring;

import org.springframework.context.ApplicationEvent;

import dev.hedge.crdt.ReplicatedData;
import dev.hedge.replicator.DataType;
import dev.hedge.replicator.ReplicatedDataChange;

/**
 * Published when a replicated value changed on this member ({@code hedge.crdt.*}), by a local update or by a merge of
 * another member's change. Published on {@code hedge-<group>-crdt-events}, one at a time; a name's changes are
 * coalesced, so a name is published at most once per {@code hedge.crdt.notify-interval}, always with its latest value.
 */
public class HedgeReplicatedDataChangedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient ReplicatedDataChange change;

	/**
	 * Creates the event.
	 * @param source the hedge node
	 * @param change the change
	 */
	public HedgeReplicatedDataChangedEvent(Object source, ReplicatedDataChange change) {
		super(source);
		this.change = change;
	}

	/**
	 * The name that changed.
	 * @return the name
	 */
	public String getName() {
		return this.change.name();
	}

	/**
	 * The name's type.
	 * @return the type
	 */
	public DataType<?> getType() {
		return this.change.type();
	}

	/**
	 * The value now, as a given type.
	 * @param <T> the type
	 * @param type the expected type
	 * @return the value
	 * @throws dev.hedge.replicator.DataTypeMismatchException if the name holds another type
	 */
	public <T extends ReplicatedData<T>> T getValue(DataType<T> type) {
		return this.change.value(type);
	}

	/**
	 * The change as the replicator reported it.
	 * @return the change
	 */
	public ReplicatedDataChange getChange() {
		return this.change;
	}

}
