package io.aviary.gateway.csi;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * XEP-0352 Client State Indication for one stream, as in Prosody's mod_csi_simple: while the client is inactive,
 * stanzas that can wait are held, and the rest are written at once after everything held, in order.
 *
 * <p>Held: presence updates (available and unavailable; of several from one full JID only the latest is kept, the
 * superseded one is {@linkplain Output#discarded discarded}) and messages that are only a XEP-0085 chat state (no
 * body), also as the forwarded message of a XEP-0280 carbon copy. Written at once: messages with a body, errors,
 * IQs, subscription requests and anything else. {@code <active/>} writes what is held; so does holding one more
 * than {@code maxHeld}.
 *
 * <p>Sits between the stream-management sequencer and the writer: positions are the stanzas' places in the session's
 * resumption queue (0 without stream management) and are handed on unchanged. Thread-safe: deliveries come from the
 * bus's threads, the client's state from the connection's.
 */
public final class CsiFilter {

    public static final String NAMESPACE = "urn:xmpp:csi:0";
    private static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";

    /** Where stanzas go: written to the client, or dropped for good. */
    public interface Output {
        void write(long position, XmlElement stanza);

        void discarded(long position);
    }

    /** What the filter tells the metrics. */
    public interface Meter {
        void flushed(int stanzas);

        void dropped();
    }

    private record Held(long position, XmlElement stanza, String presenceFrom) {
    }

    private final int maxHeld;
    private final Output output;
    private final Meter meter;
    private final Deque<Held> held = new ArrayDeque<>();
    private final Map<String, Held> presenceByFrom = new HashMap<>();
    private boolean inactive;

    public CsiFilter(int maxHeld, Output output, Meter meter) {
        this.maxHeld = maxHeld;
        this.output = output;
        this.meter = meter;
    }

    /** {@code <active/>} or {@code <inactive/>} from the client (XEP-0352 §4); other names are ignored. */
    public synchronized void clientState(String name) {
        if (name.equals("inactive")) {
            inactive = true;
        } else if (name.equals("active")) {
            inactive = false;
            flush();
        }
    }

    public synchronized void input(long position, XmlElement stanza) {
        if (!inactive || important(stanza)) {
            flush();
            output.write(position, stanza);
            return;
        }
        String presenceFrom = stanza.name().equals("presence") ? stanza.attributeOrNull("from") : null;
        Held superseded = presenceFrom == null ? null : presenceByFrom.remove(presenceFrom);
        if (superseded != null) {
            held.remove(superseded);
            output.discarded(superseded.position());
            meter.dropped();
        }
        if (held.size() >= maxHeld) {
            flush();
        }
        Held entry = new Held(position, stanza, presenceFrom);
        held.add(entry);
        if (presenceFrom != null) {
            presenceByFrom.put(presenceFrom, entry);
        }
    }

    private void flush() {
        if (held.isEmpty()) {
            return;
        }
        meter.flushed(held.size());
        Held entry;
        while ((entry = held.poll()) != null) {
            output.write(entry.position(), entry.stanza());
        }
        presenceByFrom.clear();
    }

    /** Whether a stanza is written at once even to an inactive client. */
    static boolean important(XmlElement stanza) {
        String type = stanza.attributeOrNull("type");
        if ("error".equals(type)) {
            return true;
        }
        return switch (stanza.name()) {
            // Subscription requests and their answers want the user; availability can wait.
            case "presence" -> type != null && !type.equals("unavailable");
            case "message" -> !chatStateOnly(carbonOrSelf(stanza));
            default -> true;
        };
    }

    /** The forwarded message of a XEP-0280 copy, judged as the message itself would be. */
    private static XmlElement carbonOrSelf(XmlElement message) {
        return message.elements()
                .filter(child -> child.namespace().equals(CARBONS)
                        && (child.name().equals("received") || child.name().equals("sent")))
                .findFirst()
                .flatMap(carbon -> carbon.child("forwarded", FORWARD))
                .flatMap(forwarded -> forwarded.child("message", Stanza.CLIENT_NAMESPACE))
                .orElse(message);
    }

    /** XEP-0085: a notification with no body, only the state (and perhaps a thread). */
    private static boolean chatStateOnly(XmlElement message) {
        return message.child("body", Stanza.CLIENT_NAMESPACE).isEmpty()
                && message.anyChild(child -> child.namespace().equals(CHAT_STATES));
    }
}
