package io.aviary.xmpp.sasl;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The channel bindings the current stream's TLS session can provide, by type, in preference order.
 * Empty on a stream without TLS; then no -PLUS mechanism is offered. The transport builds this once
 * the TLS handshake is done (RFC 6120 §5: SASL follows STARTTLS, or direct TLS per XEP-0368).
 */
public final class ChannelBindings {

    private static final ChannelBindings NONE = new ChannelBindings(List.of());

    private final Map<String, ChannelBinding> byType;

    private ChannelBindings(List<ChannelBinding> bindings) {
        Map<String, ChannelBinding> map = new LinkedHashMap<>();
        for (ChannelBinding binding : bindings) {
            Objects.requireNonNull(binding, "binding");
            if (map.putIfAbsent(binding.type(), binding) != null) {
                throw new IllegalArgumentException("duplicate channel binding type: " + binding.type());
            }
        }
        this.byType = Collections.unmodifiableMap(map);
    }

    /** No channel binding: a plaintext stream, or TLS whose bindings are not available. */
    public static ChannelBindings none() {
        return NONE;
    }

    /** Exactly these bindings, most preferred first. */
    public static ChannelBindings of(ChannelBinding... bindings) {
        return bindings.length == 0 ? NONE : new ChannelBindings(List.of(bindings));
    }

    /**
     * The bindings a finished TLS session offers.
     *
     * @param protocol the negotiated protocol, as in {@code SSLSession.getProtocol()} ("TLSv1.3").
     * @param serverCertificate the certificate this server presented, or null (e.g. PSK resumption
     *     without a certificate); gives tls-server-end-point when RFC 5929 defines it for the cert.
     * @param tlsExporter the RFC 9266 exporter value, or null when the TLS stack cannot export.
     *     Used only for TLS 1.3: for TLS 1.2 RFC 9266 §3 requires the extended master secret
     *     extension, which we cannot verify from here, so we leave tls-exporter out there.
     */
    public static ChannelBindings forTls(String protocol, X509Certificate serverCertificate, byte[] tlsExporter) {
        List<ChannelBinding> bindings = new ArrayList<>(2);
        if (tlsExporter != null && "TLSv1.3".equals(protocol)) {
            // Preferred: it binds to this connection, not just to the server's identity (RFC 9266 §1).
            bindings.add(ChannelBinding.tlsExporter(tlsExporter));
        }
        if (serverCertificate != null) {
            ChannelBinding.tlsServerEndPoint(serverCertificate).ifPresent(bindings::add);
        }
        return bindings.isEmpty() ? NONE : new ChannelBindings(bindings);
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /** The binding of {@code type}, if this session offers it. */
    public Optional<ChannelBinding> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Offered type names, most preferred first (for XEP-0440 advertisement). */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelBindings other && byType.equals(other.byType);
    }

    @Override
    public int hashCode() {
        return byType.hashCode();
    }

    @Override
    public String toString() {
        return "ChannelBindings" + types();
    }
}
