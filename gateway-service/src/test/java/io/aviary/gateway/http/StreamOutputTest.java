package io.aviary.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamOutputTest {

    private final List<String> events = new ArrayList<>();
    private final StreamOutput output = new StreamOutput(new StreamOutput.Listener() {
        @Override
        public void opened(StreamHeader header) {
            events.add("open " + header.id());
        }

        @Override
        public void element(XmlElement element) {
            events.add(HttpFraming.write(element, true));
        }

        @Override
        public void closed() {
            events.add("close");
        }
    });

    private static String header(String id) {
        return "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                + "id='" + id + "' from='localhost' version='1.0'>";
    }

    @Test
    void followsTheSessionThroughSaslRestartToTheEnd() {
        output.write(header("s1"));
        output.write("<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
                + "</mechanisms></stream:features>");
        output.write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        output.write(header("s2"));
        output.write("<message xmlns='jabber:client' to='a@localhost'><body>hi</body></message>");
        output.write("<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        output.write("ignored after the end");

        assertThat(events).containsExactly(
                "open s1",
                "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms "
                        + "xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
                "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>",
                "open s2",
                "<message xmlns=\"jabber:client\" to=\"a@localhost\"><body>hi</body></message>",
                "<stream:error xmlns:stream='http://etherx.jabber.org/streams'><conflict "
                        + "xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>",
                "close");
    }
}
