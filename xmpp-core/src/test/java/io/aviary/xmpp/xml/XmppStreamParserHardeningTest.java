package io.aviary.xmpp.xml;

import static io.aviary.xmpp.xml.XmppStreamParserTest.CLOSE;
import static io.aviary.xmpp.xml.XmppStreamParserTest.EXPECTED_HEADER;
import static io.aviary.xmpp.xml.XmppStreamParserTest.HEADER;
import static io.aviary.xmpp.xml.XmppStreamParserTest.conditionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile peer can send: many small elements, bad UTF-8, oversized headers in one write. */
class XmppStreamParserHardeningTest {

    static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Nested
    class ElementCount {

        static final ParserLimits LIMITS = new ParserLimits(64 * 1024, 8, 8, 10);

        @Test
        void aStanzaOfExactlyTheLimitIsAcceptedAndTheCountStartsAfreshPerStanza() {
            RecordingHandler h = RecordingHandler.withParser(LIMITS).feed(HEADER);
            String nine = "<a/>".repeat(9);
            h.feed("<message>" + nine + "</message><message>" + nine + "</message>");
            assertThat(h.elements()).hasSize(2);
        }

        @Test
        void anUnfinishedStanzaFailsAtTheFirstElementOverTheLimit() {
            RecordingHandler h = RecordingHandler.withParser(LIMITS).feed(HEADER + "<message>" + "<a/>".repeat(9));
            assertThat(h.parser.isFailed()).isFalse();
            assertThat(conditionOf(() -> h.feed("<a>"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void nestedElementsCountToo() {
            RecordingHandler h = RecordingHandler.withParser(LIMITS).feed(HEADER);
            assertThat(conditionOf(() -> h.feed("<iq><q><x><a/><b/><c/></x><y><a/><b/><c/><d/></y></q></iq>")))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void theDefaultsBoundAStanzaOfSmallElementsFarBelowTheByteLimit() {
            // 65,000 empty children fit in 256 KiB; before authentication they fail after 100.
            RecordingHandler h = RecordingHandler.withParser(ParserLimits.BEFORE_AUTHENTICATION).feed(HEADER);
            assertThat(conditionOf(() -> h.feed("<message>" + "<a/>".repeat(ParserLimits.BEFORE_AUTHENTICATION.maxStanzaElements()))))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }
    }

    @Nested
    class LimitsAfterAuthentication {

        static final ParserLimits BEFORE = new ParserLimits(200, 8, 8, 5);
        static final ParserLimits AFTER = new ParserLimits(4096, 8, 8, 100);

        RecordingHandler switchingOnSuccess() {
            RecordingHandler h = RecordingHandler.withParser(BEFORE);
            h.restartOn = e -> {
                if (e.name().equals("success")) {
                    h.parser.setLimits(AFTER);
                    return true;
                }
                return false;
            };
            return h;
        }

        @Test
        void theSmallerLimitsApplyUntilTheSessionSwitches() {
            RecordingHandler h = switchingOnSuccess().feed(HEADER);
            assertThat(conditionOf(() -> h.feed("<message>" + "<a/>".repeat(5) + "</message>")))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
            assertThat(conditionOf(() -> switchingOnSuccess().feed(HEADER + "<auth>" + "x".repeat(200) + "</auth>")))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void afterTheSwitchTheLargerLimitsApplyFromTheNextElementInTheSameChunk() {
            RecordingHandler h = switchingOnSuccess().feed(HEADER);
            String big = "<message>" + "<a/>".repeat(50) + "<body>" + "x".repeat(1000) + "</body></message>";
            h.feed("<success/>" + HEADER + big + CLOSE);
            assertThat(h.elements()).hasSize(2);
            assertThat(h.closedCount()).isEqualTo(1);
        }
    }

    @Nested
    class StreamHeader {

        @Test
        void anOversizedHeaderInOneWriteIsRejected() {
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(300, 4, 8));
            String header = HEADER.replace("to='example.com'", "to='" + "a".repeat(300) + "'");
            assertThat(conditionOf(() -> h.feed(header + "<presence/>"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
            assertThat(h.events).isEmpty();
        }

        @Test
        void aHeaderOfExactlyTheLimitIsAccepted() {
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(HEADER.length(), 4, 8));
            h.feed(HEADER + "<presence/>");
            assertThat(h.headers()).containsExactly(EXPECTED_HEADER);
        }

        /** XML 1.0 §4.3.3 and Appendix F: an entity in UTF-8 may begin with the byte order mark EF BB BF. */
        @Test
        void aByteOrderMarkBeforeTheHeaderIsAccepted() {
            byte[] bytes = concat("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, HEADER + "<presence/>" + CLOSE);
            RecordingHandler whole = RecordingHandler.withParser();
            whole.parser.feed(bytes);
            assertThat(whole.headers()).containsExactly(EXPECTED_HEADER);
            assertThat(whole.elements()).hasSize(1);

            RecordingHandler bytewise = RecordingHandler.withParser();
            for (int i = 0; i < bytes.length; i++) {
                bytewise.parser.feed(bytes, i, 1);
            }
            assertThat(bytewise.events).isEqualTo(whole.events);
        }

        @Test
        void aByteOrderMarkAnywhereElseIsNotWellFormed() {
            byte[] bytes = concat(HEADER, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "<presence/>");
            RecordingHandler h = RecordingHandler.withParser();
            assertThat(conditionOf(() -> h.parser.feed(bytes))).isEqualTo(StreamErrorCondition.BAD_FORMAT);
        }

        @Test
        void aDocumentMayStartWithAByteOrderMark() {
            byte[] document = concat("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "<?xml version='1.0'?><body xmlns='urn:x'/>");
            assertThat(XmlDocumentParser.parse(document, ParserLimits.DEFAULTS).name()).isEqualTo("body");
        }
    }

    @Nested
    class Encoding {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"C0 80", "C0 AF", "E0 80 AF", "F4 90 80 80", "ED A0 80", "F8 88 80 80 80", "C3 28"})
        void invalidUtf8InAStanzaIsUnsupportedEncoding(String sequence) {
            byte[] bytes = concat(HEADER + "<message to='a@b'><body>", Utf8ValidatorTest.hex(sequence), "</body></message>");
            RecordingHandler whole = RecordingHandler.withParser();
            assertThat(conditionOf(() -> whole.parser.feed(bytes))).isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
            assertThat(whole.elements()).isEmpty();

            RecordingHandler bytewise = RecordingHandler.withParser();
            assertThat(conditionOf(() -> {
                for (int i = 0; i < bytes.length; i++) {
                    bytewise.parser.feed(bytes, i, 1);
                }
            })).isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
            assertThat(bytewise.elements()).isEmpty();
        }

        @Test
        void invalidUtf8InAnAttributeIsUnsupportedEncoding() {
            byte[] bytes = concat(HEADER + "<message to='a", Utf8ValidatorTest.hex("C0 AF"), "@b'/>");
            assertThat(conditionOf(() -> RecordingHandler.withParser().parser.feed(bytes)))
                    .isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
        }

        @Test
        void aControlCharacterIsNotWellFormed() {
            assertThat(conditionOf(() -> RecordingHandler.withParser().feed(HEADER + "<message><body>a\u0001b</body></message>")))
                    .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        }

        @Test
        void emojiSplitAcrossWritesStillArrive() {
            byte[] bytes = (HEADER + "<message id='😀'><body>😀😀</body></message>").getBytes(StandardCharsets.UTF_8);
            RecordingHandler h = RecordingHandler.withParser();
            for (int i = 0; i < bytes.length; i++) {
                h.parser.feed(bytes, i, 1);
            }
            assertThat(h.elements().get(0).attributeOrNull("id")).isEqualTo("😀");
            assertThat(h.elements().get(0).childText("body", "jabber:client")).contains("😀😀");
        }
    }

    /**
     * What a parsed element keeps alive. An empty child of an unfinished stanza used to cost ~120 bytes (its
     * record, an attribute map and its unmodifiable wrapper, a list); it should be its record alone.
     */
    @Nested
    class RetainedMemory {

        @Test
        void anEmptyChildRetainsOneObject() {
            int children = 1000;
            RecordingHandler h = RecordingHandler.withParser().feed(HEADER + "<message>" + "<a/>".repeat(children) + "</message>");
            XmlElement message = h.elements().get(0);
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            reachable(message, seen);
            int perChild = seen.size() / children; // the message and the shared strings and collections add a few
            assertThat(perChild).as("objects retained per empty child").isEqualTo(1);
        }

        @Test
        void attributesAndTextStayAsParsed() {
            RecordingHandler h = RecordingHandler.withParser().feed(HEADER
                    + "<message type='chat' to='a@b'><body>hi</body><x xmlns='urn:x' a='1'/></message>");
            XmlElement message = h.elements().get(0);
            assertThat(message.attributes().keySet()).containsExactly("type", "to");
            assertThat(message.childText("body", "jabber:client")).contains("hi");
            assertThat(message.child("x", "urn:x").orElseThrow().attributes()).containsEntry("a", "1");
        }

        /** Objects reachable through the model's API (the element, its maps, lists and strings). */
        private static void reachable(XmlNode node, Set<Object> seen) {
            if (!seen.add(node)) {
                return;
            }
            if (node instanceof XmlText text) {
                seen.add(text.text());
                return;
            }
            XmlElement element = (XmlElement) node;
            seen.add(element.name());
            seen.add(element.namespace());
            seen.add(element.attributes());
            element.attributes().forEach((k, v) -> {
                seen.add(k);
                seen.add(v);
            });
            seen.add(element.children());
            for (XmlNode child : element.children()) {
                reachable(child, seen);
            }
        }
    }
}
