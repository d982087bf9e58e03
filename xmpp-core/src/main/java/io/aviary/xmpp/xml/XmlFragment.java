package io.aviary.xmpp.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back an element that {@link XmlElement#toXml()} wrote, for example one kept in a
 * database (XEP-0054 vCards, XEP-0049 private data). It goes through the same hardened stream
 * parser as client input, so stored data obeys the same rules (no DTD, no entities).
 */
public final class XmlFragment {

    private static final String OPEN = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

    private XmlFragment() {
    }

    /** The single element serialized in {@code xml}; IllegalArgumentException when it is anything else. */
    public static XmlElement parse(String xml) {
        List<XmlElement> elements = new ArrayList<>();
        XmppStreamParser parser = new XmppStreamParser(
                new ParserLimits(Integer.MAX_VALUE, ParserLimits.DEFAULTS.maxDepth(), ParserLimits.DEFAULTS.maxAttributes()),
                new StreamEventHandler() {
                    @Override
                    public void streamOpened(StreamHeader header) {
                    }

                    @Override
                    public void element(XmlElement element) {
                        elements.add(element);
                    }

                    @Override
                    public void streamClosed() {
                    }
                });
        try {
            parser.feed((OPEN + xml + "</stream:stream>").getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a well-formed element", e);
        }
        if (elements.size() != 1) {
            throw new IllegalArgumentException("expected one element, found " + elements.size());
        }
        return elements.get(0);
    }
}
