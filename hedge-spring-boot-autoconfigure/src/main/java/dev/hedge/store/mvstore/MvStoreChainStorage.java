package dev.hedge.store.mvstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import dev.hedge.chain.ChainStorage;
import dev.hedge.chain.ChainStore;
import dev.hedge.chain.ChainStoreException;
import dev.hedge.chain.ChainStoreOptions;

/**
 * A member's chain data in a directory ({@code hedge.chain.directory}): the store file {@value #STORE_FILE} and
 * beside it {@value #INCARNATION_FILE}, the incarnation of the file's contents. A file that exists keeps its
 * incarnation across restarts (the member resumes its chain position with its data); a new file gets a new one. The
 * incarnation is written and synced before the store is used, and replaced only together with the file. Called by
 * the member's chain, one call at a time.
 */
final class MvStoreChainStorage implements ChainStorage {

	static final String STORE_FILE = "chain.mv.db";

	static final String INCARNATION_FILE = "chain.incarnation";

	private final Path directory;

	private final ChainStoreOptions options;

	private String incarnation;

	MvStoreChainStorage(Path directory, ChainStoreOptions options) {
		this.directory = directory.toAbsolutePath().normalize();
		this.options = options;
	}

	@Override
	public Opened open() {
		Path file = this.directory.resolve(STORE_FILE);
		boolean existed = Files.exists(file);
		String kept = existed ? readIncarnation() : null;
		if (kept == null && existed) {
			// data of an unknown incarnation: it cannot be trusted as anyone's, start empty
			delete(file);
		}
		MvStoreChainStore store = MvStoreChainStore.open(file, this.options);
		try {
			this.incarnation = (kept != null) ? kept : writeIncarnation(UUID.randomUUID().toString());
		}
		catch (RuntimeException ex) {
			store.close();
			throw ex;
		}
		return new Opened(store, this.incarnation);
	}

	@Override
	public ChainStore wipe(ChainStore current) {
		current.close();
		Path file = this.directory.resolve(STORE_FILE);
		delete(file);
		return MvStoreChainStore.open(file, this.options);
	}

	@Override
	public String describe() {
		return "file " + this.directory.resolve(STORE_FILE);
	}

	private String readIncarnation() {
		Path path = this.directory.resolve(INCARNATION_FILE);
		try {
			if (!Files.exists(path)) {
				return null;
			}
			String text = Files.readString(path, StandardCharsets.UTF_8).strip();
			return (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) ? null : text;
		}
		catch (IOException ex) {
			throw new ChainStoreException("chain store: cannot read " + path, ex);
		}
	}

	private String writeIncarnation(String value) {
		Path path = this.directory.resolve(INCARNATION_FILE);
		Path temporary = this.directory.resolve(INCARNATION_FILE + ".tmp");
		try {
			Files.createDirectories(this.directory);
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
				channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
				channel.force(true);
			}
			Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return value;
		}
		catch (IOException ex) {
			throw new ChainStoreException("chain store: cannot write " + path, ex);
		}
	}

	private static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			throw new ChainStoreException("chain store: cannot delete " + file, ex);
		}
	}

}
