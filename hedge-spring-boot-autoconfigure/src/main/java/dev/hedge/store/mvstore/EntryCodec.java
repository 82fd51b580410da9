package dev.hedge.store.mvstore;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import dev.hedge.chain.ChainStoreException;
import dev.hedge.chain.Item;
import dev.hedge.chain.KeyEntry;
import dev.hedge.chain.WriteRecord;

/**
 * The stored form of a {@link KeyEntry} (the key itself is the map's key):
 *
 * <pre>
 * format      1 byte (1)
 * flags       1 byte: 1 = committed item present, 2 = pending item present
 * per item    version (varlong), write id (string), value length (varint), value bytes
 * writes      count (varint), then per record: version (varlong), write id (string)
 * crc         4 bytes, CRC-32C of everything before, big-endian
 * </pre>
 *
 * A string is its length in chars (varint) and each char as a varint (1 byte for ASCII), so any Java string,
 * unpaired surrogates included, comes back unchanged. Varints are unsigned LEB128. Stateless and thread-safe.
 */
final class EntryCodec {

	static final byte FORMAT = 1;

	private static final int COMMITTED = 1;

	private static final int PENDING = 2;

	private EntryCodec() {
	}

	static byte[] encode(KeyEntry entry) {
		Item committed = entry.committed();
		Item pending = entry.pending();
		int size = 2 + 4 + itemSize(committed) + itemSize(pending) + varintSize(entry.writes().size());
		for (WriteRecord write : entry.writes()) {
			size += varlongSize(write.version()) + stringSize(write.writeId());
		}
		Out out = new Out(size);
		out.bytes[out.position++] = FORMAT;
		out.bytes[out.position++] = (byte) (((committed != null) ? COMMITTED : 0) | ((pending != null) ? PENDING : 0));
		writeItem(out, committed);
		writeItem(out, pending);
		out.varlong(entry.writes().size());
		for (WriteRecord write : entry.writes()) {
			out.varlong(write.version());
			out.string(write.writeId());
		}
		int crc = crc(out.bytes, out.position);
		for (int shift = 24; shift >= 0; shift -= 8) {
			out.bytes[out.position++] = (byte) (crc >>> shift);
		}
		if (out.position != size) {
			throw new IllegalStateException("entry encoded to " + out.position + " bytes, expected " + size);
		}
		return out.bytes;
	}

	static KeyEntry decode(String key, byte[] stored) {
		try {
			if (stored.length < 6) {
				throw new IllegalArgumentException("too short");
			}
			ByteBuffer in = ByteBuffer.wrap(stored);
			int expected = in.getInt(stored.length - 4);
			if (expected != crc(stored, stored.length - 4)) {
				throw new IllegalArgumentException("checksum mismatch");
			}
			in.limit(stored.length - 4);
			byte format = in.get();
			if (format != FORMAT) {
				throw new IllegalArgumentException("unknown format " + format);
			}
			int flags = in.get();
			Item committed = ((flags & COMMITTED) != 0) ? readItem(in, key, true) : null;
			Item pending = ((flags & PENDING) != 0) ? readItem(in, key, false) : null;
			int count = Math.toIntExact(varlong(in));
			List<WriteRecord> writes = new ArrayList<>(Math.min(count, 4096));
			for (int i = 0; i < count; i++) {
				long version = varlong(in);
				writes.add(new WriteRecord(string(in), version));
			}
			if (in.hasRemaining()) {
				throw new IllegalArgumentException(in.remaining() + " bytes left over");
			}
			return new KeyEntry(key, committed, pending, writes);
		}
		catch (RuntimeException ex) {
			throw new ChainStoreException("chain store: the stored entry of key '" + key + "' is damaged ("
					+ stored.length + " bytes): " + ex.getMessage(), ex);
		}
	}

	private static int itemSize(Item item) {
		if (item == null) {
			return 0;
		}
		return varlongSize(item.version()) + stringSize(item.writeId()) + varintSize(item.valueLength())
				+ item.valueLength();
	}

	private static void writeItem(Out out, Item item) {
		if (item == null) {
			return;
		}
		out.varlong(item.version());
		out.string(item.writeId());
		out.varlong(item.valueLength());
		item.copyValue(out.bytes, out.position);
		out.position += item.valueLength();
	}

	private static Item readItem(ByteBuffer in, String key, boolean committed) {
		long version = varlong(in);
		String writeId = string(in);
		int length = Math.toIntExact(varlong(in));
		if (length > in.remaining()) {
			throw new BufferUnderflowException();
		}
		byte[] value = Arrays.copyOfRange(in.array(), in.position(), in.position() + length);
		in.position(in.position() + length);
		return new Item(key, version, value, writeId, committed);
	}

	private static int crc(byte[] bytes, int length) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, length);
		return (int) crc.getValue();
	}

	private static int varintSize(int value) {
		return varlongSize(value);
	}

	private static int varlongSize(long value) {
		int size = 1;
		while ((value & ~0x7FL) != 0) {
			value >>>= 7;
			size++;
		}
		return size;
	}

	private static int stringSize(String text) {
		int size = varintSize(text.length());
		for (int i = 0; i < text.length(); i++) {
			size += varintSize(text.charAt(i));
		}
		return size;
	}

	private static long varlong(ByteBuffer in) {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			byte b = in.get();
			value |= (long) (b & 0x7F) << shift;
			if (b >= 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("varint too long");
	}

	private static String string(ByteBuffer in) {
		int length = Math.toIntExact(varlong(in));
		if (length > in.remaining()) {
			throw new BufferUnderflowException();
		}
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			long c = varlong(in);
			if (c > Character.MAX_VALUE) {
				throw new IllegalArgumentException("not a char: " + c);
			}
			chars[i] = (char) c;
		}
		return new String(chars);
	}

	/** A fixed-size output buffer. */
	private static final class Out {

		private final byte[] bytes;

		private int position;

		Out(int size) {
			this.bytes = new byte[size];
		}

		void varlong(long value) {
			while ((value & ~0x7FL) != 0) {
				this.bytes[this.position++] = (byte) ((value & 0x7F) | 0x80);
				value >>>= 7;
			}
			this.bytes[this.position++] = (byte) value;
		}

		void string(String text) {
			varlong(text.length());
			for (int i = 0; i < text.length(); i++) {
				varlong(text.charAt(i));
			}
		}

	}

}
