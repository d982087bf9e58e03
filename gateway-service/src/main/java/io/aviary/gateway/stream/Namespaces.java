package io.aviary.gateway.stream;

/** Namespaces of stream negotiation (RFC 6120). */
final class Namespaces {
    static final String STREAMS = "http://etherx.jabber.org/streams";
    static final String CLIENT = "jabber:client";
    static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    /** RFC 3921 §3 session establishment, still sent by old clients (RFC 6121 Appendix E). */
    static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    /** XEP-0440 SASL channel-binding type capability. */
    static final String SASL_CB = "urn:xmpp:sasl-cb:0";

    private Namespaces() {
    }
}
