package io.aviary.xmpp.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/** Test handler recording parser events, with helpers to feed a parser in chunks. */
final class RecordingHandler implements StreamEventHandler {

    /** One recorded callback. */
    sealed interface Event permits Opened, Element, Closed {
    }

    record Opened(StreamHeader header) implements Event {
    }

    record Element(XmlElement element) implements Event {
    }

    record Closed() implements Event {
    }

    final List<Event> events = new ArrayList<>();
    XmppStreamParser parser;
    /** Elements for which the handler requests a stream restart from inside the callback. */
    Predicate<XmlElement> restartOn = e -> false;

    static RecordingHandler withParser(ParserLimits limits) {
        RecordingHandler handler = new RecordingHandler();
        handler.parser = new XmppStreamParser(limits, handler);
        return handler;
    }

    static RecordingHandler withParser() {
        return withParser(ParserLimits.DEFAULTS);
    }

    @Override
    public void streamOpened(StreamHeader header) {
        events.add(new Opened(header));
    }

    @Override
    public void element(XmlElement element) {
        events.add(new Element(element));
        if (restartOn.test(element)) {
            parser.requestRestart();
        }
    }

    @Override
    public void streamClosed() {
        events.add(new Closed());
    }

    List<XmlElement> elements() {
        return events.stream().filter(Element.class::isInstance).map(e -> ((Element) e).element()).toList();
    }

    List<StreamHeader> headers() {
        return events.stream().filter(Opened.class::isInstance).map(e -> ((Opened) e).header()).toList();
    }

    long closedCount() {
        return events.stream().filter(Closed.class::isInstance).count();
    }

    RecordingHandler feed(String xml) {
        parser.feed(xml.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Feeds one byte at a time, each from a fresh array at a non-zero offset. */
    RecordingHandler feedBytewise(String xml) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte[] holder = new byte[3];
            holder[1] = bytes[i];
            parser.feed(holder, 1, 1);
        }
        return this;
    }

    /**
     * Feeds {@code bytes} in random chunks (1 byte, a few bytes, or larger), each copied into a
     * bigger array at a random offset with garbage around it, to exercise offset handling.
     */
    RecordingHandler feedRandomly(byte[] bytes, Random random) {
        int pos = 0;
        while (pos < bytes.length) {
            int size = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(4);
                case 2 -> 1 + random.nextInt(64);
                default -> 1 + random.nextInt(1024);
            };
            size = Math.min(size, bytes.length - pos);
            int offset = random.nextInt(8);
            byte[] holder = new byte[offset + size + random.nextInt(8)];
            Arrays.fill(holder, (byte) '<');
            System.arraycopy(bytes, pos, holder, offset, size);
            parser.feed(holder, offset, size);
            pos += size;
        }
        return this;
    }
}
