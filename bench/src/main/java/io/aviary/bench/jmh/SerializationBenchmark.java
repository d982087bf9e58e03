package io.aviary.bench.jmh;

import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The write path: a stanza from the element model to the UTF-8 bytes a connection (or the bus) carries. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializationBenchmark {

    private XmlElement message;

    @Setup
    public void setUp() {
        message = Stanzas.chat(1, 2, 42);
    }

    /** As written to a client stream, whose default namespace is jabber:client. */
    @Benchmark
    public byte[] toStreamBytes() {
        return XmlWriter.write(message, "jabber:client").getBytes(StandardCharsets.UTF_8);
    }

    /** Standalone, with its namespace declared, as carried in a bus record. */
    @Benchmark
    public byte[] toStandaloneBytes() {
        return message.toXml().getBytes(StandardCharsets.UTF_8);
    }
}
