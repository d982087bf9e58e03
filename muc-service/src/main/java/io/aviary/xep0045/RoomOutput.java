package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the rooms' stanzas go: one at a time ({@link #accept}), or one stanza to many occupants ({@link #multicast}),
 * which the running service hands to the bus as one record (the router then batches the copies per gateway). Tests
 * may pass any consumer: a multicast is then each copy in turn.
 */
@FunctionalInterface
public interface RoomOutput extends Consumer<XmlElement> {

    /** {@code stanza} to each of {@code recipients}, each copy addressed to its recipient. */
    default void multicast(XmlElement stanza, List<String> recipients) {
        recipients.forEach(recipient -> accept(stanza.withAttribute("to", recipient)));
    }

    /**
     * Sends each stanza of {@code addressed} (one per recipient, addressed to it), multicasting those that are the
     * same but for their {@code to}: a presence broadcast differs only for the recipients who may see real JIDs.
     */
    default void multicastAll(List<XmlElement> addressed) {
        Map<XmlElement, List<String>> alike = new LinkedHashMap<>();
        for (XmlElement stanza : addressed) {
            alike.computeIfAbsent(stanza.withAttribute("to", null), unaddressed -> new ArrayList<>())
                    .add(stanza.attributeOrNull("to"));
        }
        alike.forEach(this::multicast);
    }
}
