package io.aviary.gateway;

import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.gateway.csi.CsiFilter;
import io.aviary.xmpp.xml.XmlElement;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * What the gateway implements itself, declared like every capability so it shows in the specifications table:
 * client streams (always on with the gateway), carbons and CSI, stream management and SASL2 (each switched by its own
 * {@code aviary.gateway.*.enabled}), and the HTTP transports, whose switch is the HTTP listener's own
 * ({@code aviary.gateway.http.enabled}).
 */
@AutoConfiguration(before = GatewayConfiguration.class)
@ConditionalOnProperty(prefix = "aviary.gateway", name = "enabled", matchIfMissing = true)
public class GatewayCapabilities {

    @Bean
    public Capability c2sCapability() {
        return Capability.of(Declaration.builder("c2s")
                .summary("client streams: TCP with STARTTLS or direct TLS, SASL, resource binding")
                .complete("RFC 6120", "XMPP Core", "RFC", "streams, STARTTLS, SASL, resource binding (server-generated "
                        + "resources; a second connection for a bound full JID replaces the first with a `conflict` stream "
                        + "error), stanza routing, stream and stanza errors, XML restrictions of §11, size/depth/attribute limits")
                .complete("RFC 7622", "Address Format", "RFC", "PRECIS profiles through jxmpp")
                .complete("RFC 5802", "SCRAM", "RFC", "with RFC 7677: SCRAM-SHA-1, SCRAM-SHA-256, SCRAM-SHA-512, each also "
                        + "-PLUS (opt-in, `sasl-channel-binding`); only salted keys are stored")
                .complete("RFC 4616", "PLAIN", "RFC", "only over TLS")
                .complete("RFC 3921", "session establishment", "RFC", "answered for old clients, advertised as optional")
                .complete("XEP-0368", "SRV records for XMPP over TLS", "1.1.0", "direct TLS port, with ALPN xmpp-client")
                .partial("XEP-0440", "SASL Channel-Binding Type Capability", "0.4.0",
                        "tls-server-end-point only, advertised with -PLUS")
                .build(), registrar -> { });
    }

    /**
     * XEP-0198 in the gateway, its state in the resumption store (io.aviary.gateway.sm). The {@code <sm/>} feature is
     * not declared here: the gateway offers it per transport (not on BOSH), after authentication.
     */
    @Bean
    @ConditionalOnProperty(prefix = "aviary.gateway.stream-management", name = "enabled", matchIfMissing = true)
    public Capability streamManagementCapability() {
        return Capability.of(Declaration.builder("stream-management")
                .summary("acknowledgements and resumption on any gateway, for TCP and WebSocket streams")
                .complete("XEP-0198", "Stream Management", "1.6.3", "acks both ways, server-requested acks, resumption "
                        + "on any gateway (also after the first one died or stopped), hibernated sessions stay available "
                        + "and queue, unacknowledged messages re-routed when the resumption time ends; also inline in "
                        + "SASL2/Bind2; counters do not wrap at 2^32")
                .build(), registrar -> { });
    }

    /** One-round-trip login (io.aviary.gateway.sasl2). */
    @Bean
    @ConditionalOnProperty(prefix = "aviary.gateway.sasl2", name = "enabled", matchIfMissing = true)
    public Capability sasl2Capability() {
        return Capability.of(Declaration.builder("sasl2")
                .summary("one-round-trip login: SASL2 with resource binding, carbons and stream management inline, FAST tokens")
                .partial("XEP-0388", "Extensible SASL Profile", "0.4.0", "authenticate, challenge/response, success "
                        + "with additional data and authorization identifier, failure, abort, user agent, inline features; "
                        + "no `<continue/>` tasks")
                .partial("XEP-0386", "Bind 2", "0.4.0", "tag and user-agent-derived resource, inline carbons and "
                        + "stream management; no offline-message or MAM hints")
                .partial("XEP-0484", "Fast Authentication Streamlining Tokens", "0.2.0", "HT-SHA-256-NONE, -ENDP and "
                        + "-EXPR (no -UNIQ); tokens stored hashed, rotated, revoked on password change and account removal")
                .complete("XEP-0474", "SASL SCRAM Downgrade Protection", "0.5.0",
                        "the `h` attribute in SCRAM's server-first, in both SASL profiles; HT-* never in the hash")
                .build(), registrar -> { });
    }

    /** The gateway switches carbons per session (CarbonsSwitch); the router makes the copies (CarbonCopies). */
    @Bean
    public Capability carbonsCapability() {
        return Capability.of(Declaration.builder("carbons")
                .summary("copies of one-to-one messages for each of an account's resources that enabled them")
                .complete("XEP-0280", "Message Carbons", "1.0.1", "`urn:xmpp:carbons:rules:0`: chat, normal with a body "
                        + "and bounces from a bare JID are copied; groupchat, headlines, MUC messages, `<private/>` (removed "
                        + "before delivery) and messages the server sends again (offline) are not")
                .complete("XEP-0334", "Message Processing Hints", "0.3.0",
                        "`no-copy` (no carbon copies), `no-store` (neither kept offline nor archived), "
                                + "`no-permanent-store` (not archived) and `store` (archived without a body)")
                .discoFeature("urn:xmpp:carbons:2")
                .discoFeature("urn:xmpp:carbons:rules:0")
                .build(), registrar -> { });
    }

    /** Every stream holds what can wait while its client is inactive (CsiFilter). */
    @Bean
    public Capability csiCapability() {
        return Capability.of(Declaration.builder("csi")
                .summary("presence and chat states held while a client says it is inactive")
                .complete("XEP-0352", "Client State Indication", "1.0.0", "as Prosody's mod_csi_simple: presence "
                        + "updates (the latest per contact resource) and chat-state-only messages wait; messages with a "
                        + "body, errors, IQs and subscription requests go out at once, after what waited")
                .streamFeature(XmlElement.empty("csi", CsiFilter.NAMESPACE))
                .build(), registrar -> { });
    }

    @Bean
    @ConditionalOnProperty(prefix = "aviary.gateway.http", name = "enabled", matchIfMissing = true)
    public Capability httpTransportsCapability() {
        return Capability.of(Declaration.builder("http-transports")
                .summary("BOSH and WebSocket on the HTTP listener, discovered through host-meta")
                .complete("RFC 7395", "XMPP over WebSocket", "RFC",
                        "`/xmpp-websocket`, `xmpp` subprotocol, one stanza per message")
                .partial("XEP-0124", "BOSH", "1.11.2", "`/http-bind`: rid window and retransmission, "
                        + "hold/wait/inactivity/polling/requests, pause, terminate and the error conditions; no `key` "
                        + "sequences, multiple streams or acks reports")
                .complete("XEP-0206", "XMPP Over BOSH", "1.4", "restart after SASL")
                .complete("XEP-0156", "Discovering Alternative XMPP Connection Methods", "1.4.0",
                        "`/.well-known/host-meta` and `host-meta.json`")
                .build(), registrar -> { });
    }
}
