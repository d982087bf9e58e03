package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.Objects;

/**
 * One groupchat message of a room's discussion history (§7.2.15): the message as the room broadcast it (from
 * {@code room@service/nick}, without a {@code to}), and when it was sent, from which the {@code <delay/>} is made
 * on replay.
 */
public record HistoryEntry(Instant at, XmlElement message) {

    public HistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(message, "message");
    }
}
