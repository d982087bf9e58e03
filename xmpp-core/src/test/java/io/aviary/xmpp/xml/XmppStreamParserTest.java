package io.aviary.xmpp.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.RecordingHandler.Closed;
import io.aviary.xmpp.xml.RecordingHandler.Element;
import io.aviary.xmpp.xml.RecordingHandler.Opened;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class XmppStreamParserTest {

    static final String CLIENT = "jabber:client";
    static final String STREAMS = "http://etherx.jabber.org/streams";
    static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' xml:lang='en'>";
    static final String CLOSE = "</stream:stream>";
    static final StreamHeader EXPECTED_HEADER =
            new StreamHeader("stream", STREAMS, CLIENT, "example.com", null, null, "1.0", "en");

    static XmppStreamException streamError(Runnable action) {
        XmppStreamException e = catchThrowableOfType(XmppStreamException.class, action::run);
        assertThat(e).as("expected an XmppStreamException").isNotNull();
        return e;
    }

    static StreamErrorCondition conditionOf(Runnable action) {
        return streamError(action).error().condition();
    }

    @Nested
    class NormalStreams {

        @Test
        void reportsHeaderStanzasAndCloseInOrder() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER
                    + "<message to='juliet@example.com' type='chat' id='m1'><body>Art thou not Romeo?</body></message>"
                    + "<presence/>"
                    + "<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>"
                    + CLOSE);

            XmlElement message = XmlElement.builder("message", CLIENT)
                    .attribute("to", "juliet@example.com").attribute("type", "chat").attribute("id", "m1")
                    .child(XmlElement.builder("body", CLIENT).text("Art thou not Romeo?").build())
                    .build();
            XmlElement presence = XmlElement.empty("presence", CLIENT);
            XmlElement iq = XmlElement.builder("iq", CLIENT).attribute("type", "get").attribute("id", "r1")
                    .child(XmlElement.empty("query", "jabber:iq:roster")).build();
            assertThat(h.events).containsExactly(
                    new Opened(EXPECTED_HEADER),
                    new Element(message), new Element(presence), new Element(iq),
                    new Closed());
            assertThat(h.elements().get(0).attributes().keySet()).containsExactly("to", "type", "id");
        }

        @Test
        void sameEventsWhenFedOneByteAtATime() {
            String xml = HEADER + "<message><body>héllo 😀 中文</body></message><presence type='away'/>" + CLOSE;
            RecordingHandler whole = RecordingHandler.withParser().feed(xml);
            RecordingHandler bytewise = RecordingHandler.withParser().feedBytewise(xml);
            assertThat(bytewise.events).isEqualTo(whole.events).hasSize(4);
            assertThat(bytewise.elements().get(0).child("body").orElseThrow().text()).isEqualTo("héllo 😀 中文");
        }

        @Test
        void elementsAreReportedAsSoonAsTheyComplete() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER);
            assertThat(h.events).containsExactly(new Opened(EXPECTED_HEADER));
            h.feed("<message><body>hi</bo");
            assertThat(h.elements()).isEmpty();
            h.feed("dy></message");
            assertThat(h.elements()).isEmpty();
            h.feed(">");
            assertThat(h.elements()).hasSize(1);
        }

        @Test
        void headerWithoutXmlDeclarationAndAllAttributes() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:server'"
                    + " from='a.example' to='b.example' id='abc123' version='1.0' xml:lang='fr'"
                    + " xmlns:db='jabber:server:dialback'>");
            assertThat(h.headers()).containsExactly(
                    new StreamHeader("stream", STREAMS, "jabber:server", "b.example", "a.example", "abc123", "1.0", "fr"));
        }

        @Test
        void headerValuesAreReportedNotValidated() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed("<foo xmlns:x='urn:other' to=''>");
            assertThat(h.headers()).containsExactly(new StreamHeader("foo", "", "", "", null, null, null, null));
        }

        @Test
        void whitespaceAfterCloseIsIgnored() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<presence/>" + CLOSE + " \n ");
            assertThat(h.closedCount()).isEqualTo(1);
            assertThat(h.parser.isFailed()).isFalse();
        }

        @Test
        void dataAfterCloseIsNotWellFormed() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + CLOSE);
            assertThat(conditionOf(() -> h.feed("<presence/>"))).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        }
    }

    @Nested
    class Namespaces {

        @Test
        void defaultNamespaceIsInheritedAndPrefixesResolved() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " xmlns:db='jabber:server:dialback'>");
            h.feed("<message xml:lang='de' type='chat'><body>x</body>"
                    + "<x:event xmlns:x='urn:x' x:flag='1' plain='2'><x:item/><item/><y:z xmlns:y='urn:y'/></x:event>"
                    + "<html xmlns='http://jabber.org/protocol/xhtml-im'><body><p>hi</p></body></html>"
                    + "</message>"
                    + "<db:result from='a' to='b'>key</db:result>");

            assertThat(h.headers()).hasSize(1);
            XmlElement message = h.elements().get(0);
            assertThat(message.is("message", CLIENT)).isTrue();
            assertThat(message.attributes()).containsExactly(Map.entry("xml:lang", "de"), Map.entry("type", "chat"));
            assertThat(message.child("body", CLIENT)).isPresent();

            XmlElement event = message.child("event", "urn:x").orElseThrow();
            assertThat(event.attributes()).containsExactly(Map.entry("{urn:x}flag", "1"), Map.entry("plain", "2"));
            assertThat(event.elements().toList()).containsExactly(
                    XmlElement.empty("item", "urn:x"),
                    XmlElement.empty("item", CLIENT),
                    XmlElement.empty("z", "urn:y"));

            XmlElement html = message.child("html", "http://jabber.org/protocol/xhtml-im").orElseThrow();
            XmlElement p = html.child("body").orElseThrow().child("p").orElseThrow();
            assertThat(p.namespace()).isEqualTo("http://jabber.org/protocol/xhtml-im");

            XmlElement result = h.elements().get(1);
            assertThat(result.is("result", "jabber:server:dialback")).isTrue();
            assertThat(result.text()).isEqualTo("key");
        }

        @Test
        void emptyDefaultNamespaceUndeclaresIt() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<iq><q xmlns=''><r/></q></iq>");
            XmlElement q = h.elements().get(0).firstChild().orElseThrow();
            assertThat(q.namespace()).isEmpty();
            assertThat(q.firstChild().orElseThrow().namespace()).isEmpty();
        }

        @Test
        void unboundElementPrefixIsBadNamespacePrefix() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER);
            XmppStreamException e = streamError(() -> h.feed("<foo:message/>"));
            assertThat(e.error().condition()).isEqualTo(StreamErrorCondition.BAD_NAMESPACE_PREFIX);
            assertThat(e.getCause()).isInstanceOf(XMLStreamException.class);
        }

        @Test
        void unboundAttributePrefixIsBadNamespacePrefix() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER);
            assertThat(conditionOf(() -> h.feed("<message foo:bar='1'/>")))
                    .isEqualTo(StreamErrorCondition.BAD_NAMESPACE_PREFIX);
        }

        @Test
        void unboundStreamPrefixAsInRfc6120Example() {
            RecordingHandler h = RecordingHandler.withParser();
            assertThat(conditionOf(() -> h.feed("<?xml version='1.0'?><foobar:stream to='example.com'"
                    + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")))
                    .isEqualTo(StreamErrorCondition.BAD_NAMESPACE_PREFIX);
            assertThat(h.events).isEmpty();
        }
    }

    @Nested
    class Text {

        @Test
        void adjacentCharacterDataIsCoalescedIntoOneTextNode() {
            String xml = HEADER + "<message><body>a &amp; b<![CDATA[<c> & ]]>&#x1F600;&#20013;&lt;&gt;&quot;&apos;d\n\te</body></message>";
            for (RecordingHandler h : List.of(RecordingHandler.withParser().feed(xml),
                    RecordingHandler.withParser().feedBytewise(xml))) {
                XmlElement body = h.elements().get(0).child("body").orElseThrow();
                assertThat(body.children()).containsExactly(new XmlText("a & b<c> & 😀中<>\"'d\n\te"));
            }
        }

        @Test
        void mixedContentKeepsTextAndElementsInOrder() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<p>x<b>bold</b>y<br/><i/>z</p>");
            assertThat(h.elements().get(0).children()).containsExactly(
                    new XmlText("x"),
                    XmlElement.builder("b", CLIENT).text("bold").build(),
                    new XmlText("y"),
                    XmlElement.empty("br", CLIENT),
                    XmlElement.empty("i", CLIENT),
                    new XmlText("z"));
        }

        @Test
        void whitespaceInsideStanzasIsKept() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<message>\n  <body> </body>\n</message>");
            XmlElement message = h.elements().get(0);
            assertThat(message.children()).containsExactly(new XmlText("\n  "),
                    XmlElement.builder("body", CLIENT).text(" ").build(), new XmlText("\n"));
        }

        @Test
        void attributeEscapesAreResolved() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<message id='a&amp;b&lt;&#x41;&quot;\"' to=\"&apos;'\"/>");
            assertThat(h.elements().get(0).attributes())
                    .containsExactly(Map.entry("id", "a&b<A\"\""), Map.entry("to", "''"));
        }

        @Test
        void crLfIsNormalised() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<body>a\r\nb\rc</body>");
            assertThat(h.elements().get(0).text()).isEqualTo("a\nb\nc");
        }
    }

    @Nested
    class Keepalives {

        @Test
        void whitespaceBetweenStanzasIsIgnored() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + " \n");
            h.feed(" ");
            h.feed("<presence/>");
            h.feed("\t\r\n ");
            h.feed(" <presence/>  ");
            h.feed("\n" + CLOSE);
            assertThat(h.events).containsExactly(new Opened(EXPECTED_HEADER),
                    new Element(XmlElement.empty("presence", CLIENT)),
                    new Element(XmlElement.empty("presence", CLIENT)),
                    new Closed());
        }

        @Test
        void keepalivesDoNotCountTowardsTheStanzaLimit() {
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(200, 8, 8));
            h.feed(HEADER);
            for (int i = 0; i < 100; i++) {
                h.feed("   ");
            }
            h.feed(" ".repeat(1000));
            for (int i = 0; i < 50; i++) {
                h.feed("<presence/>" + " ".repeat(150));
            }
            h.feed(CLOSE);
            assertThat(h.elements()).hasSize(50);
            assertThat(h.closedCount()).isEqualTo(1);
        }

        @Test
        void textBetweenStanzasIsBadFormat() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<presence/> ");
            assertThat(conditionOf(() -> h.feed(" hello <presence/>"))).isEqualTo(StreamErrorCondition.BAD_FORMAT);
            assertThat(h.elements()).hasSize(1);
        }

        @Test
        void cdataBetweenStanzasIsBadFormat() {
            RecordingHandler h = RecordingHandler.withParser();
            assertThat(conditionOf(() -> h.feed(HEADER + "<![CDATA[x]]>"))).isEqualTo(StreamErrorCondition.BAD_FORMAT);
        }

        @Test
        void escapedTextBetweenStanzasIsBadFormat() {
            RecordingHandler h = RecordingHandler.withParser();
            assertThat(conditionOf(() -> h.feed(HEADER + "&amp;"))).isEqualTo(StreamErrorCondition.BAD_FORMAT);
        }
    }

    @Nested
    class Malformed {

        static Stream<String> malformedDocuments() {
            return Stream.of(
                    HEADER + "<message><body></message>",
                    HEADER + "<message></presence>",
                    HEADER + "</stream:features>",
                    HEADER + "<message><body>&#0;</body></message>",
                    HEADER + "<message to='a' to='b'/>",
                    HEADER + "<message to='a<b'/>",
                    HEADER + "<message to=a/>",
                    HEADER + "<1message/>",
                    HEADER + "<message><body>a & b</body></message>",
                    HEADER + "<message><body>&#xZZ;</body></message>",
                    "<?xml version='1.0'?><?xml version='1.0'?>",
                    "hello" + HEADER,
                    HEADER + CLOSE + "<stream:stream>");
        }

        @ParameterizedTest
        @MethodSource("malformedDocuments")
        void isNotWellFormed(String xml) {
            XmppStreamException whole = streamError(() -> RecordingHandler.withParser().feed(xml));
            assertThat(whole.error().condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
            assertThat(whole.getCause()).isInstanceOf(XMLStreamException.class);
            assertThat(whole.error().text()).doesNotContain("\n");
            assertThat(conditionOf(() -> RecordingHandler.withParser().feedBytewise(xml)))
                    .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        }

        @Test
        void invalidUtf8IsUnsupportedEncoding() {
            RecordingHandler h = RecordingHandler.withParser().feed(HEADER + "<message><body>");
            byte[] bad = {'a', (byte) 0xC3, (byte) 0x28, '<', '/', 'b', 'o', 'd', 'y', '>'};
            // RFC 6120 §4.9.3.22: "improperly encoded the stream (e.g., by violating the rules of the [UTF-8] encoding)"
            assertThat(conditionOf(() -> h.parser.feed(bad, 0, bad.length)))
                    .isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
        }

        @Test
        void mismatchedEndTagIsReportedOnceMoreInputArrives() {
            // Aalto 1.3.3 only rejects a mismatched end tag once some bytes after it are available.
            RecordingHandler h = RecordingHandler.withParser().feed(HEADER + "<a></b>");
            assertThat(conditionOf(() -> h.feed("<c/>"))).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
            assertThat(h.elements()).isEmpty();
        }

        @Test
        void stanzasBeforeTheErrorAreDelivered() {
            RecordingHandler h = RecordingHandler.withParser();
            assertThat(conditionOf(() -> h.feed(HEADER + "<presence/><message></iq><presence/>")))
                    .isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
            assertThat(h.elements()).containsExactly(XmlElement.empty("presence", CLIENT));
        }
    }

    @Nested
    class RestrictedXml {

        static final String BILLION_LAUGHS = "<?xml version='1.0'?>\n<!DOCTYPE lolz [\n"
                + " <!ENTITY lol \"lol\">\n"
                + " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                + " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
                + " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
                + " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
                + " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
                + " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
                + " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
                + " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
                + " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
                + "]>\n"
                + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message><body>&lol9;</body></message>";

        static Stream<Arguments> restrictedDocuments() {
            return Stream.of(
                    Arguments.of("doctype", "<?xml version='1.0'?><!DOCTYPE stream:stream>" + HEADER.substring(21)),
                    Arguments.of("doctype without declaration", "<!DOCTYPE foo SYSTEM 'http://evil.example/x.dtd'><foo/>"),
                    Arguments.of("internal subset entity", "<?xml version='1.0'?><!DOCTYPE s [<!ENTITY foo 'bar'>]>"
                            + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                            + "<message><body>&foo;</body></message>"),
                    Arguments.of("external entity", "<?xml version='1.0'?><!DOCTYPE s [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
                            + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                            + "<message><body>&xxe;</body></message>"),
                    Arguments.of("billion laughs", BILLION_LAUGHS),
                    Arguments.of("comment before root", "<?xml version='1.0'?><!-- hi -->" + HEADER.substring(21)),
                    Arguments.of("comment between stanzas", HEADER + "<presence/><!-- hi --><presence/>"),
                    Arguments.of("comment inside stanza", HEADER + "<message><body>a<!-- hi -->b</body></message>"),
                    Arguments.of("processing instruction before root", "<?xml version='1.0'?><?foo bar?>" + HEADER.substring(21)),
                    Arguments.of("processing instruction inside stanza", HEADER + "<message><?foo bar?></message>"),
                    Arguments.of("processing instruction between stanzas", HEADER + "<?foo?>"),
                    Arguments.of("undeclared entity in text", HEADER + "<message><body>x&foo;y</body></message>"),
                    Arguments.of("undeclared entity in attribute", HEADER + "<message id='&foo;'/>"),
                    Arguments.of("undeclared entity in header attribute",
                            "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='&foo;'>"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("restrictedDocuments")
        void isRestricted(String description, String xml) {
            assertThat(conditionOf(() -> RecordingHandler.withParser().feed(xml)))
                    .as(description).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
            RecordingHandler bytewise = RecordingHandler.withParser();
            assertThat(conditionOf(() -> bytewise.feedBytewise(xml)))
                    .as(description).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
            assertThat(bytewise.elements()).as("no stanza with restricted content is delivered")
                    .allMatch(e -> e.is("presence", CLIENT));
        }

        @Test
        void billionLaughsIsRejectedQuicklyBeforeTheRootIsSeen() {
            RecordingHandler h = RecordingHandler.withParser();
            assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                    assertThat(conditionOf(() -> h.feed(BILLION_LAUGHS))).isEqualTo(StreamErrorCondition.RESTRICTED_XML));
            assertThat(h.events).isEmpty();
        }

        @Test
        void doctypeIsRejectedAsSoonAsItStarts() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed("<?xml version='1.0'?>\n<");
            assertThat(conditionOf(() -> h.feed("!"))).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
        }

        @Test
        void predefinedEntitiesAndCharacterReferencesAreAllowed() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<body a='&amp;&lt;&gt;&quot;&apos;&#65;&#x42;'>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;</body>");
            assertThat(h.elements().get(0).attributes().get("a")).isEqualTo("&<>\"'AB");
            assertThat(h.elements().get(0).text()).isEqualTo("&<>\"'AB");
        }

        @Test
        void cdataInsideStanzaIsAllowed() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<message><body><![CDATA[<!-- not a comment -->]]></body></message>");
            assertThat(h.elements().get(0).child("body").orElseThrow().text()).isEqualTo("<!-- not a comment -->");
        }
    }

    @Nested
    class Encoding {

        @ParameterizedTest
        @ValueSource(strings = {"ISO-8859-1", "UTF-16", "US-ASCII"})
        void nonUtf8DeclarationIsUnsupportedEncoding(String encoding) {
            String xml = "<?xml version='1.0' encoding='" + encoding + "'?>" + HEADER.substring(21);
            assertThat(conditionOf(() -> RecordingHandler.withParser().feed(xml)))
                    .isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
        }

        @ParameterizedTest
        @ValueSource(strings = {"UTF-8", "utf-8"})
        void utf8DeclarationIsAccepted(String encoding) {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed("<?xml version='1.0' encoding='" + encoding + "'?>" + HEADER.substring(21));
            assertThat(h.headers()).containsExactly(EXPECTED_HEADER);
        }
    }

    @Nested
    class Limits {

        static final int LIMIT = 1000;

        RecordingHandler opened() {
            // The header carries five attributes and namespace declarations.
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(LIMIT, 4, 5));
            h.feed(HEADER);
            return h;
        }

        @Test
        void unterminatedOversizedStanzaIsDetectedBeforeItCompletes() {
            RecordingHandler h = opened();
            String start = "<message><body>";
            h.feed(start + "x".repeat(LIMIT - start.length()));
            assertThat(h.parser.isFailed()).isFalse();
            XmppStreamException e = streamError(() -> h.feed("x"));
            assertThat(e.error().condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
            assertThat(h.elements()).isEmpty();
        }

        @Test
        void unterminatedOversizedStanzaIsDetectedWhenFedBytewise() {
            RecordingHandler h = opened();
            String start = "<message><body>";
            h.feedBytewise(start + "é".repeat((LIMIT - start.length()) / 2));
            assertThat(conditionOf(() -> h.feedBytewise("é"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void hugeAttributeValueIsDetectedBeforeTheStartTagCompletes() {
            RecordingHandler h = opened();
            h.feed("<message to='" + "a".repeat(LIMIT - 13));
            assertThat(conditionOf(() -> h.feed("a"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void hugeCommentIsDetectedBeforeItCompletes() {
            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed("<!--" + "a".repeat(LIMIT))))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void precedingKeepaliveWhitespaceDoesNotCount() {
            RecordingHandler h = opened();
            String start = "<message><body>";
            h.feed("   \n  " + start + "x".repeat(LIMIT - start.length()));
            assertThat(conditionOf(() -> h.feed("x"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void stanzaOfExactlyTheLimitIsAcceptedAndOneMoreByteIsNot() {
            String open = "<message><body>";
            String close = "</body></message>";
            String exact = open + "y".repeat(LIMIT - open.length() - close.length()) + close;
            assertThat(exact.length()).isEqualTo(LIMIT);

            RecordingHandler ok = opened();
            ok.feed(" " + exact + " " + exact + "<presence/>");
            assertThat(ok.elements()).hasSize(3);

            String tooBig = open + "y".repeat(LIMIT - open.length() - close.length() + 1) + close;
            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed(tooBig + "<presence/>"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
            assertThat(h.elements()).isEmpty();
        }

        @Test
        void stanzaLimitCountsBytesNotCharacters() {
            String open = "<message><body>";
            String close = "</body></message>";
            int room = LIMIT - open.length() - close.length();
            RecordingHandler ok = opened();
            ok.feed(open + "€".repeat(room / 3) + close);
            assertThat(ok.elements()).hasSize(1);
            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed(open + "€".repeat(room / 3 + 1) + close)))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void manySmallStanzasInOneChunkAreFine() {
            RecordingHandler h = opened();
            h.feed("<presence/>".repeat(LIMIT));
            assertThat(h.elements()).hasSize(LIMIT);
        }

        @Test
        void oversizedStreamHeaderIsRejectedBeforeItCompletes() {
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(300, 4, 8));
            String header = "<?xml version='1.0'?><stream:stream to='";
            h.feed(header + "a".repeat(300 - header.length()));
            assertThat(h.parser.isFailed()).isFalse();
            assertThat(conditionOf(() -> h.feed("a"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
            assertThat(h.events).isEmpty();
        }

        @Test
        void endlessPrologWhitespaceIsRejected() {
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(300, 4, 8));
            assertThat(conditionOf(() -> h.feed(" ".repeat(301)))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void depthIsLimited() {
            RecordingHandler ok = opened();
            ok.feed("<a><b><c><d/></c></b></a>");
            assertThat(ok.elements()).hasSize(1);

            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed("<a><b><c><d><e/></d></c></b></a>")))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void depthIsCheckedAsSoonAsTheStartTagArrives() {
            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed("<a><b><c><d><e>"))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void attributesAreLimited() {
            RecordingHandler ok = opened();
            ok.feed("<message a='1' b='2' c='3' d='4' e='5'><body xmlns='urn:x' x='1' y='2' z='3' w='4'/></message>");
            assertThat(ok.elements()).hasSize(1);

            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed("<message><body a='1' b='2' c='3' d='4' e='5' f='6'/></message>")))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void namespaceDeclarationsCountAsAttributes() {
            RecordingHandler h = opened();
            assertThat(conditionOf(() -> h.feed("<message xmlns:a='urn:a' xmlns:b='urn:b' xmlns:c='urn:c' a:x='1' b:y='2' c:z='3'/>")))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }

        @Test
        void rootAttributesAreLimited() {
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(LIMIT, 4, 4));
            assertThat(conditionOf(() -> h.feed(HEADER))).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }
    }

    @Nested
    class LifeCycle {

        @Test
        void parserIsDeadAfterAStreamError() {
            RecordingHandler h = RecordingHandler.withParser();
            XmppStreamException first = streamError(() -> h.feed(HEADER + "<a></b><c/>"));
            assertThat(h.parser.isFailed()).isTrue();
            assertThatThrownBy(() -> h.feed("<presence/>"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasCause(first);
            assertThatThrownBy(() -> h.feed(""))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void parserIsDeadAfterTheHandlerThrows() {
            RuntimeException boom = new IllegalArgumentException("bad header");
            XmppStreamParser parser = new XmppStreamParser(ParserLimits.DEFAULTS, new StreamEventHandler() {
                @Override
                public void streamOpened(StreamHeader header) {
                    throw boom;
                }

                @Override
                public void element(XmlElement element) {
                }

                @Override
                public void streamClosed() {
                }
            });
            byte[] bytes = (HEADER + "<presence/>").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> parser.feed(bytes)).isSameAs(boom);
            assertThat(parser.isFailed()).isTrue();
            assertThatThrownBy(() -> parser.feed(bytes)).isInstanceOf(IllegalStateException.class).hasCause(boom);
        }

        @Test
        void endOfInputDiscardsPartialStanzaSilently() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<message><body>hal");
            assertThatCode(() -> {
                h.parser.endOfInput();
                h.parser.endOfInput();
            }).doesNotThrowAnyException();
            assertThat(h.events).containsExactly(new Opened(EXPECTED_HEADER));
            assertThatThrownBy(() -> h.feed("f</body></message>")).isInstanceOf(IllegalStateException.class);
            assertThat(h.elements()).isEmpty();
        }

        @Test
        void endOfInputBeforeAnythingIsSafe() {
            RecordingHandler h = RecordingHandler.withParser();
            h.parser.endOfInput();
            assertThat(h.events).isEmpty();
        }

        @Test
        void reentrantFeedIsRejected() {
            XmppStreamParser[] holder = new XmppStreamParser[1];
            holder[0] = new XmppStreamParser(ParserLimits.DEFAULTS, new StreamEventHandler() {
                @Override
                public void streamOpened(StreamHeader header) {
                    holder[0].feed("<presence/>".getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void element(XmlElement element) {
                }

                @Override
                public void streamClosed() {
                }
            });
            assertThatThrownBy(() -> holder[0].feed(HEADER.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void invalidRangeIsRejected() {
            RecordingHandler h = RecordingHandler.withParser();
            assertThatThrownBy(() -> h.parser.feed(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(h.parser.isFailed()).isFalse();
        }
    }

    @Nested
    class Restart {

        static final String AUTH = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGp1bGlldAByMG0zMA==</auth>";
        static final String HEADER2 = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' id='second'>";
        static final String BIND = "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r€😀</resource></bind></iq>";
        static final String AFTER = HEADER2 + BIND + " <presence/>" + CLOSE;
        static final String WHOLE = HEADER + AUTH + AFTER;

        static final StreamHeader SECOND =
                new StreamHeader("stream", STREAMS, CLIENT, "example.com", null, "second", "1.0", null);

        static RecordingHandler restartingOnAuth() {
            RecordingHandler h = RecordingHandler.withParser();
            h.restartOn = e -> e.is("auth", SASL);
            return h;
        }

        static void assertRestarted(RecordingHandler h) {
            assertThat(h.events).hasSize(6);
            assertThat(h.events.get(0)).isEqualTo(new Opened(EXPECTED_HEADER));
            assertThat(((Element) h.events.get(1)).element().is("auth", SASL)).isTrue();
            assertThat(((Element) h.events.get(1)).element().text()).isEqualTo("AGp1bGlldAByMG0zMA==");
            assertThat(h.events.get(2)).isEqualTo(new Opened(SECOND));
            XmlElement iq = ((Element) h.events.get(3)).element();
            assertThat(iq.is("iq", CLIENT)).isTrue();
            assertThat(iq.child("bind", "urn:ietf:params:xml:ns:xmpp-bind").orElseThrow()
                    .childText("resource", "urn:ietf:params:xml:ns:xmpp-bind")).contains("r€😀");
            assertThat(h.events.get(4)).isEqualTo(new Element(XmlElement.empty("presence", CLIENT)));
            assertThat(h.events.get(5)).isEqualTo(new Closed());
        }

        @Test
        void restartWithTheNewHeaderInTheSameChunk() {
            RecordingHandler h = restartingOnAuth();
            h.feed(WHOLE);
            assertRestarted(h);
        }

        @Test
        void withoutRestartTheSameBytesFail() {
            RecordingHandler h = RecordingHandler.withParser();
            assertThat(conditionOf(() -> h.feed(WHOLE))).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
        }

        @Test
        void restartWithTheNewHeaderInTheSameChunkAtAnArrayOffset() {
            RecordingHandler h = restartingOnAuth();
            h.feed(HEADER);
            byte[] tail = (AUTH + AFTER).getBytes(StandardCharsets.UTF_8);
            byte[] holder = new byte[tail.length + 100];
            java.util.Arrays.fill(holder, (byte) 'x');
            System.arraycopy(tail, 0, holder, 37, tail.length);
            h.parser.feed(holder, 37, tail.length);
            assertRestarted(h);
        }

        @Test
        void restartAcrossChunks() {
            RecordingHandler h = restartingOnAuth();
            h.feed(HEADER + "<presence/>" + AUTH);
            assertThat(h.headers()).hasSize(1);
            h.feed(HEADER2);
            h.feed(BIND);
            h.feed(" <presence/>" + CLOSE);
            assertThat(h.headers()).containsExactly(EXPECTED_HEADER, SECOND);
            assertThat(h.elements()).hasSize(4);
            assertThat(h.elements().get(2).is("iq", CLIENT)).isTrue();
        }

        @Test
        void restartAtEverySplitPoint() {
            byte[] bytes = WHOLE.getBytes(StandardCharsets.UTF_8);
            for (int split = 0; split <= bytes.length; split++) {
                RecordingHandler h = restartingOnAuth();
                h.parser.feed(bytes, 0, split);
                h.parser.feed(bytes, split, bytes.length - split);
                assertThat(h.events).as("split at %d", split).hasSize(6);
                assertRestarted(h);
            }
        }

        @Test
        void restartWithRandomChunking() {
            byte[] bytes = (HEADER + "<presence/>" + AUTH + AFTER).getBytes(StandardCharsets.UTF_8);
            for (long seed = 1; seed <= 50; seed++) {
                RecordingHandler h = restartingOnAuth();
                h.feedRandomly(bytes, new Random(seed));
                assertThat(h.headers()).as("seed %d", seed).containsExactly(EXPECTED_HEADER, SECOND);
                assertThat(h.elements()).as("seed %d", seed).hasSize(4);
                assertThat(h.closedCount()).isEqualTo(1);
            }
        }

        @Test
        void restartAfterEmptyElementAndTwiceInOneChunk() {
            RecordingHandler h = RecordingHandler.withParser();
            h.restartOn = e -> e.name().equals("proceed") || e.name().equals("success");
            h.feed(HEADER + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                    + HEADER2 + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
                    + HEADER2.replace("second", "third") + "<presence/>");
            assertThat(h.headers()).extracting(StreamHeader::id).containsExactly(null, "second", "third");
            assertThat(h.elements()).extracting(XmlElement::name).containsExactly("proceed", "success", "presence");
        }

        @Test
        void restartWhenTheElementEndsTheChunk() {
            RecordingHandler h = restartingOnAuth();
            h.feed(HEADER + AUTH);
            h.feed(AFTER);
            assertRestarted(h);
        }

        @Test
        void restartRequestedBetweenFeeds() {
            RecordingHandler h = RecordingHandler.withParser();
            h.feed(HEADER + "<presence/>");
            h.parser.requestRestart();
            h.feed(HEADER2 + "<presence/>");
            assertThat(h.headers()).containsExactly(EXPECTED_HEADER, SECOND);
            assertThat(h.elements()).hasSize(2);
        }

        @Test
        void restartedStreamIsCheckedForRestrictedXmlToo() {
            RecordingHandler h = restartingOnAuth();
            assertThat(conditionOf(() -> h.feed(HEADER + AUTH + "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>")))
                    .isEqualTo(StreamErrorCondition.RESTRICTED_XML);
        }

        @Test
        void restartedStreamHasItsOwnHeaderLimit() {
            String filler = "<message><body>" + "z".repeat(200) + "</body></message>";
            RecordingHandler h = RecordingHandler.withParser(new ParserLimits(300, 4, 8));
            h.restartOn = e -> e.is("auth", SASL);
            h.feed(HEADER + filler + filler + AUTH + HEADER2 + filler);
            assertThat(h.headers()).hasSize(2);
            assertThat(h.elements()).hasSize(4);
            assertThat(conditionOf(() -> h.feed("<message><body>" + "z".repeat(300))))
                    .isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        }
    }
}
