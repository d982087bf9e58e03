package io.aviary.xep0313;

import java.time.Instant;
import java.util.List;

/**
 * The filter of a XEP-0313 query (§4.1 and the {@code urn:xmpp:mam:2#extended} fields); every part is optional (null,
 * or an empty list) and they combine with AND.
 *
 * @param with     a bare JID matches every message with that bare JID; a full JID only that full JID (§4.1.1)
 * @param start    messages archived at or after this instant
 * @param end      messages archived at or before this instant
 * @param afterId  messages archived after the one with this id (exclusive)
 * @param beforeId messages archived before the one with this id (exclusive)
 * @param ids      only the messages with these ids (XEP-0313 §4.1.2 {@code ids}), in archive order
 */
public record ArchiveQuery(String with, Instant start, Instant end, String afterId, String beforeId, List<String> ids) {

    public static final ArchiveQuery ALL = new ArchiveQuery(null, null, null, null, null, List.of());

    public ArchiveQuery {
        ids = ids == null ? List.of() : List.copyOf(ids);
    }
}
