package io.aviary.gateway.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

/**
 * An {@link SslContext} whose key and certificate can be replaced while listeners use it: every new engine (a new
 * connection, or a STARTTLS) comes from the context in place at that moment; connections already established keep
 * theirs. The listeners (TCP and Reactor Netty's HTTPS) are given this one object once.
 */
final class ReloadableSslContext extends SslContext {

    private volatile SslContext current;

    ReloadableSslContext(SslContext initial) {
        this.current = initial;
    }

    void replace(SslContext replacement) {
        current = replacement;
    }

    @Override
    public boolean isClient() {
        return current.isClient();
    }

    @Override
    public List<String> cipherSuites() {
        return current.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator allocator) {
        return current.newEngine(allocator);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator allocator, String peerHost, int peerPort) {
        return current.newEngine(allocator, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.sessionContext();
    }
}
