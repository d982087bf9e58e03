package io.aviary.gateway.stream;

import io.aviary.xmpp.sasl.ChannelBindings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What a client session needs from its connection. TCP, BOSH and WebSocket differ only here
 * (style.md: transports share one session pipeline and differ only in framing).
 */
public interface Transport {

    /** The peer's address, for logs and login throttling. */
    String remoteAddress();

    /** Whether the stream is protected by TLS (direct TLS, or STARTTLS completed). */
    boolean isSecure();

    /** Channel bindings of the TLS session, empty when not secure. */
    ChannelBindings channelBindings();

    /** Whether this transport can start TLS in the middle of the stream (TCP can; HTTP transports cannot). */
    boolean canStartTls();

    /**
     * Writes text; the transport sends it in order with everything written before. Callable from
     * any thread.
     */
    void write(String xml);

    /**
     * Arms TLS so that it begins right after {@code proceed} is written (RFC 6120 §5.4.2.3): the
     * next bytes from the client are its TLS handshake.
     */
    void startTls(String proceed);

    /** Runs a task on the thread that handles this connection's input, after what is queued there. */
    void execute(Runnable task);

    /** The host address of a peer, for {@link #remoteAddress()}. */
    static String hostOf(SocketAddress peer) {
        return peer instanceof InetSocketAddress address ? address.getAddress().getHostAddress() : String.valueOf(peer);
    }

    /**
     * Whether XEP-0198 stream management and dead-connection probes apply: true for one long-lived connection (TCP,
     * WebSocket); BOSH acknowledges by its requests and has its own inactivity limit.
     */
    default boolean supportsStreamManagement() {
        return true;
    }

    /** Flushes what was written and closes the connection. */
    void close();
}
