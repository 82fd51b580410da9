package dev.hedge.messaging;

/**
 * A message delivered to a handler.
 *
 * @param sender the sending member's id (this node's own id for local calls)
 * @param payload the bytes sent
 */
public record InboundMessage(String sender, byte[] payload) {

}
