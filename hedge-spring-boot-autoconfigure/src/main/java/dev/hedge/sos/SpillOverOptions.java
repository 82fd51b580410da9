package dev.hedge.sos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.hedge.common.HedgeConfigurationException;

/**
 * This member's spill-over limits. Immutable and validated on construction; every problem is reported as a
 * {@link HedgeConfigurationException} naming the {@code hedge.sos.*} property at fault.
 *
 * <p>The limits are per member and shared by everything the member holds: its own stores and the segments other
 * members spilled to it. A member enforces its own limits on what it receives, never the sender's.
 *
 * @param memoryLimitBytes off-heap memory for records ({@code hedge.sos.memory-limit}); counts the Arrow buffers
 * allocated (record bytes plus offsets and allocator rounding); 0 disables the memory tier
 * @param diskLimitBytes record bytes in memory-mapped files ({@code hedge.sos.disk-limit}); 0 disables the disk tier
 * @param directory where the files go ({@code hedge.sos.directory}); created on first use, claimed with a lock file
 * @param ttl how long a store stays after its last handle, writer and reader are closed, and how long a peer keeps a
 * spilled segment after the origin's last contact ({@code hedge.sos.ttl}); 1 s to 7 days
 */
public record SpillOverOptions(long memoryLimitBytes, long diskLimitBytes, Path directory, Duration ttl) {

	/** Default memory limit: 64 MiB. */
	public static final long DEFAULT_MEMORY_LIMIT = 64L << 20;

	/** Default disk limit: 1 GiB. */
	public static final long DEFAULT_DISK_LIMIT = 1L << 30;

	/** Default TTL: 30 s (as hedge-Go). */
	public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

	private static final Duration MIN_TTL = Duration.ofSeconds(1);

	private static final Duration MAX_TTL = Duration.ofDays(7);

	/**
	 * Validates the options.
	 * @param memoryLimitBytes the memory limit
	 * @param diskLimitBytes the disk limit
	 * @param directory the directory
	 * @param ttl the TTL
	 */
	public SpillOverOptions {
		if (memoryLimitBytes < 0) {
			throw new HedgeConfigurationException("hedge.sos.memory-limit",
					"must not be negative (was " + memoryLimitBytes + " bytes)");
		}
		if (diskLimitBytes < 0) {
			throw new HedgeConfigurationException("hedge.sos.disk-limit",
					"must not be negative (was " + diskLimitBytes + " bytes)");
		}
		if (directory == null || directory.toString().isBlank()) {
			throw new HedgeConfigurationException("hedge.sos.directory", "must be set");
		}
		if (Files.exists(directory) && !Files.isDirectory(directory)) {
			throw new HedgeConfigurationException("hedge.sos.directory",
					"must be a directory (" + directory + " is a file)");
		}
		if (ttl == null) {
			throw new HedgeConfigurationException("hedge.sos.ttl", "must be set");
		}
		if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
			throw new HedgeConfigurationException("hedge.sos.ttl", "must be between 1s and 7d (was " + ttl + ")");
		}
	}

	/**
	 * The defaults for a member serving on {@code port}: 64 MiB memory, 1 GiB disk, directory
	 * {@code ./.hedge/sos/<port>} (relative to the working directory, one per member so members on one machine never
	 * share files), TTL 30 s.
	 * @param port the member's gRPC port
	 * @return the options
	 */
	public static SpillOverOptions defaults(int port) {
		return new SpillOverOptions(DEFAULT_MEMORY_LIMIT, DEFAULT_DISK_LIMIT,
				Path.of(".hedge", "sos", Integer.toString(port)), DEFAULT_TTL);
	}

	/**
	 * These options with another memory limit.
	 * @param bytes the limit
	 * @return new options
	 */
	public SpillOverOptions withMemoryLimit(long bytes) {
		return new SpillOverOptions(bytes, this.diskLimitBytes, this.directory, this.ttl);
	}

	/**
	 * These options with another disk limit.
	 * @param bytes the limit
	 * @return new options
	 */
	public SpillOverOptions withDiskLimit(long bytes) {
		return new SpillOverOptions(this.memoryLimitBytes, bytes, this.directory, this.ttl);
	}

	/**
	 * These options with another directory.
	 * @param path the directory
	 * @return new options
	 */
	public SpillOverOptions withDirectory(Path path) {
		return new SpillOverOptions(this.memoryLimitBytes, this.diskLimitBytes, path, this.ttl);
	}

	/**
	 * These options with another TTL.
	 * @param value the TTL
	 * @return new options
	 */
	public SpillOverOptions withTtl(Duration value) {
		return new SpillOverOptions(this.memoryLimitBytes, this.diskLimitBytes, this.directory, value);
	}

}
