package dev.hedge.chaos.check;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * In-memory {@link PermitSnapshots} for tests: the permit rows of a made-up database, each present from its grant
 * commit (inclusive) to its release commit (exclusive), or a database whose snapshots cannot be read.
 */
public final class RowSnapshots implements PermitSnapshots {

	private final List<Row> rows;

	private final boolean available;

	private RowSnapshots(List<Row> rows, boolean available) {
		this.rows = List.copyOf(rows);
		this.available = available;
	}

	/**
	 * Snapshots of a database with exactly these permit rows.
	 * @param rows the rows
	 * @return the snapshots
	 */
	public static RowSnapshots of(Row... rows) {
		return new RowSnapshots(List.of(rows), true);
	}

	/**
	 * Snapshots that can never be read.
	 * @return the snapshots
	 */
	public static RowSnapshots unavailable() {
		return new RowSnapshots(List.of(), false);
	}

	/**
	 * A row of semaphore {@code s1}.
	 * @param permitId the permit
	 * @param fromMicros its grant commit
	 * @param toMicros its release commit, {@link Long#MAX_VALUE} if never released
	 * @return the row
	 */
	public static Row row(String permitId, long fromMicros, long toMicros) {
		return new Row("s1", permitId, fromMicros, toMicros);
	}

	@Override
	public OptionalLong permitsAt(String semaphore, long micros) {
		if (!this.available) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(this.rows.stream().filter((row) -> row.at(semaphore, micros)).count());
	}

	@Override
	public Optional<Boolean> heldAt(String semaphore, String permitId, long micros) {
		if (!this.available) {
			return Optional.empty();
		}
		return Optional.of(this.rows.stream()
			.anyMatch((row) -> row.permitId().equals(permitId) && row.at(semaphore, micros)));
	}

	/**
	 * One permit row and when it existed.
	 * @param semaphore the semaphore
	 * @param permitId the permit
	 * @param fromMicros the commit that inserted it
	 * @param toMicros the commit that deleted it
	 */
	public record Row(String semaphore, String permitId, long fromMicros, long toMicros) {

		boolean at(String semaphore, long micros) {
			return this.semaphore.equals(semaphore) && this.fromMicros <= micros && micros < this.toMicros;
		}

	}

}
