package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * What a newcomer asked to be replayed (§7.2.15, {@code <history/>} in the join presence): each limit is null when not
 * given. {@code maxchars} counts the characters of the whole replayed stanzas, as the XEP says, so it is applied to
 * the serialized messages.
 */
public record HistoryRequest(Integer maxChars, Integer maxStanzas, Long seconds, Instant since) {

    public static final HistoryRequest ALL = new HistoryRequest(null, null, null, null);

    /** The request in {@code <history/>}; attributes that do not parse are ignored, as if absent. */
    public static HistoryRequest of(XmlElement history) {
        if (history == null) {
            return ALL;
        }
        Integer seconds = number(history.attributeOrNull("seconds"));
        return new HistoryRequest(number(history.attributeOrNull("maxchars")),
                number(history.attributeOrNull("maxstanzas")), seconds == null ? null : seconds.longValue(),
                instant(history.attributeOrNull("since")));
    }

    /**
     * The entries to replay, oldest first: the newest ones that satisfy every limit. {@code render} gives the stanza
     * as it will be sent, for {@code maxchars}.
     */
    public List<HistoryEntry> select(List<HistoryEntry> history, Instant now,
                                     Function<HistoryEntry, String> render) {
        List<HistoryEntry> chosen = new ArrayList<>();
        long chars = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry entry = history.get(i);
            if (maxStanzas != null && chosen.size() >= maxStanzas) {
                break;
            }
            if (seconds != null && entry.at().isBefore(now.minus(Duration.ofSeconds(seconds)))) {
                break;
            }
            if (since != null && !entry.at().isAfter(since)) {
                break;
            }
            if (maxChars != null) {
                chars += render.apply(entry).length();
                if (chars > maxChars) {
                    break;
                }
            }
            chosen.add(entry);
        }
        Collections.reverse(chosen);
        return chosen;
    }

    private static Integer number(String value) {
        if (value == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            return parsed < 0 ? null : parsed;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
