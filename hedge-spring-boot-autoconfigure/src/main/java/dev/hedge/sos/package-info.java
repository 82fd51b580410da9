/**
 * The spill-over store (SoS): named, append-only stores of byte records that fill this member's off-heap memory
 * (Apache Arrow), then a memory-mapped file, then other members of the group over gRPC, and read back in write order.
 * Start at {@link dev.hedge.sos.SpillOver}.
 *
 * <p>The public types are Arrow-free; the Arrow-using implementation is package-private and created by
 * {@link dev.hedge.sos.SpillOverFactory} only when Arrow is on the classpath, so a member without Arrow starts
 * normally. This is the only package that may use {@code org.apache.arrow}. Spring-free.
 */
package dev.hedge.sos;
