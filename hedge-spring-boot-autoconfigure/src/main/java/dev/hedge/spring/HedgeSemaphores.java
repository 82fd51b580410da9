package dev.hedge.spring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.hedge.HedgeNode;
import dev.hedge.semaphore.HedgeSemaphore;
import dev.hedge.semaphore.Permit;
import dev.hedge.semaphore.SemaphoreStore;

/**
 * Opens semaphores at run time ({@link #get(String, int)}); semaphores declared under
 * {@code hedge.semaphores.<name>.limit} are also beans of that name. Handles are created at once but open the semaphore
 * on the leader at first use (the node may not have started when beans are created). Thread-safe.
 */
public class HedgeSemaphores {

	private final HedgeNode node;

	private final ConcurrentMap<String, HedgeSemaphore> semaphores = new ConcurrentHashMap<>();

	/**
	 * Creates the factory.
	 * @param node the hedge node
	 */
	public HedgeSemaphores(HedgeNode node) {
		this.node = node;
	}

	/**
	 * The semaphore of that name (creating it with {@code limit} if it does not exist).
	 * @param name the name
	 * @param limit the limit
	 * @return the semaphore; a mismatching limit fails at first use with
	 * {@link dev.hedge.semaphore.SemaphoreLimitMismatchException}
	 */
	public HedgeSemaphore get(String name, int limit) {
		HedgeSemaphore semaphore = this.semaphores.computeIfAbsent(name, (n) -> new LazySemaphore(n, limit));
		if (semaphore.limit() != limit) {
			throw new dev.hedge.semaphore.SemaphoreLimitMismatchException(name, semaphore.limit(), limit);
		}
		return semaphore;
	}

	/**
	 * The semaphores opened through this factory.
	 * @return a snapshot
	 */
	public List<HedgeSemaphore> opened() {
		return List.copyOf(this.semaphores.values());
	}

	private final class LazySemaphore implements HedgeSemaphore {

		private final String name;

		private final int limit;

		private volatile HedgeSemaphore delegate;

		LazySemaphore(String name, int limit) {
			this.name = name;
			this.limit = limit;
		}

		private HedgeSemaphore delegate() {
			HedgeSemaphore current = this.delegate;
			if (current == null) {
				synchronized (this) {
					if (this.delegate == null) {
						this.delegate = HedgeSemaphores.this.node.semaphore(this.name, this.limit);
					}
					current = this.delegate;
				}
			}
			return current;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public int limit() {
			return this.limit;
		}

		@Override
		public Permit acquire() throws InterruptedException {
			return delegate().acquire();
		}

		@Override
		public Optional<Permit> tryAcquire() {
			return delegate().tryAcquire();
		}

		@Override
		public Optional<Permit> tryAcquire(Duration timeout) throws InterruptedException {
			return delegate().tryAcquire(timeout);
		}

		@Override
		public List<SemaphoreStore.PermitRecord> holders() {
			return delegate().holders();
		}

		@Override
		public String toString() {
			return "HedgeSemaphore[" + this.name + ", limit " + this.limit + "]";
		}

	}

}
