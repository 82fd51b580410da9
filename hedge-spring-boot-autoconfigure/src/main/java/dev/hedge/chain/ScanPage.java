package dev.hedge.chain;

import java.util.List;

/**
 * One page of {@link ChainStore#scan(String, int)}: entries in key order, and the cursor for the next page.
 *
 * @param entries the keys' entries, in key order
 * @param nextAfterKey the {@code afterKey} of the next page, or {@code null} if this page is the last
 */
public record ScanPage(List<KeyEntry> entries, String nextAfterKey) {

	/**
	 * Creates the page.
	 * @param entries the entries (copied)
	 * @param nextAfterKey the next cursor or {@code null}
	 */
	public ScanPage {
		entries = List.copyOf(entries);
	}

	/**
	 * Whether the scan is complete after this page.
	 * @return whether there is no next page
	 */
	public boolean isLast() {
		return this.nextAfterKey == null;
	}

}
