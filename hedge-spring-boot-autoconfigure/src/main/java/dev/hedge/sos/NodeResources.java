package dev.hedge.sos;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one member's tiers draw from: the budget, the directory, and the member's single Arrow {@link RootAllocator}
 * (created on first use, limited to the memory limit; every tier allocates through its own child). Thread-safe.
 */
final class NodeResources {

	private static final Logger logger = LoggerFactory.getLogger(NodeResources.class);

	final Budget budget;

	final SosFiles files;

	private final long memoryLimit;

	private RootAllocator root;

	private boolean closed;

	NodeResources(SpillOverOptions options) {
		this.budget = new Budget(options.memoryLimitBytes(), options.diskLimitBytes());
		this.files = new SosFiles(options.directory());
		this.memoryLimit = options.memoryLimitBytes();
	}

	synchronized BufferAllocator newChild(String name) {
		if (this.closed) {
			throw new SosClosedException("the spill-over store of this member is closed");
		}
		if (this.root == null) {
			this.root = new RootAllocator(this.memoryLimit);
		}
		return this.root.newChildAllocator(name, 0, this.memoryLimit);
	}

	/**
	 * Off-heap bytes allocated through the root allocator now.
	 * @return the bytes
	 */
	synchronized long offHeapBytes() {
		return (this.root != null) ? this.root.getAllocatedMemory() : 0;
	}

	/** Closes the allocator (every tier must be closed first) and releases the directory. */
	synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.root != null) {
			try {
				this.root.close();
			}
			catch (RuntimeException ex) {
				logger.error("Spill-over memory still allocated at close: {}", ex.getMessage());
			}
		}
		this.files.close();
	}

}
