package dev.hedge.sos;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's SoS directory. Claimed on first use: created, locked with {@value #LOCK} (so two members, in one
 * process or not, never share it), and emptied of data files a crashed predecessor left. Data files are named
 * {@code hedge-sos-<uuid>.dat}; nothing else in the directory is touched. {@link #close()} releases the lock, deletes
 * the lock file and any data file left, and the directory itself if it is then empty. Thread-safe.
 */
final class SosFiles {

	static final String LOCK = "hedge-sos.lock";

	static final String DATA_GLOB = "hedge-sos-*.dat";

	private static final Logger logger = LoggerFactory.getLogger(SosFiles.class);

	private final Path directory;

	private FileChannel lockChannel;

	private FileLock lock;

	private boolean closed;

	SosFiles(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * A new data file's path (the file is not created).
	 * @return the path
	 * @throws IOException if the directory cannot be claimed
	 */
	synchronized Path newDataFile() throws IOException {
		claim();
		return this.directory.resolve("hedge-sos-" + UUID.randomUUID() + ".dat");
	}

	private void claim() throws IOException {
		if (this.closed) {
			throw new IOException("the spill-over store of this member is closed");
		}
		if (this.lock != null) {
			return;
		}
		Files.createDirectories(this.directory);
		FileChannel channel = FileChannel.open(this.directory.resolve(LOCK), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		FileLock acquired;
		try {
			acquired = channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			acquired = null;
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		if (acquired == null) {
			channel.close();
			throw new IOException("hedge.sos.directory " + this.directory + " is in use by another member");
		}
		this.lockChannel = channel;
		this.lock = acquired;
		int stale = deleteDataFiles();
		if (stale > 0) {
			logger.info("Removed {} spill-over data files a previous member left in {}", stale, this.directory);
		}
	}

	private int deleteDataFiles() {
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, DATA_GLOB)) {
			for (Path file : files) {
				if (Files.deleteIfExists(file)) {
					deleted++;
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not list {}: {}", this.directory, ex.toString());
		}
		return deleted;
	}

	/**
	 * How many data files the directory holds now (0 if never claimed).
	 * @return the count
	 */
	synchronized int dataFiles() {
		if (this.lock == null) {
			return 0;
		}
		int count = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, DATA_GLOB)) {
			for (Path ignored : files) {
				count++;
			}
		}
		catch (IOException ex) {
			return -1;
		}
		return count;
	}

	synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.lock == null) {
			return;
		}
		int left = deleteDataFiles();
		if (left > 0) {
			logger.warn("{} spill-over data files were still open at close and were deleted", left);
		}
		try {
			this.lock.release();
			this.lockChannel.close();
			Files.deleteIfExists(this.directory.resolve(LOCK));
			try (DirectoryStream<Path> rest = Files.newDirectoryStream(this.directory)) {
				if (!rest.iterator().hasNext()) {
					Files.deleteIfExists(this.directory);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not release {}: {}", this.directory, ex.toString());
		}
	}

}
