package io.aviary.bus;

/** Topic names of design.md's stanza path. */
public final class Topics {

    /** Stanzas from clients, keyed by the bare JID whose state they touch. */
    public static final String ROUTE = "xmpp.route";
    /** Requests addressed to the server itself, for the services that answer them. */
    public static final String SERVICE = "xmpp.service";

    private Topics() {
    }

    /** Deliveries for the connections of one gateway instance. */
    public static String gateway(String gatewayId) {
        return "xmpp.gateway." + gatewayId;
    }
}
