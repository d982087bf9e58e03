package io.aviary.xep0060;

/**
 * A node of a publish-subscribe service.
 *
 * @param service the service's address: an account's bare JID (PEP) or {@code pubsub.<domain>}
 * @param owner   the bare JID of the node's owner (the account itself for PEP)
 */
public record PubsubNode(String service, String node, String owner, NodeConfig config) {
}
