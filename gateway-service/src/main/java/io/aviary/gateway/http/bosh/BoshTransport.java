package io.aviary.gateway.http.bosh;

import io.aviary.gateway.http.StreamOutput;
import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;

/**
 * A client stream carried by a BOSH session (XEP-0206). There is no connection of its own: what the
 * session writes is parsed back into elements and queued for the next HTTP response.
 */
final class BoshTransport implements Transport {

    private final BoshSession session;
    private final String remoteAddress;
    private final boolean secure;
    private final StreamOutput output;

    BoshTransport(BoshSession session, String remoteAddress, boolean secure) {
        this.session = session;
        this.remoteAddress = remoteAddress;
        this.secure = secure;
        this.output = new StreamOutput(new StreamOutput.Listener() {
            @Override
            public void opened(StreamHeader header) {
                session.opened(header);
            }

            @Override
            public void element(XmlElement element) {
                session.element(element);
            }

            @Override
            public void closed() {
                // The session terminates on close(), which follows the closing tag or stream error.
            }
        });
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    /** True on the HTTPS listener, or on the plain one when the operator allows authentication there. */
    @Override
    public boolean isSecure() {
        return secure;
    }

    /** The TLS session belongs to one HTTP connection, not to the BOSH session that outlives it. */
    @Override
    public ChannelBindings channelBindings() {
        return ChannelBindings.none();
    }

    @Override
    public boolean canStartTls() {
        return false;
    }

    /** Inline when already on the session's event loop, so replies to a request join its response. */
    @Override
    public void write(String xml) {
        if (session.loop().inEventLoop()) {
            output.write(xml);
        } else {
            session.loop().execute(() -> output.write(xml));
        }
    }

    @Override
    public void startTls(String proceed) {
        throw new IllegalStateException("BOSH offers no STARTTLS (XEP-0206 §4)");
    }

    @Override
    public void execute(Runnable task) {
        session.loop().execute(task);
    }

    @Override
    public void close() {
        if (session.loop().inEventLoop()) {
            session.streamEnded();
        } else {
            session.loop().execute(session::streamEnded);
        }
    }
}
