package io.aviary.gateway.http;

import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.sasl.ChannelBindings;

/**
 * What BOSH and WebSocket streams have in common as transports: TLS, if any, belongs to the HTTP
 * listener, so there is no STARTTLS and no channel binding for -PLUS.
 */
public abstract class HttpTransport implements Transport {

    private final boolean secure;

    /** @param secure true on the HTTPS listener, or on the plain one when the operator allows authentication there */
    protected HttpTransport(boolean secure) {
        this.secure = secure;
    }

    @Override
    public final boolean isSecure() {
        return secure;
    }

    /** The TLS session belongs to one HTTP connection, not to the XMPP stream carried over it. */
    @Override
    public final ChannelBindings channelBindings() {
        return ChannelBindings.none();
    }

    @Override
    public final boolean canStartTls() {
        return false;
    }

    @Override
    public final void startTls(String proceed) {
        throw new IllegalStateException("HTTP transports offer no STARTTLS (XEP-0206 §4, RFC 7395 §3.6)");
    }
}
