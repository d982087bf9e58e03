package io.aviary.s2s;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.s2s.dialback.DialbackKeys;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.ParserLimits;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-to-server federation (RFC 6120): the one consumer (group {@code s2s}) of {@link Topics#S2S}, and the s2s
 * listeners. A stanza for a component's domain goes to the component ({@link ComponentDomains}); any other goes to the
 * outgoing stream from the sender's domain to the remote domain, made on demand. The router keys the topic by remote
 * domain, so one instance of a cluster owns each remote domain's outgoing stream and sends in routing order.
 * Incoming streams are accepted on any instance and hand their stanzas to the router.
 */
public final class Federation implements RemoteDelivery {

    private static final Logger log = LoggerFactory.getLogger(Federation.class);

    private static final int RESOLVER_THREADS = 8;
    private static final int RESOLVER_QUEUE = 1000;

    /** An outgoing stream's parties. */
    private record Pair(String local, String remote) {
    }

    private record Unreachable(Instant until, StanzaErrorCondition condition) {
    }

    private final S2sProperties properties;
    private final String domain;
    private final Predicate<String> hostedServices;
    private final StanzaBus bus;
    private volatile boolean stopping;
    private final Outbox outbox;
    private final ComponentDomains components;
    private final DialbackKeys keys;
    private final RemoteAddresses addresses;
    private final S2sTls tls;
    private final S2sMetrics metrics;
    private final DomainPolicy policy;
    private final ParserLimits limits;
    private final Map<Pair, OutgoingStream> outgoing = new ConcurrentHashMap<>();
    /** XEP-0288: incoming streams whose peer asked for our stanzas too, by (our domain, its domain). */
    private final Map<Pair, IncomingStream> bidirectional = new ConcurrentHashMap<>();
    /** Remote domains that could not be reached lately: until when their stanzas bounce at once, and with what. */
    private final Map<String, Unreachable> unreachable = new ConcurrentHashMap<>();
    /**
     * DNS lookups block: a few threads do them, with a bounded queue; what does not fit is unreachable now rather than
     * a thread per remote domain a user names.
     */
    private final ExecutorService resolver = new ThreadPoolExecutor(1, RESOLVER_THREADS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(RESOLVER_QUEUE), runnable -> {
                Thread thread = new Thread(runnable, "s2s-resolver");
                thread.setDaemon(true);
                return thread;
            });
    private S2sNetwork network;
    private Channel listener;
    private Channel directTlsListener;
    private StanzaBus.Subscription subscription;

    /**
     * @param domain         this server's domain
     * @param hostedServices whether a domain is one of this server's hosted services ({@code conference.<domain>})
     * @param components     the components' domains, asked first (null: no components)
     */
    public Federation(S2sProperties properties, String domain, Predicate<String> hostedServices, StanzaBus bus,
                      Outbox outbox, ComponentDomains components, DialbackKeys keys, RemoteAddresses addresses,
                      S2sTls tls, S2sMetrics metrics) {
        this.properties = properties;
        this.domain = canonical(domain);
        this.hostedServices = hostedServices;
        this.bus = bus;
        this.outbox = outbox;
        this.components = components;
        this.keys = keys;
        this.addresses = addresses;
        this.tls = tls;
        this.metrics = metrics;
        this.policy = new DomainPolicy(properties.allow(), properties.deny());
        ParserLimits defaults = ParserLimits.DEFAULTS;
        this.limits = new ParserLimits((int) Math.min(Integer.MAX_VALUE, properties.maxStanzaBytes().toBytes()),
                defaults.maxDepth(), defaults.maxAttributes(), defaults.maxStanzaElements());
    }

    @Override
    public void start() {
        network = new S2sNetwork(properties.idleTimeout(), properties.connectTimeout(),
                properties.maxBytesPerSecond().toBytes(), properties.maxConnectionsPerAddress(), bus);
        if (properties.port() >= 0) {
            listener = listen(properties.port(), null, properties.tlsRequired() ? "STARTTLS required" : "STARTTLS");
        }
        if (properties.directTlsPort() >= 0) {
            directTlsListener = listen(properties.directTlsPort(), tls.directServer(), "direct TLS, XEP-0368");
        }
        subscription = bus.subscribe(Topics.S2S, "s2s", this::handle);
    }

    /**
     * Opens one listener. A port another process (or another s2s instance on the same host) holds is logged, not
     * fatal: remote servers may connect to any instance of a cluster, and outgoing federation and the components
     * work without it.
     */
    private Channel listen(int port, SslContext directTls, String kind) {
        try {
            Channel bound = network.listen(properties.bindAddress(), port, directTls, link -> {
                IncomingStream stream = new IncomingStream(this, link, limits);
                network.schedule(() -> link.execute(stream::authenticationTimedOut), properties.connectTimeout());
                return stream;
            });
            log.info("s2s: listening on {} ({})", bound.localAddress(), kind);
            return bound;
        } catch (Exception e) { // Netty rethrows the BindException unchecked
            metrics.failure("listen");
            log.error("s2s: cannot listen on {}:{} ({}): {}; no incoming streams there on this instance",
                    properties.bindAddress(), port, kind, e.toString());
            return null;
        }
    }

    /** The s2s port bound (the configured one, or the one picked for port 0); -1 when not opened. */
    public int port() {
        return listener == null ? -1 : ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The direct TLS port bound; -1 when not opened. */
    public int directTlsPort() {
        return directTlsListener == null ? -1 : ((InetSocketAddress) directTlsListener.localAddress()).getPort();
    }

    private void handle(BusMessage message) {
        Stanza stanza = Stanza.of(message.stanza()).orElse(null);
        if (stanza == null) {
            return;
        }
        Jid to;
        Jid from;
        try {
            to = stanza.to();
            from = stanza.from();
        } catch (XmppStringprepException e) {
            return;
        }
        if (to == null) {
            return;
        }
        if (components != null && components.serves(to.asDomainBareJid())) {
            components.send(stanza);
            return;
        }
        String remote = to.getDomain().toString();
        String local = from == null ? domain : from.getDomain().toString();
        if (!policy.allows(remote)) {
            metrics.failure("policy");
            bounce(stanza, StanzaError.of(StanzaErrorCondition.POLICY_VIOLATION,
                    "federation with " + remote + " is not allowed"));
            return;
        }
        if (!isLocal(local)) {
            // Only this server's own entities send through its streams; the router never publishes others.
            return;
        }
        IncomingStream both = bidirectional.get(new Pair(local, remote));
        if (both != null && both.send(stanza)) {
            // XEP-0288: the remote server's own stream carries ours too; no connection of our own.
            return;
        }
        Unreachable lately = unreachable.get(remote);
        if (lately != null && Instant.now().isBefore(lately.until())) {
            metrics.failure("retry-delay");
            bounce(stanza, StanzaError.of(lately.condition()));
            return;
        }
        while (!outgoing.computeIfAbsent(new Pair(local, remote), this::connect).send(stanza)) {
            // Closed meanwhile: removed from the map by then, so the next round makes a new stream.
            outgoing.remove(new Pair(local, remote));
        }
    }

    private OutgoingStream connect(Pair pair) {
        OutgoingStream stream = OutgoingStream.stanzas(this, pair.local(), pair.remote());
        start(stream);
        return stream;
    }

    /** Resolves the remote domain and connects, bounded by {@code connect-timeout} until authenticated. */
    private void start(OutgoingStream stream) {
        ScheduledFuture<?> timeout = network.schedule(stream::setupTimedOut, properties.connectTimeout());
        Runnable resolveAndConnect = () -> {
            List<RemoteAddresses.Address> found;
            try {
                found = addresses.resolve(stream.remote());
            } catch (RuntimeException e) {
                timeout.cancel(false);
                stream.unreachable(e);
                return;
            }
            network.connect(found, tls.directClient(), stream.remote(), stream::attached, failure -> {
                timeout.cancel(false);
                stream.unreachable(failure);
            });
        };
        try {
            resolver.execute(resolveAndConnect);
        } catch (RejectedExecutionException e) {
            timeout.cancel(false);
            stream.unreachable(new IllegalStateException("too many remote domains being resolved at once"));
        }
    }

    /**
     * As the receiving server (XEP-0220 §2.3): asks {@code originating}'s authoritative server, on a stream of its
     * own, whether it issued {@code key} for our stream {@code streamId}. Completes exceptionally when it cannot be
     * asked.
     */
    CompletableFuture<Boolean> verifyDialback(String originating, String receiving, String streamId, String key) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        start(OutgoingStream.verifier(this, receiving, originating, streamId, key, answer));
        return answer;
    }

    /** The parser limits of an authenticated stream (the c2s ones, with {@code max-stanza-bytes}). */
    ParserLimits limits() {
        return limits;
    }

    /** XEP-0288: {@code stream} authenticated {@code remote} with bidi: our stanzas for it may use that stream. */
    void bidirectional(String local, String remote, IncomingStream stream) {
        bidirectional.put(new Pair(local, remote), stream);
    }

    /** The stream ended: it carries nothing of ours any more. */
    void bidirectionalClosed(IncomingStream stream) {
        bidirectional.values().removeIf(registered -> registered == stream);
    }

    /** {@code failed} tried SASL EXTERNAL and was cut off: a dialback-only stream takes its place and its stanzas. */
    void retryWithDialback(OutgoingStream failed, List<OutgoingStream.Waiting> waiting) {
        OutgoingStream retry = OutgoingStream.dialbackOnly(this, failed.local(), failed.remote());
        retry.takeOver(waiting);
        Pair pair = new Pair(failed.local(), failed.remote());
        if (!outgoing.replace(pair, failed, retry)) {
            outgoing.putIfAbsent(pair, retry);
        }
        start(retry);
    }

    /** Setting up a stream to {@code remote} failed: for {@code retry-delay} its stanzas bounce with {@code condition}. */
    void unreachable(String remote, StanzaErrorCondition condition) {
        if (!properties.retryDelay().isZero()) {
            unreachable.put(remote, new Unreachable(Instant.now().plus(properties.retryDelay()), condition));
        }
    }

    /** An outgoing stream ended: the next stanza for its domain makes a new one. */
    void removed(OutgoingStream stream) {
        outgoing.remove(new Pair(stream.local(), stream.remote()), stream);
    }

    /** A stanza from a remote server, checked and in {@code jabber:client}: routed like any other. */
    void route(Stanza stanza) {
        outbox.send(stanza);
    }

    /** RFC 6120 §8.3.1: the sender learns that the stanza did not go, unless it was itself an error or a result. */
    void bounce(Stanza stanza, StanzaError error) {
        if (stanza.isError() || (stanza.isIq() && "result".equals(stanza.type()))) {
            return;
        }
        outbox.send(stanza.errorReply(error));
    }

    /** Whether {@code domain} (canonical) is this server's domain or one of its hosted services. */
    boolean isLocal(String domain) {
        return this.domain.equals(domain) || hostedServices.test(domain);
    }

    /** {@code domain} in its canonical form (lower case, PRECIS), or null when it is not a domain. */
    String canonical(String domain) {
        if (domain == null) {
            return null;
        }
        try {
            return JidCreate.domainBareFrom(domain).toString();
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    /** The bus record being handled, held while its stanza waits for a stream; null where the bus keeps nothing. */
    StanzaBus.Hold hold() {
        return bus.hold().orElse(null);
    }

    /** Whether this instance is being closed (its streams then leave held stanzas to the bus). */
    boolean stopping() {
        return stopping;
    }

    S2sProperties properties() {
        return properties;
    }

    DomainPolicy policy() {
        return policy;
    }

    DialbackKeys keys() {
        return keys;
    }

    S2sTls tls() {
        return tls;
    }

    S2sMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        stopping = true;
        if (subscription != null) {
            subscription.close();
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (directTlsListener != null) {
            directTlsListener.close().syncUninterruptibly();
        }
        outgoing.values().forEach(OutgoingStream::close);
        resolver.shutdownNow();
        if (network != null) {
            network.close();
        }
    }
}
