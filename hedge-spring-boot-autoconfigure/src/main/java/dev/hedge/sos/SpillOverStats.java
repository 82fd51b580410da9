package dev.hedge.sos;

/**
 * What one member's SoS holds now: its own stores and the segments it holds for others. Immutable snapshot.
 *
 * @param memoryLimitBytes the memory limit
 * @param memoryUsedBytes memory reserved for records (Arrow buffers, own stores and held segments)
 * @param offHeapBytes off-heap memory allocated through this member's Arrow allocator (0 once everything is freed)
 * @param diskLimitBytes the disk limit
 * @param diskUsedBytes record bytes in files (own stores and held segments)
 * @param dataFiles data files in the directory
 * @param stores this member's stores (open or within their TTL)
 * @param heldSegments segments held for other members
 * @param heldMemory records held for others in memory
 * @param heldDisk records held for others on disk
 */
public record SpillOverStats(long memoryLimitBytes, long memoryUsedBytes, long offHeapBytes, long diskLimitBytes,
		long diskUsedBytes, int dataFiles, int stores, int heldSegments, TierStats heldMemory, TierStats heldDisk) {

}
