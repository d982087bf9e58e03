package io.aviary.bench.jmh;

import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway's read path: {@link XmppStreamParser} turning a client's bytes into stanzas. One
 * invocation parses a stream header and {@value #STANZAS} chat messages fed in network-sized chunks;
 * the score is per stanza.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamParsingBenchmark {

    static final int STANZAS = 100;

    /** Bytes per feed: a full TCP segment, or a small read as on a slow link. */
    @Param({"1400", "64"})
    int chunk;

    private byte[] stream;

    @Setup
    public void setUp() {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?><stream:stream to='localhost' version='1.0' "
                + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        for (int i = 0; i < STANZAS; i++) {
            XmlWriter.write(Stanzas.chat(1, 2, i), "jabber:client", sb);
        }
        stream = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(STANZAS)
    public void parse(Blackhole blackhole) {
        XmppStreamParser parser = new XmppStreamParser(ParserLimits.DEFAULTS, new StreamEventHandler() {
            @Override
            public void streamOpened(StreamHeader header) {
                blackhole.consume(header);
            }

            @Override
            public void element(XmlElement element) {
                blackhole.consume(element);
            }

            @Override
            public void streamClosed() {
            }
        });
        for (int offset = 0; offset < stream.length; offset += chunk) {
            parser.feed(stream, offset, Math.min(chunk, stream.length - offset));
        }
    }
}
