package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.stanza.XmppStreamException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random element trees serialised with {@link XmlWriter} and fed in random chunks must parse back
 * to equal {@link XmlElement} values.
 */
class XmppStreamParserRoundTripTest {

    static final String HEADER = XmppStreamParserTest.HEADER;
    static final String CLOSE = XmppStreamParserTest.CLOSE;

    static final String[] NAMES = {"message", "body", "x", "item", "b-c", "d.e", "f_g", "名前", "ñandú", "_u1"};
    static final String[] NAMESPACES = {"jabber:client", "jabber:client", "urn:xmpp:test", "",
            "http://example.com/ns?a=1&b=<2>'\"", "urn:ü:😀"};
    static final String[] ATTRIBUTE_KEYS = {"id", "type", "to", "xml:lang", "{urn:a}foo", "{urn:b}foo",
            "{http://ex.com/?x=&y='1'}bar", "名", "a-b.c"};
    /**
     * Characters for attribute values. Tab, CR and LF are left out: {@link XmlWriter} does not
     * escape them, and XML attribute-value normalisation turns them into spaces on re-parse.
     */
    static final String ATTRIBUTE_CHARS = "abcXYZ 019&<>\"';]]é€中文😀𝄞";
    /** Characters for text; CR is left out because XML normalises it to LF. */
    static final String TEXT_CHARS = ATTRIBUTE_CHARS + "\n\t";

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 25);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTreesSurviveRandomChunking(long seed) {
        Random random = new Random(seed);
        List<XmlElement> stanzas = new ArrayList<>();
        StringBuilder xml = new StringBuilder(HEADER);
        for (int i = 0; i < 30; i++) {
            XmlElement stanza = randomElement(random, 0);
            stanzas.add(stanza);
            xml.append(randomWhitespace(random));
            XmlWriter.write(stanza, "jabber:client", xml);
        }
        xml.append(randomWhitespace(random)).append(CLOSE);
        byte[] bytes = xml.toString().getBytes(StandardCharsets.UTF_8);

        RecordingHandler h = RecordingHandler.withParser();
        h.feedRandomly(bytes, new Random(seed * 31 + 7));

        assertThat(h.headers()).containsExactly(XmppStreamParserTest.EXPECTED_HEADER);
        assertThat(h.elements()).isEqualTo(stanzas);
        assertThat(h.closedCount()).isEqualTo(1);
        // Attribute order is document order, so re-serialising gives the same text.
        for (int i = 0; i < stanzas.size(); i++) {
            assertThat(h.elements().get(i).toXml()).isEqualTo(stanzas.get(i).toXml());
        }
    }

    @Test
    void randomTreesSurviveOneByteChunks() {
        Random random = new Random(4242);
        List<XmlElement> stanzas = new ArrayList<>();
        StringBuilder xml = new StringBuilder(HEADER);
        for (int i = 0; i < 20; i++) {
            XmlElement stanza = randomElement(random, 0);
            stanzas.add(stanza);
            XmlWriter.write(stanza, "jabber:client", xml);
        }
        RecordingHandler h = RecordingHandler.withParser().feedBytewise(xml.toString());
        assertThat(h.elements()).isEqualTo(stanzas);
    }

    @Test
    void everySplitPointOfMultiByteText() {
        XmlElement stanza = XmlElement.builder("message", "jabber:client")
                .attribute("id", "😀中é")
                .child(XmlElement.builder("body", "jabber:client").text("a😀b中c€d𝄞é&<>").build())
                .build();
        byte[] bytes = (HEADER + XmlWriter.write(stanza, "jabber:client") + CLOSE).getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            for (int split2 = split; split2 <= Math.min(bytes.length, split + 4); split2++) {
                RecordingHandler h = RecordingHandler.withParser();
                h.parser.feed(bytes, 0, split);
                h.parser.feed(bytes, split, split2 - split);
                h.parser.feed(bytes, split2, bytes.length - split2);
                assertThat(h.elements()).as("splits %d/%d", split, split2).containsExactly(stanza);
                assertThat(h.closedCount()).isEqualTo(1);
            }
        }
    }

    /**
     * Corrupted streams must only ever end in {@link XmppStreamException}: never another exception
     * type, never a hang.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void corruptedStreamsFailOnlyWithStreamErrors(long seed) {
        Random random = new Random(seed);
        StringBuilder xml = new StringBuilder(HEADER);
        for (int i = 0; i < 10; i++) {
            XmlWriter.write(randomElement(random, 0), "jabber:client", xml);
        }
        byte[] bytes = xml.toString().getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 20; round++) {
            byte[] corrupted = bytes.clone();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
            }
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(4096, 8, 16));
            try {
                h.feedRandomly(corrupted, random);
            } catch (XmppStreamException expected) {
                assertThat(h.parser.isFailed()).isTrue();
            }
        }
    }

    static String randomWhitespace(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "\n";
            default -> " \r\n\t ";
        };
    }

    static XmlElement randomElement(Random random, int depth) {
        XmlElement.Builder builder = XmlElement.builder(pick(random, NAMES), pick(random, NAMESPACES));
        for (int i = random.nextInt(4); i > 0; i--) {
            builder.attribute(pick(random, ATTRIBUTE_KEYS), randomString(random, ATTRIBUTE_CHARS, 12));
        }
        List<XmlNode> children = new ArrayList<>();
        int count = depth >= 4 ? random.nextInt(2) : random.nextInt(5);
        for (int i = 0; i < count; i++) {
            if (depth < 4 && random.nextBoolean()) {
                children.add(randomElement(random, depth + 1));
            } else {
                String text = randomString(random, TEXT_CHARS, 40);
                // The parser coalesces adjacent character data and drops nothing but empty text.
                if (text.isEmpty()) {
                    continue;
                }
                if (!children.isEmpty() && children.get(children.size() - 1) instanceof XmlText previous) {
                    children.set(children.size() - 1, new XmlText(previous.text() + text));
                } else {
                    children.add(new XmlText(text));
                }
            }
        }
        return builder.children(children).build();
    }

    static String randomString(Random random, String alphabet, int maxCodePoints) {
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(maxCodePoints + 1); i > 0; i--) {
            sb.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
        }
        return sb.toString();
    }

    static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
