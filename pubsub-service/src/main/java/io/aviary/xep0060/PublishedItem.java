package io.aviary.xep0060;

import java.time.Instant;

/**
 * An item of a node.
 *
 * @param payload   the item's payload element as XML, or null for an item without one
 * @param publisher the publisher's bare JID
 */
public record PublishedItem(String id, String publisher, String payload, Instant published) {
}
