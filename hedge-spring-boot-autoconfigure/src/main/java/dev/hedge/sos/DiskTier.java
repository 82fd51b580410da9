package dev.hedge.sos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in one file under the member's directory, appended with positional {@link FileChannel} writes (in slices of
 * at most 64 KiB, so the JDK's per-thread temporary direct buffer stays small) and read back through read-only
 * memory mappings ({@link View}). Record bytes are reserved in the member's {@link Budget} before they are written.
 * The end offsets of the records are kept on the heap (8 bytes per record). An I/O error (a full disk, say) makes the
 * tier refuse every later record; the records before it stay readable.
 *
 * <p>One appender at a time (the owner serialises appends); any number of concurrent views; {@link #close()} waits
 * for running appends, closes and deletes the file.
 */
final class DiskTier implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DiskTier.class);

	private static final int SLICE = 64 << 10;

	private static final int PAGE_BITS = 12;

	private static final int PAGE = 1 << PAGE_BITS;

	/** Largest window one mapping covers. */
	static final long WINDOW = 1L << 30;

	private final NodeResources resources;

	private final String name;

	private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();

	private Path file;

	private FileChannel channel;

	private long written;

	private volatile long[][] ends = new long[0][];

	private volatile long records;

	private volatile String failure;

	private volatile boolean closed;

	DiskTier(NodeResources resources, String name) {
		this.resources = resources;
		this.name = name;
	}

	/**
	 * Appends a record if the budget allows.
	 * @return the record's index in this tier, or -1 if the tier has no room, failed, or is closed
	 */
	long append(byte[] source, int offset, int length) {
		this.guard.readLock().lock();
		try {
			if (this.closed || this.failure != null || !this.resources.budget.reserveDisk(length)) {
				return -1;
			}
			try {
				if (this.channel == null) {
					this.file = this.resources.files.newDataFile();
					this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
							StandardOpenOption.WRITE);
				}
				int done = 0;
				while (done < length) {
					ByteBuffer slice = ByteBuffer.wrap(source, offset + done, Math.min(SLICE, length - done));
					while (slice.hasRemaining()) {
						done += this.channel.write(slice, this.written + done);
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				this.resources.budget.releaseDisk(length);
				this.failure = ex.toString();
				logger.warn("Spill-over disk tier of '{}' in {} failed and takes no more records: {}", this.name,
						this.resources.files.directory(), ex.toString());
				return -1;
			}
			this.written += length;
			long index = this.records;
			setEnd(index, this.written);
			this.records = index + 1;
			return index;
		}
		finally {
			this.guard.readLock().unlock();
		}
	}

	private void setEnd(long index, long end) {
		int page = (int) (index >>> PAGE_BITS);
		long[][] current = this.ends;
		if (page >= current.length) {
			long[][] grown = Arrays.copyOf(current, Math.max(4, current.length * 2));
			for (int i = current.length; i < grown.length; i++) {
				grown[i] = new long[PAGE];
			}
			current = grown;
		}
		current[page][(int) (index & (PAGE - 1))] = end;
		this.ends = current;
	}

	private long end(long index) {
		return this.ends[(int) (index >>> PAGE_BITS)][(int) (index & (PAGE - 1))];
	}

	long records() {
		return this.records;
	}

	/** Record bytes in the file. */
	long bytes() {
		long count = this.records;
		return (count == 0) ? 0 : end(count - 1);
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Why the tier takes no more records, if it failed.
	 * @return the I/O error, or null
	 */
	String failure() {
		return this.failure;
	}

	/**
	 * A read-only mapping of the first {@code count} records (the file as it is now).
	 * @param count how many records the view covers
	 * @return the view (close it)
	 * @throws SosClosedException if the tier was closed
	 */
	View view(long count) {
		this.guard.readLock().lock();
		try {
			if (this.closed) {
				throw new SosClosedException("spill-over store '" + this.name + "' was deleted");
			}
			long size = (count == 0) ? 0 : end(count - 1);
			int windows = (int) ((size + WINDOW - 1) / WINDOW);
			MappedByteBuffer[] mapped = new MappedByteBuffer[windows];
			try {
				for (int i = 0; i < windows; i++) {
					long from = i * WINDOW;
					mapped[i] = this.channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(WINDOW, size - from));
				}
			}
			catch (IOException ex) {
				for (MappedByteBuffer buffer : mapped) {
					Unmapper.unmap(buffer);
				}
				throw new SosException("cannot map spill-over file " + this.file + ": " + ex, ex);
			}
			return new View(mapped, count);
		}
		finally {
			this.guard.readLock().unlock();
		}
	}

	/** Closes and deletes the file, and returns the reservation. Idempotent. */
	@Override
	public void close() {
		this.guard.writeLock().lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (this.channel != null) {
				try {
					this.channel.close();
				}
				catch (IOException ex) {
					logger.warn("Could not close {}: {}", this.file, ex.toString());
				}
				try {
					Files.deleteIfExists(this.file);
				}
				catch (IOException ex) {
					logger.warn("Could not delete {}: {}", this.file, ex.toString());
				}
			}
			this.resources.budget.releaseDisk(this.written);
			this.written = 0;
		}
		finally {
			this.guard.writeLock().unlock();
		}
	}

	/**
	 * A reader's mapping of the file. Not shared between threads; {@link #close()} unmaps at once, so it and
	 * {@link #read(long)} are mutually exclusive.
	 */
	final class View implements AutoCloseable {

		private final MappedByteBuffer[] windows;

		private final long count;

		private boolean unmapped;

		View(MappedByteBuffer[] windows, long count) {
			this.windows = windows;
			this.count = count;
		}

		long count() {
			return this.count;
		}

		synchronized byte[] read(long index) {
			if (this.unmapped) {
				throw new SosClosedException("reader closed");
			}
			if (DiskTier.this.closed) {
				throw new SosClosedException("spill-over store '" + DiskTier.this.name + "' was deleted");
			}
			if (index < 0 || index >= this.count) {
				throw new IllegalStateException("record " + index + " is not in this view of the disk tier");
			}
			long start = (index == 0) ? 0 : end(index - 1);
			long end = end(index);
			byte[] record = new byte[(int) (end - start)];
			int done = 0;
			while (done < record.length) {
				long position = start + done;
				MappedByteBuffer window = this.windows[(int) (position / WINDOW)];
				int within = (int) (position % WINDOW);
				int length = (int) Math.min(record.length - done, window.capacity() - within);
				window.get(within, record, done, length);
				done += length;
			}
			return record;
		}

		@Override
		public synchronized void close() {
			if (this.unmapped) {
				return;
			}
			this.unmapped = true;
			for (MappedByteBuffer window : this.windows) {
				Unmapper.unmap(window);
			}
		}

	}

}
