package dev.hedge.sos;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hedge.membership.Membership;
import dev.hedge.transport.grpc.GrpcLimits;
import dev.hedge.transport.grpc.PeerChannels;

/**
 * Creates a member's {@link SpillOver}. Apache Arrow is optional: when {@code org.apache.arrow:arrow-vector} or an
 * Arrow allocation manager ({@code arrow-memory-netty}, or {@code arrow-memory-unsafe}) is missing, the factory
 * returns an SoS whose {@link SpillOver#store(String)} throws {@link SosUnavailableException} and whose service
 * refuses peers, and the member starts normally. The Arrow-based implementation is only loaded after the check.
 * Stateless and thread-safe.
 */
public final class SpillOverFactory {

	/** Bytes of a record cap kept for protocol overhead below the gRPC message limit. */
	public static final int PROTOCOL_OVERHEAD_BYTES = 1024;

	private static final Logger logger = LoggerFactory.getLogger(SpillOverFactory.class);

	private static final String[] REQUIRED = { "org.apache.arrow.memory.RootAllocator",
			"org.apache.arrow.vector.VarBinaryVector" };

	private static final String[] ALLOCATION_MANAGERS = {
			"org.apache.arrow.memory.netty.DefaultAllocationManagerFactory",
			"org.apache.arrow.memory.unsafe.DefaultAllocationManagerFactory" };

	private SpillOverFactory() {
	}

	/**
	 * Creates the SoS of a member. Starts no thread until the first store is opened or a peer spills here.
	 * @param group the group (names the janitor thread {@code hedge-<group>-sos-janitor})
	 * @param self this member's id ({@code host:port})
	 * @param membership the members spilled to
	 * @param channels the channels to them (carrying hedge's headers)
	 * @param limits the transport limits (the record cap is the message limit minus
	 * {@value #PROTOCOL_OVERHEAD_BYTES} bytes)
	 * @param options this member's limits
	 * @return the SoS (unavailable when Arrow is missing)
	 */
	public static SpillOver create(String group, String self, Membership membership, PeerChannels channels,
			GrpcLimits limits, SpillOverOptions options) {
		return create(group, self, membership, channels, limits, options, SpillOverFactory.class.getClassLoader());
	}

	static SpillOver create(String group, String self, Membership membership, PeerChannels channels,
			GrpcLimits limits, SpillOverOptions options, ClassLoader loader) {
		int maxRecordBytes = maxRecordBytes(limits);
		String missing = missingArrow(loader);
		if (missing != null) {
			logger.info("Spill-over store disabled on {}: {}", self, missing);
			return new UnavailableSpillOver(options, maxRecordBytes, missing);
		}
		try {
			return ArrowSpillOver.create(group, self, membership, channels, maxRecordBytes, options);
		}
		catch (LinkageError | RuntimeException ex) {
			logger.warn("Spill-over store disabled on {}: Apache Arrow failed to load", self, ex);
			return new UnavailableSpillOver(options, maxRecordBytes, "Apache Arrow failed to load: " + ex);
		}
	}

	/**
	 * The record cap for given transport limits.
	 * @param limits the limits
	 * @return the message limit minus {@value #PROTOCOL_OVERHEAD_BYTES}
	 */
	public static int maxRecordBytes(GrpcLimits limits) {
		return limits.maxMessageBytes() - PROTOCOL_OVERHEAD_BYTES;
	}

	/**
	 * Why Arrow cannot be used, or null if it can.
	 * @param loader where to look
	 * @return the reason, or null
	 */
	static String missingArrow(ClassLoader loader) {
		for (String name : REQUIRED) {
			if (!present(name, loader)) {
				return "Apache Arrow is not on the classpath (" + name
						+ " missing; add org.apache.arrow:arrow-vector and org.apache.arrow:arrow-memory-netty)";
			}
		}
		for (String name : ALLOCATION_MANAGERS) {
			if (present(name, loader)) {
				return null;
			}
		}
		return "no Apache Arrow allocation manager on the classpath (add org.apache.arrow:arrow-memory-netty)";
	}

	private static boolean present(String name, ClassLoader loader) {
		try {
			Class.forName(name, false, loader);
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
