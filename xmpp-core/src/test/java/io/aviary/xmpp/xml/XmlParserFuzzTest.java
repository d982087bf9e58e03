package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.stanza.XmppStreamException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Grammar-based mutational fuzzing of {@link XmppStreamParser} and {@link XmlDocumentParser} (what BOSH bodies
 * and WebSocket messages go through). Inputs are XMPP-like streams built from a small grammar, then mutated at the
 * byte level with XML and UTF-8 tokens, and fed in random chunks. Whatever the input:
 * <ul>
 *   <li>the only exception is {@link XmppStreamException};</li>
 *   <li>every element delivered respects the {@link ParserLimits} (elements, depth, attributes);</li>
 *   <li>every element delivered can be written by {@link XmlWriter} (no character that would end a recipient's
 *       stream got through) and reads back the same.</li>
 * </ul>
 * Bounded by iterations, with a {@code @Timeout} as the guard against a hang. Each run uses the fixed seeds and one
 * random seed, printed; a failure names the seed and iteration, and {@code -Daviary.fuzz.seed=N} replays a seed.
 */
class XmlParserFuzzTest {

    private static final long[] FIXED_SEEDS = {1L, 42L, 6120L, 0x5EED_F00DL};
    private static final int ITERATIONS_PER_SEED = 2_500;

    /** Small limits, so that inputs reach them often. */
    private static final ParserLimits BEFORE_AUTH = new ParserLimits(2048, 6, 8, 40);
    private static final ParserLimits AFTER_AUTH = new ParserLimits(8192, 10, 12, 200);

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    private static final String[] NAMES = {"message", "presence", "iq", "body", "query", "item", "x", "a", "success",
            "stream:features", "p:thing", "error", "text", "field", "value"};
    private static final String[] NAMESPACES = {"jabber:client", "urn:xmpp:ping", "jabber:iq:roster",
            "urn:ietf:params:xml:ns:xmpp-sasl", "", "http://jabber.org/protocol/disco#info"};
    private static final String[] ATTRIBUTES = {"to", "from", "id", "type", "xml:lang", "p:attr", "xmlns:p", "jid", "name"};

    /** Fragments that make parsers stumble, as bytes: markup, references, bad and unusual UTF-8. */
    private static final byte[][] TOKENS = tokens(
            "<", ">", "/>", "</", "<a>", "</a>", "&", ";", "&amp;", "&lt;", "&#0;", "&#x1F600;", "&#xD800;",
            "&#65535;", "&foo;", "<!--", "-->", "<![CDATA[", "]]>", "<?", "?>", "<?xml version='1.0'?>",
            "<!DOCTYPE x [<!ENTITY a 'b'>]>", "xmlns=''", "xmlns:p='urn:p'", "'", "\"", "=", " ", "\n", "\t",
            "</stream:stream>", "<stream:stream>", "<success/>", "😀", "é", "\uFEFF", "\uFFFD");
    private static final byte[][] RAW = {
            {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBE}, {0}, {1}, {(byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xFF}};

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void streamParser() {
        runSeeds(this::fuzzStreams);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void documentParser() {
        runSeeds(this::fuzzDocuments);
    }

    private static void runSeeds(LongConsumer fuzz) {
        String replay = System.getProperty("aviary.fuzz.seed");
        List<Long> seeds = new ArrayList<>();
        if (replay != null) {
            seeds.add(Long.parseLong(replay));
        } else {
            for (long seed : FIXED_SEEDS) {
                seeds.add(seed);
            }
            long random = new Random().nextLong();
            System.out.println("fuzzing with random seed " + random + " (replay: -Daviary.fuzz.seed=" + random + ")");
            seeds.add(random);
        }
        for (long seed : seeds) {
            fuzz.accept(seed);
        }
    }

    private void fuzzStreams(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < ITERATIONS_PER_SEED; i++) {
            byte[] input = mutate(randomStream(random), random);
            Checker checker = new Checker(BEFORE_AUTH);
            XmppStreamParser parser = new XmppStreamParser(BEFORE_AUTH, checker);
            checker.parser = parser;
            try {
                feedInChunks(parser, input, random);
            } catch (XmppStreamException expected) {
                assertThat(parser.isFailed()).isTrue();
            } catch (Throwable e) {
                throw failure(seed, i, input, e);
            }
            checker.rethrow(seed, i, input);
        }
    }

    private void fuzzDocuments(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < ITERATIONS_PER_SEED; i++) {
            StringBuilder document = new StringBuilder(random.nextInt(4) == 0 ? "<?xml version='1.0'?>" : "");
            appendElement(document, random, 0);
            byte[] input = mutate(document.toString().getBytes(StandardCharsets.UTF_8), random);
            try {
                XmlElement element = XmlDocumentParser.parse(input, AFTER_AUTH);
                checkElement(element, AFTER_AUTH);
            } catch (XmppStreamException expected) {
                // the document was refused, as it may be
            } catch (Throwable e) {
                throw failure(seed, i, input, e);
            }
        }
    }

    private static byte[] randomStream(Random random) {
        StringBuilder xml = new StringBuilder(HEADER);
        for (int n = random.nextInt(6); n >= 0; n--) {
            if (random.nextInt(8) == 0) {
                xml.append("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>").append(HEADER);
            } else {
                appendElement(xml, random, 0);
            }
            if (random.nextBoolean()) {
                xml.append(' ');
            }
        }
        if (random.nextBoolean()) {
            xml.append("</stream:stream>");
        }
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendElement(StringBuilder xml, Random random, int depth) {
        String name = pick(random, NAMES);
        xml.append('<').append(name);
        if (random.nextInt(3) == 0) {
            xml.append(" xmlns='").append(pick(random, NAMESPACES)).append('\'');
        }
        for (int n = random.nextInt(4); n > 0; n--) {
            xml.append(' ').append(pick(random, ATTRIBUTES)).append("='").append(randomText(random)).append('\'');
        }
        int children = depth > 8 ? 0 : random.nextInt(depth == 0 ? 6 : 3);
        if (children == 0 && random.nextBoolean()) {
            xml.append("/>");
            return;
        }
        xml.append('>');
        for (int i = 0; i < children; i++) {
            switch (random.nextInt(4)) {
                case 0 -> xml.append(randomText(random));
                case 1 -> xml.append("<![CDATA[").append(randomText(random)).append("]]>");
                default -> appendElement(xml, random, depth + 1);
            }
        }
        if (random.nextInt(6) == 0) {
            xml.append("<a/>".repeat(random.nextInt(60))); // many small elements
        }
        xml.append("</").append(name).append('>');
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0 -> text.append("&amp;&lt;&gt;&quot;&apos;".substring(0, 5 * (1 + random.nextInt(5))));
                case 1 -> text.append("&#").append(random.nextInt(0x11000)).append(';');
                case 2 -> text.appendCodePoint(random.nextInt(0x110000) & ~0x800); // no surrogates from Java
                default -> text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    /** Up to four byte-level mutations: flips, inserted tokens and raw bytes, deletions, duplications. */
    private static byte[] mutate(byte[] input, Random random) {
        byte[] bytes = input;
        for (int n = random.nextInt(5); n > 0; n--) {
            int at = random.nextInt(bytes.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
            switch (random.nextInt(6)) {
                case 0 -> {
                    bytes = bytes.clone();
                    if (bytes.length > 0) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                    continue;
                }
                case 1 -> insert(out, bytes, at, TOKENS[random.nextInt(TOKENS.length)]);
                case 2 -> insert(out, bytes, at, RAW[random.nextInt(RAW.length)]);
                case 3 -> {
                    int end = Math.min(bytes.length, at + random.nextInt(16));
                    out.write(bytes, 0, at);
                    out.write(bytes, end, bytes.length - end);
                }
                case 4 -> {
                    int end = Math.min(bytes.length, at + random.nextInt(64));
                    out.write(bytes, 0, end);
                    out.write(bytes, at, bytes.length - at);
                }
                default -> insert(out, bytes, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }

    private static void insert(ByteArrayOutputStream out, byte[] bytes, int at, byte[] token) {
        out.write(bytes, 0, at);
        out.writeBytes(token);
        out.write(bytes, at, bytes.length - at);
    }

    private static void feedInChunks(XmppStreamParser parser, byte[] input, Random random) {
        int pos = 0;
        while (pos < input.length) {
            int size = Math.min(input.length - pos, random.nextBoolean() ? 1 + random.nextInt(4) : 1 + random.nextInt(512));
            parser.feed(input, pos, size);
            pos += size;
        }
    }

    /** Checks every delivered element; switches to the larger limits and restarts on {@code <success/>}. */
    private static final class Checker implements StreamEventHandler {
        XmppStreamParser parser;
        private ParserLimits limits;
        private AssertionError problem;

        Checker(ParserLimits limits) {
            this.limits = limits;
        }

        @Override
        public void streamOpened(StreamHeader header) {
        }

        @Override
        public void element(XmlElement element) {
            try {
                checkElement(element, limits);
            } catch (AssertionError | RuntimeException e) {
                problem = problem == null ? new AssertionError(e) : problem;
            }
            if (element.name().equals("success")) {
                limits = AFTER_AUTH;
                parser.setLimits(AFTER_AUTH);
                parser.requestRestart();
            }
        }

        @Override
        public void streamClosed() {
        }

        void rethrow(long seed, int iteration, byte[] input) {
            if (problem != null) {
                throw failure(seed, iteration, input, problem);
            }
        }
    }

    private static void checkElement(XmlElement element, ParserLimits limits) {
        assertThat(count(element, limits)).as("elements").isLessThanOrEqualTo(limits.maxStanzaElements());
        assertThat(depth(element)).as("depth").isLessThanOrEqualTo(limits.maxDepth());
        String written = XmlWriter.write(element, null);
        assertThat(XmlFragment.parse(written)).as("read back from %s", written).isEqualTo(element);
    }

    private static int count(XmlElement element, ParserLimits limits) {
        assertThat(element.attributes()).as("attributes").hasSizeLessThanOrEqualTo(limits.maxAttributes());
        return 1 + element.elements().mapToInt(child -> count(child, limits)).sum();
    }

    private static int depth(XmlElement element) {
        return 1 + element.elements().mapToInt(XmlParserFuzzTest::depth).max().orElse(0);
    }

    private static AssertionError failure(long seed, int iteration, byte[] input, Throwable cause) {
        return new AssertionError("seed " + seed + ", iteration " + iteration + " (-Daviary.fuzz.seed=" + seed
                + "), input: " + new String(input, StandardCharsets.ISO_8859_1), cause);
    }

    private static byte[][] tokens(String... tokens) {
        byte[][] bytes = new byte[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            bytes[i] = tokens[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
