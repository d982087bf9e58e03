package io.aviary.xep0199;

import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;

/** XEP-0199 XMPP Ping: the server answers a ping addressed to it with an empty result (§4.2). */
public final class Ping implements IqHandler {

    public static final String NAMESPACE = "urn:xmpp:ping";

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        return iq.iqResult(null);
    }
}
