package dev.hedge.store;

import java.util.regex.Pattern;

import dev.hedge.common.HedgeConfigurationException;

/**
 * Names of hedge's tables. Table names are the only identifiers ever put into SQL text (values are always bound
 * parameters), so they are validated here.
 *
 * @param lockTable the lease table
 * @param logTable the log table
 */
public record TableNames(String lockTable, String logTable) {

	private static final int IDENTIFIER_MAX = 128;

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");

	/** Default lease table name. */
	public static final String DEFAULT_LOCK_TABLE = "hedge_lock";

	/** Default log table name. */
	public static final String DEFAULT_LOG_TABLE = "hedge_log";

	/**
	 * The defaults ({@code hedge_lock}, {@code hedge_log}).
	 * @return the default names
	 */
	public static TableNames defaults() {
		return new TableNames(DEFAULT_LOCK_TABLE, DEFAULT_LOG_TABLE);
	}

	/**
	 * Validates both names.
	 * @param lockProperty property the lock table name came from, for the message
	 * @param logProperty property the log table name came from
	 * @return this
	 * @throws HedgeConfigurationException naming the property of an invalid name
	 */
	public TableNames validate(String lockProperty, String logProperty) {
		check(lockProperty, this.lockTable);
		check(logProperty, this.logTable);
		if (this.lockTable.length() > IDENTIFIER_MAX - "_chain".length()) {
			throw new HedgeConfigurationException(lockProperty, "'" + this.lockTable + "' is too long: the chain"
					+ " configuration table " + chainTable() + " must have at most " + IDENTIFIER_MAX + " characters");
		}
		if (this.lockTable.equalsIgnoreCase(this.logTable)) {
			throw new HedgeConfigurationException(logProperty, "must differ from " + lockProperty);
		}
		return this;
	}

	/**
	 * The replicated data's table: the log table's name plus {@code _crdt}.
	 * @return the table name
	 */
	public String crdtTable() {
		return this.logTable + "_crdt";
	}

	/**
	 * The chain configuration table: the lease table's name followed by {@code _chain} (default
	 * {@code hedge_lock_chain}), so that every lease table has its own.
	 * @return the name
	 */
	public String chainTable() {
		return this.lockTable + "_chain";
	}

	private static void check(String property, String name) {
		if (name == null || !IDENTIFIER.matcher(name).matches()) {
			throw new HedgeConfigurationException(property,
					"'" + name + "' is not a valid table name (a letter, then letters, digits or _)");
		}
	}

}
