package io.aviary.xmpp.xml;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses one complete XML document holding a single element: a WebSocket message (RFC 7395 §3.3.3,
 * "every XMPP stanza or other XML element ... MUST be parsed as a standalone XML document") or a
 * BOSH {@code <body/>} (XEP-0124 §4).
 *
 * <p>The document is parsed by an {@link XmppStreamParser} as the only first-level element of a
 * synthetic root, so it gets exactly the same restrictions (no DTD, comments, processing
 * instructions or undeclared entities) and {@link ParserLimits} as an element on a TCP stream, and
 * fails with the same {@link XmppStreamException}s. A leading XML declaration is accepted (and its
 * encoding checked); more than one element, text beside the element, or markup that tries to close
 * the synthetic root are {@code not-well-formed} or {@code bad-format}.
 */
public final class XmlDocumentParser {

    private static final byte[] OPEN = "<document>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "</document>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] XML_DECLARATION = "<?xml".getBytes(StandardCharsets.US_ASCII);

    private XmlDocumentParser() {
    }

    /** The document's element; throws {@link XmppStreamException} for anything else. */
    public static XmlElement parse(byte[] document, ParserLimits limits) {
        Collector collector = new Collector();
        XmppStreamParser parser = new XmppStreamParser(limits, collector);
        int declarationEnd = xmlDeclarationEnd(document);
        parser.feed(document, 0, declarationEnd);
        parser.feed(OPEN, 0, OPEN.length);
        parser.feed(document, declarationEnd, document.length - declarationEnd);
        if (collector.closed) {
            throw notWellFormed("the document closes an element it did not open");
        }
        parser.feed(CLOSE, 0, CLOSE.length);
        if (!collector.closed) {
            throw notWellFormed("the document is incomplete");
        }
        if (collector.element == null) {
            throw notWellFormed("the document holds no element");
        }
        return collector.element;
    }

    /**
     * Index after a leading byte order mark and {@code <?xml ...?>} (XML 1.0 §2.8, §4.3.3), or 0 when the
     * document has neither: what must precede the synthetic root.
     */
    private static int xmlDeclarationEnd(byte[] document) {
        int start = startsWith(document, 0, BOM) ? BOM.length : 0;
        if (!startsWith(document, start, XML_DECLARATION)) {
            return start;
        }
        for (int i = start + XML_DECLARATION.length; i + 1 < document.length; i++) {
            if (document[i] == '?' && document[i + 1] == '>') {
                return i + 2;
            }
        }
        throw notWellFormed("unterminated XML declaration");
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return bytes.length - offset >= prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static XmppStreamException notWellFormed(String text) {
        return new XmppStreamException(StreamErrorCondition.NOT_WELL_FORMED, text);
    }

    private static final class Collector implements StreamEventHandler {
        XmlElement element;
        boolean closed;

        @Override
        public void streamOpened(StreamHeader header) {
        }

        @Override
        public void element(XmlElement parsed) {
            if (element != null) {
                throw notWellFormed("a document holds exactly one element");
            }
            element = parsed;
        }

        @Override
        public void streamClosed() {
            closed = true;
        }
    }
}
