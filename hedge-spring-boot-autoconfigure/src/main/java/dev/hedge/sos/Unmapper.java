package dev.hedge.sos;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Releases a file mapping at once (through {@code sun.misc.Unsafe.invokeCleaner}, open to the class path in module
 * {@code jdk.unsupported}) instead of when the garbage collector gets to it, so the disk space of a deleted file is
 * freed promptly. Callers guarantee the buffer is never touched again. Falls back to the garbage collector when the
 * method is missing.
 */
final class Unmapper {

	private static final Object UNSAFE;

	private static final Method INVOKE_CLEANER;

	static {
		Object unsafe = null;
		Method invoke = null;
		try {
			Class<?> type = Class.forName("sun.misc.Unsafe");
			Field field = type.getDeclaredField("theUnsafe");
			field.setAccessible(true);
			unsafe = field.get(null);
			invoke = type.getMethod("invokeCleaner", ByteBuffer.class);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			unsafe = null;
			invoke = null;
		}
		UNSAFE = unsafe;
		INVOKE_CLEANER = invoke;
	}

	private Unmapper() {
	}

	static void unmap(MappedByteBuffer buffer) {
		if (buffer == null || INVOKE_CLEANER == null) {
			return;
		}
		try {
			INVOKE_CLEANER.invoke(UNSAFE, buffer);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// left to the garbage collector
		}
	}

}
