package io.aviary.bus.kafka;

import io.aviary.bus.BusMessage;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How a {@link BusMessage} is written to a Kafka record: the key is the bus key, the value the stanza as
 * UTF-8 XML (declaring its namespace), each bus header a record header, plus a {@link KafkaStanzaBus#MESSAGE_ID_HEADER} that
 * identifies the publication so that a redelivered record can be recognised.
 */
final class StanzaRecords {

    static final String MESSAGE_ID = KafkaStanzaBus.MESSAGE_ID_HEADER;

    private static final byte[] STREAM_OPEN = ("<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").getBytes(StandardCharsets.US_ASCII);

    private final ParserLimits limits;

    StanzaRecords(int maxStanzaBytes) {
        // A record comes from another Aviary service, which already parsed the stanza under the client limits;
        // only the size limit differs, because server-built stanzas (a large roster result) may exceed them.
        this.limits = new ParserLimits(maxStanzaBytes, ParserLimits.DEFAULTS.maxDepth(),
                ParserLimits.DEFAULTS.maxAttributes());
    }

    /**
     * @param derived the publications of the record being handled on this thread, or null: a message published
     *                without an id of its own then gets one derived from that record, otherwise a random one
     */
    ProducerRecord<String, byte[]> toRecord(String topic, String key, BusMessage message, DerivedPublications derived) {
        byte[] value = XmlWriter.write(message.stanza(), null).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        message.headers().forEach((name, headerValue) -> record.headers().add(name, utf8(headerValue)));
        if (message.header(MESSAGE_ID) == null) {
            String id = derived == null ? UUID.randomUUID().toString() : derived.idFor(record);
            record.headers().add(MESSAGE_ID, utf8(id));
        }
        return record;
    }

    /**
     * The message of a record, its {@link #MESSAGE_ID} as {@link BusMessage#PUBLICATION}; throws for a value that is
     * not one element.
     */
    BusMessage fromRecord(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                String name = header.key().equals(MESSAGE_ID) ? BusMessage.PUBLICATION : header.key();
                headers.put(name, new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new BusMessage(parse(record.value()), headers);
    }

    /**
     * Reads the value back with the stream parser, inside a synthetic stream, so a record gets the same
     * XML restrictions (RFC 6120 §11: no DTD, comments, processing instructions) as a client's stanza.
     */
    private XmlElement parse(byte[] value) {
        List<XmlElement> elements = new ArrayList<>(1);
        XmppStreamParser parser = new XmppStreamParser(limits, new StreamEventHandler() {
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
        parser.feed(STREAM_OPEN);
        parser.feed(value);
        if (elements.size() != 1 || parser.isFailed()) {
            throw new IllegalArgumentException("the record does not hold exactly one complete element");
        }
        return elements.get(0);
    }

    /** The publication id of a record, or null when a foreign producer wrote it without one. */
    static String messageId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(MESSAGE_ID);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
