package io.aviary.xmpp.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;

/**
 * Incremental parser for one XMPP stream (RFC 6120 §4), built on Aalto's non-blocking parser.
 *
 * <p>Bytes are pushed in with {@link #feed(byte[], int, int)} exactly as they come off the network,
 * split anywhere (inside tags, attribute values, entity references, multi-byte UTF-8 characters).
 * The parser reports to its {@link StreamEventHandler}, synchronously and on the feeding thread:
 * <ul>
 *   <li>{@link StreamEventHandler#streamOpened} for the start tag of the stream root (the first
 *       element); the header values are reported, not validated;</li>
 *   <li>{@link StreamEventHandler#element} for every complete first-level element (stanza or
 *       nonza), as an immutable {@link XmlElement} with namespaces resolved and adjacent character
 *       data (text, CDATA sections, character references) coalesced into one {@link XmlText};</li>
 *   <li>{@link StreamEventHandler#streamClosed} for the end tag of the stream root.</li>
 * </ul>
 * Whitespace between first-level elements (keepalives) is ignored.
 *
 * <h2>Errors</h2>
 * Problems end the stream by throwing {@link XmppStreamException} out of {@code feed}:
 * <ul>
 *   <li>{@code restricted-xml} (RFC 6120 §11.1): a DOCTYPE / DTD (detected on {@code <!} before the
 *       root, so internal subsets are never parsed and entity expansion attacks are rejected before
 *       any expansion), comments, processing instructions other than the XML declaration, and
 *       entity references other than the five predefined ones and character references (an
 *       undeclared entity such as {@code &foo;}, in text or in an attribute value);</li>
 *   <li>{@code unsupported-encoding}: bytes that are not strict UTF-8 (overlong forms, surrogates,
 *       beyond U+10FFFF, broken sequences), checked by {@link Utf8Validator} before any XML parsing;</li>
 *   <li>{@code not-well-formed}: a code point that is not an XML 1.0 {@code Char} (also checked by
 *       {@link Utf8Validator}) and anything Aalto rejects (mismatched tags, duplicate attributes,
 *       ...), with Aalto's exception as the cause. Aalto reports some
 *       errors only once a few bytes after the offending construct have arrived (a mismatched end
 *       tag at the very end of a chunk, for instance);</li>
 *   <li>{@code bad-namespace-prefix}: an element or attribute prefix that is not bound (as in the
 *       example of RFC 6120 §4.9.3.2);</li>
 *   <li>{@code unsupported-encoding}: an XML declaration naming an encoding other than UTF-8;</li>
 *   <li>{@code bad-format}: non-whitespace character data directly inside the stream root;</li>
 *   <li>{@code policy-violation}: the {@link ParserLimits} are exceeded, see below.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>{@code maxStanzaBytes}: bytes of input from the start of a first-level element to the end of
 *       its end tag. It is enforced while the element streams in: as soon as more than the limit has
 *       been fed since the end of the previous first-level token (element, whitespace or stream
 *       header), the stream fails, so a peer cannot make the parser buffer unbounded text,
 *       attribute values, comments or unterminated tags. The same limit caps the bytes before and
 *       including the stream header (XML declaration and root start tag), also when it arrives in
 *       one read.</li>
 *   <li>{@code maxStanzaElements}: elements in one first-level element, itself included, checked as
 *       each start tag arrives; bytes alone would let {@code <a/>} (4 bytes) cost an object each.</li>
 *   <li>{@code maxDepth}: nesting depth below the root; a first-level element has depth 1, its
 *       children depth 2, and so on.</li>
 *   <li>{@code maxAttributes}: attributes on one element, <em>namespace declarations included</em>
 *       (each costs as much memory as an attribute); it applies to the root too.</li>
 * </ul>
 *
 * <p>{@link #setLimits} changes the limits mid-stream: a session parses with small limits until its
 * peer has authenticated. Each document (the first and each one after a restart) may begin with a
 * UTF-8 byte order mark (XML 1.0 §4.3.3, Appendix F), which is skipped.
 *
 * <h2>Stream restarts</h2>
 * After STARTTLS or SASL success (RFC 6120 §5.4.3.3, §6.4.6) the handler calls
 * {@link #requestRestart()} from inside {@code element(...)}. When that callback returns the parser
 * drops its Aalto reader and starts a fresh one, expecting a new XML declaration / stream header;
 * the bytes of the current chunk that follow the end tag of the element that requested the restart
 * are fed to the new reader. (The split point is Aalto's ending byte offset of that end tag, which
 * is {@code bytes fed before this region + array index}, so the array index follows directly.) A
 * restart requested outside a callback takes effect at the next {@code feed}; anything half-read by
 * then is discarded.
 *
 * <h2>Rest</h2>
 * An idle connection keeps its Aalto reader, with its character, name and symbol buffers (about 3 KB), although
 * between two stanzas all a stream needs to go on is which root element is open with which namespace declarations.
 * {@link #rest()}, called when a connection has been quiet for a while, drops the reader at such a point and keeps
 * the root's start tag (name and namespace declarations only). The next {@code feed} gives a fresh reader that tag
 * first, without reporting it, and then the new bytes: for the handler and the limits nothing happened.
 *
 * <h2>Life cycle</h2>
 * Once {@code feed} has thrown (an {@link XmppStreamException} or any exception thrown by the
 * handler), the parser is dead: every later {@code feed} throws {@link IllegalStateException} whose
 * cause is the original exception. After {@link #endOfInput()} {@code feed} throws
 * {@link IllegalStateException} as well. Bytes after the root end tag are still parsed (whitespace
 * is ignored, anything else is {@code not-well-formed}).
 *
 * <p>Not thread-safe: one instance belongs to one connection and is fed by one thread at a time.
 * The handler must not call {@code feed} re-entrantly.
 */
public final class XmppStreamParser {

    private static final AsyncXMLInputFactory FACTORY = createFactory();

    private ParserLimits limits;
    private final StreamEventHandler handler;

    /** Null while resting: see {@link #rest()}. */
    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    /** The root's start tag with its namespace declarations (no other attributes), for a reader after a rest. */
    private byte[] rootStartTag;
    /** True while a reader after a rest is given {@link #rootStartTag}: the root it opens is not reported. */
    private boolean resuming;
    /** True when everything fed since the last first-level unit, if anything, is whitespace at level 1. */
    private boolean betweenStanzas;
    private final PrologScanner prologScanner = new PrologScanner();
    private final Utf8Validator utf8 = new Utf8Validator();
    /** True until the current reader got its first byte: where a byte order mark may stand. */
    private boolean atDocumentStart;

    /** Bytes fed to the current reader so far. */
    private long readerFed;
    /** Bytes fed to the current reader before the region last fed: Aalto's {@code _pastBytesOrChars}. */
    private long fedBeforeChunk;
    /** Array index at which the region last fed to the reader starts. */
    private int chunkOffset;
    /**
     * Reader-relative offset where the current first-level unit began: the end of the previous
     * first-level element / whitespace / root start tag, or 0 before the root.
     */
    private long mark;

    /** Number of open elements, the root included. */
    private int level;
    /** Elements of the current first-level element so far, itself included. */
    private int stanzaElements;
    private boolean rootOpened;
    /** Frames of the first-level element under construction, outermost first. */
    private final ArrayList<Frame> stack = new ArrayList<>();
    private final StringBuilder pendingText = new StringBuilder();

    /** Bytes of a UTF-8 sequence split by the end of the last chunk, not yet fed to the reader. */
    private final byte[] carry = new byte[4];
    private int carryLength;
    private int carryNeeded;

    private boolean restartRequested;
    private boolean inFeed;
    private boolean ended;
    private RuntimeException failure;

    public XmppStreamParser(ParserLimits limits, StreamEventHandler handler) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.handler = Objects.requireNonNull(handler, "handler");
        newReader();
    }

    private static AsyncXMLInputFactory createFactory() {
        InputFactoryImpl factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        // Report undeclared entities as ENTITY_REFERENCE events (rejected as restricted-xml) instead of
        // trying to expand them.
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.TRUE);
        factory.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
        // Text is coalesced here, per element; asking Aalto to coalesce would make it buffer.
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        return factory;
    }

    /** Convenience for {@code feed(bytes, 0, bytes.length)}. */
    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /**
     * Parses the next {@code length} bytes of the stream, reporting whatever they complete to the
     * handler before returning. The array is only read during this call and may be reused afterwards.
     *
     * @throws XmppStreamException   the stream must end with the carried stream error
     * @throws IllegalStateException the parser failed earlier, {@link #endOfInput()} was called, or
     *                               this is a re-entrant call from the handler
     */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (failure != null) {
            throw new IllegalStateException("the stream parser failed earlier: " + failure.getMessage(), failure);
        }
        if (ended) {
            throw new IllegalStateException("end of input was already signalled");
        }
        if (inFeed) {
            throw new IllegalStateException("feed() must not be called from a handler callback");
        }
        inFeed = true;
        try {
            if (restartRequested) {
                restart();
            } else if (reader == null) {
                resume();
            }
            utf8.check(bytes, offset, offset + length);
            process(bytes, offset, offset + length);
            if (readerFed + carryLength - mark > limits.maxStanzaBytes()) {
                throw new XmppStreamException(StreamErrorCondition.POLICY_VIOLATION, rootOpened
                        ? "stanza exceeds " + limits.maxStanzaBytes() + " bytes"
                        : "stream header exceeds " + limits.maxStanzaBytes() + " bytes");
            }
        } catch (RuntimeException e) {
            fail(e);
            throw e;
        } finally {
            inFeed = false;
        }
    }

    /**
     * Feeds {@code bytes[start, end)} to the reader, never splitting a UTF-8 sequence between two
     * feeds: Aalto 1.3.3's async scanner loses or corrupts a 4-byte character (an emoji, say) in an
     * attribute value when it is split across feeds. An incomplete sequence at the end of a chunk
     * (at most 3 bytes) is held back in {@link #carry} and fed together with its continuation bytes.
     * Starts a new reader whenever a callback requested a restart.
     */
    private void process(byte[] bytes, int start, int end) {
        while (start < end) {
            if (carryLength > 0) {
                int take = Math.min(carryNeeded - carryLength, end - start);
                System.arraycopy(bytes, start, carry, carryLength, take);
                carryLength += take;
                start += take;
                if (carryLength < carryNeeded) {
                    return;
                }
                int completed = carryLength;
                carryLength = 0;
                int restartAt = feedReader(carry, 0, completed);
                if (restartAt >= 0) {
                    // Only reachable with invalid UTF-8 around an end tag; kept correct regardless.
                    byte[] rest = Arrays.copyOfRange(carry, restartAt, completed);
                    restart();
                    process(rest, 0, rest.length);
                }
                continue;
            }
            int tail = incompleteUtf8Tail(bytes, start, end);
            int feedEnd = end - tail;
            if (feedEnd > start) {
                int restartAt = feedReader(bytes, start, feedEnd);
                if (restartAt >= 0) {
                    restart();
                    start = restartAt;
                    continue;
                }
            }
            System.arraycopy(bytes, feedEnd, carry, 0, tail);
            carryLength = tail;
            return;
        }
    }

    /**
     * Length of an incomplete UTF-8 sequence ending the region (0 if none), setting
     * {@link #carryNeeded} to the full length of that sequence. Invalid bytes are left to Aalto.
     */
    private int incompleteUtf8Tail(byte[] bytes, int start, int end) {
        for (int i = end - 1, seen = 1; i >= start && seen <= 3; i--, seen++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                return 0;
            }
            if (b >= 0xC0) {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                if (seen < needed) {
                    carryNeeded = needed;
                    return seen;
                }
                return 0;
            }
        }
        return 0;
    }

    /** Feeds one region to the reader and drains it; returns {@link #drain()}'s result. */
    private int feedReader(byte[] bytes, int start, int end) {
        if (atDocumentStart) {
            atDocumentStart = false;
            // XML 1.0 §4.3.3 / Appendix F: a UTF-8 entity may begin with the byte order mark EF BB BF, which is
            // not part of the document (Aalto's async scanner would read it as text). Never split: see process().
            if (end - start >= 3 && bytes[start] == (byte) 0xEF && bytes[start + 1] == (byte) 0xBB
                    && bytes[start + 2] == (byte) 0xBF) {
                start += 3;
                if (start == end) {
                    return -1;
                }
            }
        }
        if (!rootOpened) {
            prologScanner.scan(bytes, start, end);
        }
        chunkOffset = start;
        fedBeforeChunk = readerFed;
        try {
            reader.getInputFeeder().feedInput(bytes, start, end - start);
        } catch (XMLStreamException e) {
            throw translate(e);
        }
        readerFed += end - start;
        int restartAt = drain();
        if (restartAt < 0) {
            noteBetweenStanzas(bytes, start, end);
        }
        return restartAt;
    }

    /**
     * Whether the stream now stands between two first-level elements: nothing fed since the end of the last one, or
     * only whitespace, which Aalto holds back until the next markup and which a rest may drop (RFC 6120 §11.7 lets
     * it stand between stanzas, and it means nothing there).
     */
    private void noteBetweenStanzas(byte[] bytes, int start, int end) {
        long pending = readerFed - mark;
        if (!rootOpened || level != 1) {
            betweenStanzas = false;
        } else if (pending == 0) {
            betweenStanzas = true;
        } else if (pending <= end - start) {
            betweenStanzas = isBlank(bytes, (int) (end - pending), end);
        } else {
            betweenStanzas = betweenStanzas && isBlank(bytes, start, end);
        }
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Drops the XML reader, with its buffers, if the stream stands between two first-level elements with nothing
     * half-read; otherwise, or if it rests already, does nothing. The next {@link #feed} takes a new one (see "Rest"
     * above). Returns whether this call dropped the reader.
     */
    public boolean rest() {
        if (reader == null || inFeed || failure != null || ended || !betweenStanzas || carryLength > 0
                || restartRequested || !stack.isEmpty() || !pendingText.isEmpty()) {
            return false;
        }
        closeReader();
        reader = null;
        return true;
    }

    /** A new reader after a {@link #rest()}: given the root's start tag, it stands where the old one stood. */
    private void resume() {
        newReader();
        atDocumentStart = false;
        resuming = true;
        try {
            feedReader(rootStartTag, 0, rootStartTag.length);
        } finally {
            resuming = false;
        }
        if (!rootOpened || level != 1) {
            throw new IllegalStateException("the stream root did not reopen after a rest");
        }
    }

    /**
     * Asks for a stream restart: from inside {@link StreamEventHandler#element}, the bytes following
     * that element go to a fresh XML parser that expects a new stream header; otherwise the restart
     * happens at the next {@link #feed}. The handler will see {@code streamOpened} again.
     */
    public void requestRestart() {
        restartRequested = true;
    }

    /**
     * Applies other limits from the next byte on; from inside {@link StreamEventHandler#element}, to whatever
     * follows that element. A session switches from small limits to larger ones once its peer has authenticated.
     */
    public void setLimits(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The peer closed its side of the connection. Anything partially read is discarded without a
     * callback; later calls to {@code feed} throw {@link IllegalStateException}. Idempotent.
     */
    public void endOfInput() {
        if (ended) {
            return;
        }
        ended = true;
        closeReader();
        stack.clear();
        pendingText.setLength(0);
    }

    /** True once {@code feed} has thrown; the parser is unusable from then on. */
    public boolean isFailed() {
        return failure != null;
    }

    private void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        closeReader();
        stack.clear();
        pendingText.setLength(0);
    }

    private void newReader() {
        reader = FACTORY.createAsyncForByteArray();
        readerFed = 0;
        fedBeforeChunk = 0;
        mark = 0;
        level = 0;
        rootOpened = false;
        stack.clear();
        pendingText.setLength(0);
        prologScanner.reset();
        carryLength = 0;
        atDocumentStart = true;
        betweenStanzas = false;
    }

    private void restart() {
        restartRequested = false;
        closeReader();
        newReader();
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException | RuntimeException ignored) {
                // nothing to release that matters
            }
        }
    }

    /**
     * Pulls every event the fed bytes complete. Returns -1 once the reader needs more input, or the
     * array index of the first byte after the token whose callback requested a restart.
     */
    private int drain() {
        while (true) {
            int token = nextToken();
            switch (token) {
                case AsyncXMLStreamReader.EVENT_INCOMPLETE, XMLStreamConstants.END_DOCUMENT -> {
                    return -1;
                }
                case XMLStreamConstants.START_DOCUMENT -> checkEncoding();
                case XMLStreamConstants.START_ELEMENT -> onStartElement();
                case XMLStreamConstants.END_ELEMENT -> onEndElement();
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> onText();
                case XMLStreamConstants.COMMENT -> throw restricted("comments are not allowed");
                case XMLStreamConstants.PROCESSING_INSTRUCTION ->
                        throw restricted("processing instructions are not allowed");
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_DECLARATION,
                     XMLStreamConstants.NOTATION_DECLARATION -> throw restricted("DTDs are not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw restricted("entity reference '&" + reader.getLocalName() + ";' is not allowed");
                default -> throw new XmppStreamException(StreamErrorCondition.NOT_WELL_FORMED,
                        "unexpected XML event " + token);
            }
            if (restartRequested) {
                long index = tokenEndOffset() - fedBeforeChunk;
                long chunkEnd = chunkOffset + (readerFed - fedBeforeChunk);
                if (index < chunkOffset || index > chunkEnd) {
                    throw new IllegalStateException("restart offset " + index + " outside the fed chunk ["
                            + chunkOffset + ", " + chunkEnd + "]");
                }
                return (int) index;
            }
        }
    }

    private int nextToken() {
        try {
            return reader.next();
        } catch (XMLStreamException e) {
            throw translate(e);
        } catch (RuntimeException e) {
            throw new XmppStreamException(StreamErrorCondition.NOT_WELL_FORMED, "XML parser failure", e);
        }
    }

    /**
     * Aalto's ending byte offset of the current token is {@code pastBytes + inputPtr}, where
     * {@code inputPtr} is an index into the array passed to {@code feedInput}, not relative to its
     * offset: subtracting the bytes fed before this chunk gives the array index after the token.
     */
    private long tokenEndOffset() {
        try {
            return reader.getLocationInfo().getEndingByteOffset();
        } catch (XMLStreamException e) {
            throw translate(e);
        }
    }

    /** Reader-relative offset of the byte after the current token. */
    private long tokenEnd() {
        return tokenEndOffset() - chunkOffset;
    }

    private void checkEncoding() {
        String encoding = reader.getCharacterEncodingScheme();
        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            throw new XmppStreamException(StreamErrorCondition.UNSUPPORTED_ENCODING,
                    "only UTF-8 is supported, not " + encoding);
        }
    }

    private void onStartElement() {
        level++;
        int attributeCount = reader.getAttributeCount();
        if (attributeCount + reader.getNamespaceCount() > limits.maxAttributes()) {
            throw new XmppStreamException(StreamErrorCondition.POLICY_VIOLATION,
                    "more than " + limits.maxAttributes() + " attributes on one element");
        }
        if (level == 1) {
            openStream(attributeCount);
            return;
        }
        if (level - 1 > limits.maxDepth()) {
            throw new XmppStreamException(StreamErrorCondition.POLICY_VIOLATION,
                    "elements nested deeper than " + limits.maxDepth());
        }
        stanzaElements = level == 2 ? 1 : stanzaElements + 1;
        if (stanzaElements > limits.maxStanzaElements()) {
            throw new XmppStreamException(StreamErrorCondition.POLICY_VIOLATION,
                    "more than " + limits.maxStanzaElements() + " elements in one stanza");
        }
        if (level > 2) {
            flushText();
        }
        Map<String, String> attributes = Map.of();
        if (attributeCount > 0) {
            attributes = new LinkedHashMap<>(attributeCount * 2);
            for (int i = 0; i < attributeCount; i++) {
                attributes.put(attributeKey(reader.getAttributeNamespace(i), reader.getAttributeLocalName(i)),
                        reader.getAttributeValue(i));
            }
        }
        stack.add(new Frame(reader.getLocalName(), nonNull(reader.getNamespaceURI()), attributes));
    }

    private void openStream(int attributeCount) {
        if (resuming) {
            rootOpened = true;
            mark = tokenEnd();
            return;
        }
        String to = null;
        String from = null;
        String id = null;
        String version = null;
        String lang = null;
        for (int i = 0; i < attributeCount; i++) {
            String ns = reader.getAttributeNamespace(i);
            String local = reader.getAttributeLocalName(i);
            String value = reader.getAttributeValue(i);
            if (ns == null || ns.isEmpty()) {
                switch (local) {
                    case "to" -> to = value;
                    case "from" -> from = value;
                    case "id" -> id = value;
                    case "version" -> version = value;
                    default -> { }
                }
            } else if (XMLConstants.XML_NS_URI.equals(ns) && "lang".equals(local)) {
                lang = value;
            }
        }
        String contentNamespace = "";
        for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
            String prefix = reader.getNamespacePrefix(i);
            if (prefix == null || prefix.isEmpty()) {
                contentNamespace = nonNull(reader.getNamespaceURI(i));
            }
        }
        StreamHeader header = new StreamHeader(reader.getLocalName(), nonNull(reader.getNamespaceURI()),
                contentNamespace, to, from, id, version, lang);
        rootStartTag = rootStartTag();
        rootOpened = true;
        long end = tokenEnd();
        // Also checked here, not only between feeds: a whole oversized header can arrive in one read.
        if (end - mark > limits.maxStanzaBytes()) {
            throw new XmppStreamException(StreamErrorCondition.POLICY_VIOLATION,
                    "stream header exceeds " + limits.maxStanzaBytes() + " bytes");
        }
        mark = end;
        handler.streamOpened(header);
    }

    /** The current start tag as written again with its namespace declarations only. */
    private byte[] rootStartTag() {
        StringBuilder tag = new StringBuilder("<");
        String prefix = reader.getPrefix();
        if (prefix != null && !prefix.isEmpty()) {
            tag.append(prefix).append(':');
        }
        tag.append(reader.getLocalName());
        for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
            String declared = reader.getNamespacePrefix(i);
            tag.append(" xmlns");
            if (declared != null && !declared.isEmpty()) {
                tag.append(':').append(declared);
            }
            tag.append("='").append(XmlWriter.escape(nonNull(reader.getNamespaceURI(i)))).append('\'');
        }
        return tag.append('>').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void onEndElement() {
        if (level == 1) {
            level = 0;
            mark = tokenEnd();
            handler.streamClosed();
            return;
        }
        flushText();
        Frame frame = stack.remove(stack.size() - 1);
        XmlElement element = new XmlElement(frame.name, frame.namespace, frame.attributes, frame.children());
        level--;
        if (level > 1) {
            stack.get(stack.size() - 1).add(element);
            return;
        }
        long end = tokenEnd();
        if (end - mark > limits.maxStanzaBytes()) {
            throw new XmppStreamException(StreamErrorCondition.POLICY_VIOLATION,
                    "stanza exceeds " + limits.maxStanzaBytes() + " bytes");
        }
        mark = end;
        handler.element(element);
    }

    private void onText() {
        char[] chars;
        int start;
        int length;
        try {
            // Aalto decodes (and validates) text lazily, on first access.
            chars = reader.getTextCharacters();
            start = reader.getTextStart();
            length = reader.getTextLength();
        } catch (UncheckedStreamException e) {
            throw translate(e);
        }
        if (level >= 2) {
            pendingText.append(chars, start, length);
            return;
        }
        if (level == 1 && !isWhitespace(chars, start, length)) {
            throw new XmppStreamException(StreamErrorCondition.BAD_FORMAT,
                    "character data is not allowed between stanzas");
        }
        // Whitespace between stanzas (keepalives) or around the root: ignored, and not counted
        // towards the next stanza.
        if (rootOpened) {
            mark = tokenEnd();
        }
    }

    private void flushText() {
        if (!pendingText.isEmpty()) {
            stack.get(stack.size() - 1).add(new XmlText(pendingText.toString()));
            pendingText.setLength(0);
        }
    }

    private static boolean isWhitespace(char[] chars, int start, int length) {
        for (int i = start, end = start + length; i < end; i++) {
            char c = chars[i];
            if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Attribute key per {@link XmlElement}'s convention. */
    static String attributeKey(String namespace, String localName) {
        if (namespace == null || namespace.isEmpty()) {
            return localName;
        }
        if (XMLConstants.XML_NS_URI.equals(namespace)) {
            return "xml:" + localName;
        }
        return "{" + namespace + "}" + localName;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static XmppStreamException restricted(String text) {
        return new XmppStreamException(StreamErrorCondition.RESTRICTED_XML, text);
    }

    private static XmppStreamException translate(UncheckedStreamException e) {
        return e.getCause() instanceof XMLStreamException cause
                ? translate(cause)
                : new XmppStreamException(StreamErrorCondition.NOT_WELL_FORMED, "malformed XML", e);
    }

    /** Maps an Aalto parse error to the stream error it calls for. */
    private static XmppStreamException translate(XMLStreamException e) {
        String message = e.getMessage() == null ? "malformed XML" : e.getMessage();
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        StreamErrorCondition condition;
        if (message.contains("Unbound namespace prefix")) {
            condition = StreamErrorCondition.BAD_NAMESPACE_PREFIX;
        } else if (message.contains("Unexpanded ENTITY_REFERENCE") || message.contains("Undeclared general entity")) {
            condition = StreamErrorCondition.RESTRICTED_XML;
        } else if (message.contains("Unsupported encoding")) {
            condition = StreamErrorCondition.UNSUPPORTED_ENCODING;
        } else {
            condition = StreamErrorCondition.NOT_WELL_FORMED;
        }
        return new XmppStreamException(condition, firstLine, e);
    }

    /**
     * An element of the current stanza whose end tag has not arrived yet. At most {@code maxDepth} of them
     * exist; the list of children is made only when the first child arrives.
     */
    private static final class Frame {
        final String name;
        final String namespace;
        final Map<String, String> attributes;
        private List<XmlNode> children;

        Frame(String name, String namespace, Map<String, String> attributes) {
            this.name = name;
            this.namespace = namespace;
            this.attributes = attributes;
        }

        void add(XmlNode child) {
            if (children == null) {
                children = new ArrayList<>(4);
            }
            children.add(child);
        }

        List<XmlNode> children() {
            return children == null ? List.of() : children;
        }
    }

    /**
     * Watches the bytes before the root start tag for {@code <!}: a DOCTYPE (with or without an
     * internal subset) or a comment, both restricted (RFC 6120 §11.1). Rejecting them here means
     * a DTD is never handed to the XML parser, so entity declarations and expansion bombs cannot
     * cost anything. Stops at the first {@code <} that opens an element (the root).
     */
    static final class PrologScanner {
        private boolean afterLt;
        private boolean done;

        void reset() {
            afterLt = false;
            done = false;
        }

        void scan(byte[] bytes, int start, int end) {
            for (int i = start; i < end && !done; i++) {
                byte b = bytes[i];
                if (afterLt) {
                    afterLt = false;
                    if (b == '!') {
                        throw restricted("DTDs and comments are not allowed");
                    }
                    if (b != '?') {
                        done = true;
                    }
                } else if (b == '<') {
                    afterLt = true;
                }
            }
        }
    }
}
