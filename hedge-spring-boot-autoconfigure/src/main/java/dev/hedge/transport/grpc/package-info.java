/**
 * hedge's gRPC binding: the versioned protocol ({@code hedge.v1}, generated into {@code .proto}), the headers and
 * typed failures every call carries, the per-peer channel pool, and a standalone server for use outside Spring.
 * Spring-free; services live with their features.
 */
package dev.hedge.transport.grpc;
