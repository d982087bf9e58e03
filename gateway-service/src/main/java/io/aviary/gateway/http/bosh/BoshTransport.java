package io.aviary.gateway.http.bosh;

import io.aviary.gateway.http.HttpTransport;
import io.aviary.gateway.http.StreamOutput;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;

/**
 * A client stream carried by a BOSH session (XEP-0206). There is no connection of its own: what the
 * session writes is parsed back into elements and queued for the next HTTP response.
 */
final class BoshTransport extends HttpTransport {

    private final BoshSession session;
    private final String remoteAddress;
    private final StreamOutput output;

    BoshTransport(BoshSession session, String remoteAddress, boolean secure) {
        super(secure);
        this.session = session;
        this.remoteAddress = remoteAddress;
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
    public void execute(Runnable task) {
        session.loop().execute(task);
    }

    /** XEP-0198 over BOSH adds nothing: each request acknowledges the responses before it (XEP-0124 §9). */
    @Override
    public boolean supportsStreamManagement() {
        return false;
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
