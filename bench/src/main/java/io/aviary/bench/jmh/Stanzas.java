package io.aviary.bench.jmh;

import io.aviary.xmpp.xml.XmlElement;

/** The typical one-to-one chat message the benchmarks push through each hot path. */
final class Stanzas {

    static final String DOMAIN = "localhost";

    private Stanzas() {
    }

    static String account(int n) {
        return "bench-" + n + "@" + DOMAIN;
    }

    /** A chat message with a body, a thread, an origin id and a chat-state notification, as modern clients send. */
    static XmlElement chat(int from, int to, int seq) {
        return XmlElement.builder("message", "jabber:client")
                .attribute("from", account(from) + "/phone")
                .attribute("to", account(to))
                .attribute("type", "chat")
                .attribute("id", "m-" + seq)
                .textChild("body", "Hello there, this is message number " + seq + " of the benchmark run.")
                .textChild("thread", "7c8f2ad1-benchmark-thread")
                .child(XmlElement.builder("origin-id", "urn:xmpp:sid:0").attribute("id", "oid-" + seq).build())
                .child(XmlElement.empty("active", "http://jabber.org/protocol/chatstates"))
                .build();
    }
}
