package dev.hedge.sos;

import java.util.Map;

/**
 * Where one store's records are, as the origin knows it. Immutable snapshot.
 *
 * @param name the store
 * @param records records stored (on peers: acknowledged)
 * @param bytes their bytes
 * @param memory records in this member's memory
 * @param disk records in this member's file
 * @param peers records per peer holding some, in placement order
 */
public record SosStoreStats(String name, long records, long bytes, TierStats memory, TierStats disk,
		Map<String, TierStats> peers) {

	/**
	 * Copies the map.
	 * @param name the store
	 * @param records records stored
	 * @param bytes their bytes
	 * @param memory records in memory
	 * @param disk records on disk
	 * @param peers records per peer
	 */
	public SosStoreStats {
		peers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(peers));
	}

}
