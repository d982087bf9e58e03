package io.aviary.gateway.http;

import io.aviary.gateway.http.bosh.BoshHandler;
import io.aviary.gateway.http.websocket.WebSocketHandler;
import io.aviary.backpressure.BusBacklogGate;
import io.aviary.gateway.limits.ConnectionLimits;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.tls.ServerTls;
import io.aviary.listen.ListeningPort;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The gateway's HTTP listeners, plain and HTTPS: BOSH at {@value #BOSH_PATH}, WebSocket at
 * {@value #WEBSOCKET_PATH} and XEP-0156 discovery at {@code /.well-known/host-meta[.json]}.
 */
public final class HttpListener implements AutoCloseable {

    public static final String BOSH_PATH = "/http-bind";
    public static final String WEBSOCKET_PATH = "/xmpp-websocket";

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);

    private final GatewayContext context;
    private final HttpProperties properties;
    private final ServerTls tls;
    private final Cors cors;
    private final ConnectionLimits limits;
    private final BoshHandler bosh;
    private final WebSocketHandler webSocket;
    private final BusBacklogGate busBacklog;
    private DisposableServer plain;
    private DisposableServer secure;

    public HttpListener(GatewayContext context, HttpProperties properties, ServerTls tls, ConnectionLimits limits) {
        this.context = context;
        this.properties = properties;
        this.tls = tls;
        this.limits = limits;
        this.cors = new Cors(properties.allowedOrigins());
        this.bosh = new BoshHandler(context, properties);
        this.webSocket = new WebSocketHandler(context);
        this.busBacklog = new BusBacklogGate(context.bus());
    }

    public void start() {
        if (!properties.enabled()) {
            return;
        }
        String address = context.properties().bindAddress();
        if (properties.port() >= 0) {
            plain = bind(properties.port(), false);
            log.info("BOSH and WebSocket (plain HTTP{}) listening on {}:{}",
                    properties.plainAuthAllowed() ? ", authentication allowed" : "", address, plain.port());
        }
        if (properties.tlsPort() >= 0) {
            secure = bind(properties.tlsPort(), true);
            log.info("BOSH and WebSocket (HTTPS) listening on {}:{}", address, secure.port());
        }
    }

    private DisposableServer bind(int port, boolean tlsPort) {
        HttpServer server = HttpServer.create()
                .host(context.properties().bindAddress())
                .port(port)
                // The request deadline takes the place of Reactor Netty's idleTimeout, which restarts with every byte.
                .readTimeout(properties.readTimeout())
                .requestTimeout(properties.readTimeout())
                // Once per connection (doOnConnection would be once per request).
                .doOnChannelInit((observer, channel, remote) -> {
                    // Over the caps: closed before a byte is read; an HTTP client has no stream to be told in.
                    if (limits.admit(channel) != null) {
                        channel.close();
                    } else {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "requestDeadline",
                                new RequestDeadline(properties.idleTimeout()));
                        // BOSH requests and WebSocket frames alike (the upgrade keeps the connection's handlers).
                        channel.pipeline().addAfter("requestDeadline", "busBacklog", busBacklog);
                    }
                })
                .route(routes -> routes(routes, tlsPort));
        if (tlsPort) {
            server = server.secure(spec -> spec.sslContext(tls.context()));
        }
        HttpServer bound = server;
        return new ListeningPort(tlsPort ? "aviary.gateway.http.tls-port" : "aviary.gateway.http.port",
                context.properties().bindAddress(), port).bind(() -> bound.bindNow(Duration.ofSeconds(10)));
    }

    private void routes(HttpServerRoutes routes, boolean tlsPort) {
        // The stream counts as encrypted on HTTPS, or on plain HTTP when the operator says so.
        boolean secureStream = tlsPort || properties.plainAuthAllowed();
        routes.options(BOSH_PATH, (req, res) -> cors.apply(req, res).send())
                .post(BOSH_PATH, (req, res) -> allowed(req)
                        ? timedOutAs408(bosh.serve(req, cors.apply(req, res), secureStream), res) : forbidden(res))
                .get(WEBSOCKET_PATH, (req, res) -> allowed(req)
                        ? timedOutAs408(webSocket.serve(req, res, secureStream), res) : forbidden(res))
                .options("/.well-known/host-meta", (req, res) -> cors.apply(req, res).send())
                .options("/.well-known/host-meta.json", (req, res) -> cors.apply(req, res).send())
                .get("/.well-known/host-meta", (req, res) -> hostMeta(req, res, tlsPort, false))
                .get("/.well-known/host-meta.json", (req, res) -> hostMeta(req, res, tlsPort, true));
    }

    /**
     * A request whose body did not arrive within {@code read-timeout} is answered {@code 408 Request Timeout} (RFC 9110
     * §15.5.9) before Reactor Netty closes the connection, where the handler's error would have made it a 500.
     */
    private static Mono<Void> timedOutAs408(Mono<Void> serving, HttpServerResponse response) {
        return serving.onErrorResume(
                e -> (e instanceof ReadTimeoutException || isRequestTimeout(e)) && !response.hasSentHeaders(),
                e -> response.status(HttpResponseStatus.REQUEST_TIMEOUT)
                        .header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).send());
    }

    /** Reactor Netty's {@code RequestTimeoutException} (from {@code requestTimeout}) is not public: known by name. */
    private static boolean isRequestTimeout(Throwable e) {
        return e.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
    }

    private boolean allowed(HttpServerRequest request) {
        return cors.allows(request.requestHeaders().get("Origin"));
    }

    private static Mono<Void> forbidden(HttpServerResponse response) {
        return response.status(403).sendString(Mono.just("origin not allowed\n")).then();
    }

    private Mono<Void> hostMeta(HttpServerRequest request, HttpServerResponse response, boolean tlsPort, boolean json) {
        String base = properties.publicUrl() != null
                ? properties.publicUrl().replaceAll("/+$", "")
                : (tlsPort ? "https://" : "http://") + request.requestHeaders().get("Host", "localhost");
        HostMeta meta = HostMeta.under(base);
        return cors.apply(request, response)
                .header("Content-Type", json ? "application/json" : "application/xrd+xml; charset=utf-8")
                .sendString(Mono.just(json ? meta.json() : meta.xrd()))
                .then();
    }

    /** The plain HTTP port, -1 when disabled. */
    public int port() {
        return plain == null ? -1 : plain.port();
    }

    /** The HTTPS port, -1 when disabled. */
    public int tlsPort() {
        return secure == null ? -1 : secure.port();
    }

    /** Stops accepting; open streams are ended by the caller first. */
    @Override
    public void close() {
        if (plain != null) {
            plain.disposeNow(Duration.ofSeconds(5));
        }
        if (secure != null) {
            secure.disposeNow(Duration.ofSeconds(5));
        }
    }
}
