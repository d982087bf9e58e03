package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** §7.2.15: which kept messages a newcomer gets for each limit, alone and combined. */
class HistoryRequestTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    /** Ten messages, one a minute, the last one a minute ago; each body is "message N" (N from 1). */
    private static List<HistoryEntry> history() {
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            entries.add(new HistoryEntry(NOW.minusSeconds(60L * (11 - i)), XmlElement.builder("message", "jabber:client")
                    .textChild("body", "message " + i).build()));
        }
        return entries;
    }

    private static List<String> bodies(HistoryRequest request) {
        return request.select(history(), NOW, e -> e.message().toXml()).stream()
                .map(e -> e.message().childText("body", "jabber:client").orElseThrow()).toList();
    }

    private static HistoryRequest parsed(String attribute, String value) {
        return HistoryRequest.of(XmlElement.builder("history", MucXml.MUC).attribute(attribute, value).build());
    }

    @Test
    void withoutLimitsEverythingKeptIsReplayedOldestFirst() {
        assertThat(bodies(HistoryRequest.ALL)).hasSize(10).startsWith("message 1").endsWith("message 10");
        assertThat(bodies(HistoryRequest.of(null))).hasSize(10);
    }

    @Test
    void maxStanzasKeepsTheNewest() {
        assertThat(bodies(parsed("maxstanzas", "3"))).containsExactly("message 8", "message 9", "message 10");
        assertThat(bodies(parsed("maxstanzas", "0"))).isEmpty();
    }

    @Test
    void secondsCountsBackFromNow() {
        // message 10 is 60 s old, message 9 120 s, message 8 180 s.
        assertThat(bodies(parsed("seconds", "150"))).containsExactly("message 9", "message 10");
        assertThat(bodies(parsed("seconds", "0"))).isEmpty();
    }

    @Test
    void sinceIsExclusive() {
        String since = NOW.minusSeconds(120).toString(); // message 9's instant
        assertThat(bodies(parsed("since", since))).containsExactly("message 10");
    }

    @Test
    void maxCharsCountsWholeStanzasAndNeverCutsOne() {
        int oneMessage = history().get(9).message().toXml().length();
        assertThat(bodies(parsed("maxchars", Integer.toString(oneMessage * 2 + 1))))
                .containsExactly("message 9", "message 10");
        assertThat(bodies(parsed("maxchars", Integer.toString(oneMessage - 1)))).isEmpty();
        assertThat(bodies(parsed("maxchars", "0"))).isEmpty();
    }

    @Test
    void theStrictestOfCombinedLimitsWins() {
        HistoryRequest request = new HistoryRequest(null, 5, 150L, null);
        assertThat(request.select(history(), NOW, e -> "")).hasSize(2);
    }

    @Test
    void unparsableLimitsAreIgnored() {
        assertThat(bodies(parsed("maxstanzas", "many"))).hasSize(10);
        assertThat(bodies(parsed("maxstanzas", "-2"))).hasSize(10);
        assertThat(bodies(parsed("since", "yesterday"))).hasSize(10);
    }
}
