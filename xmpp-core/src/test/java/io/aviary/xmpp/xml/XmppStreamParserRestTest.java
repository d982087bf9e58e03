package io.aviary.xmpp.xml;

import static io.aviary.xmpp.xml.XmppStreamParserTest.CLOSE;
import static io.aviary.xmpp.xml.XmppStreamParserTest.EXPECTED_HEADER;
import static io.aviary.xmpp.xml.XmppStreamParserTest.HEADER;
import static io.aviary.xmpp.xml.XmppStreamParserTest.conditionOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link XmppStreamParser#rest()}: an idle stream's reader is dropped between stanzas and nothing else changes. */
class XmppStreamParserRestTest {

    private static final String MESSAGE =
            "<message to='juliet@example.com' type='chat' id='m1'><body>Wherefore art thou?</body></message>";

    @Test
    void aRestedStreamGoesOnAsIfNothingHappened() {
        RecordingHandler h = RecordingHandler.withParser();
        h.feed(HEADER + MESSAGE);

        assertThat(h.parser.rest()).isTrue();
        h.feed("<presence/>" + MESSAGE);
        assertThat(h.parser.rest()).isTrue();
        h.feed(CLOSE);

        RecordingHandler unrested = RecordingHandler.withParser().feed(HEADER + MESSAGE + "<presence/>" + MESSAGE + CLOSE);
        assertThat(h.events).isEqualTo(unrested.events);
        assertThat(h.headers()).containsExactly(EXPECTED_HEADER);
        assertThat(h.closedCount()).isEqualTo(1);
    }

    @Test
    void restsAfterWhitespaceKeepalivesButNotInsideAStanza() {
        RecordingHandler h = RecordingHandler.withParser();
        h.feed(HEADER + MESSAGE + " \n");
        h.feed("\t ");
        assertThat(h.parser.rest()).as("whitespace pings between stanzas").isTrue();

        h.feed(" <message><bo");
        assertThat(h.parser.rest()).as("half a stanza").isFalse();
        h.feed("dy>still here</body></message>");
        assertThat(h.elements()).hasSize(2);
        assertThat(h.elements().get(1).childText("body", "jabber:client")).contains("still here");
    }

    @Test
    void neverRestsBeforeTheRootOrAfterItClosedOrFailed() {
        RecordingHandler h = RecordingHandler.withParser();
        assertThat(h.parser.rest()).isFalse();
        h.feed("<?xml version='1.0'?><stream:str");
        assertThat(h.parser.rest()).isFalse();
        h.feed(HEADER.substring(HEADER.indexOf("eam xmlns")) + CLOSE);
        assertThat(h.parser.rest()).isFalse();

        RecordingHandler failed = RecordingHandler.withParser().feed(HEADER);
        conditionOf(() -> failed.feed("<message><body></message>"));
        assertThat(failed.parser.rest()).isFalse();
    }

    @Test
    void theRootsNamespaceDeclarationsHoldAfterARest() {
        String header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:x='urn:example:a&amp;b' to='example.com' version='1.0'>";
        RecordingHandler h = RecordingHandler.withParser().feed(header + "<presence/>");
        assertThat(h.parser.rest()).isTrue();

        h.feed("<x:ping/><iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq>");

        assertThat(h.elements()).extracting(XmlElement::namespace)
                .containsExactly("jabber:client", "urn:example:a&b", "jabber:client");
        assertThat(h.parser.rest()).isTrue();
        assertThat(conditionOf(() -> h.feed("<y:unbound/>"))).isEqualTo(StreamErrorCondition.BAD_NAMESPACE_PREFIX);
    }

    @Test
    void anEndTagThatDoesNotCloseTheRootIsStillRejectedAfterARest() {
        RecordingHandler h = RecordingHandler.withParser().feed(HEADER + MESSAGE);
        assertThat(h.parser.rest()).isTrue();

        assertThat(conditionOf(() -> h.feed("</stream:other>"))).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theStanzaSizeLimitCountsOnlyTheStanzaAfterARest(int over) {
        String large = "<message id='big'><body>" + "x".repeat(400) + "</body></message>";
        ParserLimits limits = new ParserLimits(large.length() - 1 + over, 32, 64, 100);
        RecordingHandler h = RecordingHandler.withParser(limits).feed(HEADER + "<presence/>");
        assertThat(h.parser.rest()).isTrue();

        if (over == 1) {
            h.feed(large);
            assertThat(h.elements()).hasSize(2);
        } else {
            assertThat(conditionOf(() -> h.feed(large))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }
    }

    @Test
    void aRequestedRestartWinsOverARest() {
        RecordingHandler h = RecordingHandler.withParser().feed(HEADER + MESSAGE);
        h.parser.requestRestart();
        h.parser.rest();

        h.feed(HEADER + MESSAGE);

        assertThat(h.headers()).hasSize(2);
        assertThat(h.elements()).hasSize(2);
    }

    @Test
    void restingAtRandomPointsOfARandomlySplitStreamChangesNoEvent() {
        StringBuilder stream = new StringBuilder(HEADER);
        for (int i = 0; i < 200; i++) {
            stream.append(i % 7 == 0 ? " " : "").append("<message id='m").append(i)
                    .append("'><body>caf\u00e9 \ud83d\ude00 ").append(i).append("</body></message>");
        }
        stream.append(CLOSE);
        byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        RecordingHandler unrested = RecordingHandler.withParser().feed(stream.toString());

        Random random = new Random(42);
        RecordingHandler h = RecordingHandler.withParser();
        int rests = 0;
        for (int pos = 0; pos < bytes.length; ) {
            int size = random.nextInt(3) == 0
                    ? endOfNextMessage(bytes, pos) - pos
                    : Math.min(1 + random.nextInt(random.nextBoolean() ? 8 : 300), bytes.length - pos);
            h.parser.feed(bytes, pos, size);
            pos += size;
            if (h.parser.rest()) {
                rests++;
            }
        }

        assertThat(h.events).isEqualTo(unrested.events);
        assertThat(rests).isGreaterThan(20);
    }

    /** The index after the next {@code </message>} from {@code from}, or the end of the input. */
    private static int endOfNextMessage(byte[] bytes, int from) {
        byte[] end = "</message>".getBytes(StandardCharsets.US_ASCII);
        for (int i = from; i + end.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + end.length, end, 0, end.length)) {
                return i + end.length;
            }
        }
        return bytes.length;
    }
}
