package io.aviary.xep0363;

import io.aviary.listen.ListeningPort;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP side of XEP-0363 (§6): PUT to a signed slot URL, GET and HEAD of stored files, CORS preflights. A PUT body
 * is spooled to a file as it arrives (never held in memory) and handed to the {@link FileStore} once it has exactly the
 * signed size; at most {@code maxConcurrentUploads} are received at once.
 */
public final class UploadHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UploadHttpServer.class);
    private static final int CHUNK = 64 * 1024;

    private final FileStore store;
    private final SlotSigner signer;
    private final Path spool;
    private final Duration expiry;
    private final Semaphore uploads;
    private final UploadMetrics metrics;
    private final Clock clock;
    /**
     * Event loops of its own: Reactor Netty's global ones are disposed when any Spring context of the process that
     * used them closes (another tier's in the same JVM, as in the cluster tests), which would leave this port refusing
     * connections.
     */
    private final LoopResources loops = LoopResources.create("upload-http");
    private DisposableServer server;

    public UploadHttpServer(FileStore store, SlotSigner signer, Path spool, Duration expiry, int maxConcurrentUploads,
                            UploadMetrics metrics, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.spool = spool;
        this.expiry = expiry;
        this.uploads = new Semaphore(maxConcurrentUploads);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Listens on {@code host:port}, over TLS when {@code tls} is given. */
    public void start(String host, int port, SslContext tls) throws IOException {
        Files.createDirectories(spool);
        HttpServer http = HttpServer.create().runOn(loops).host(host).port(port)
                // A stalled client cannot hold an upload permit for ever.
                .idleTimeout(Duration.ofSeconds(60))
                .handle(this::serve);
        if (tls != null) {
            http = http.secure(spec -> spec.sslContext(tls));
        }
        HttpServer bound = http;
        server = new ListeningPort("aviary.upload.http.port", host, port).bind(() -> bound.bindNow(Duration.ofSeconds(10)));
        log.info("HTTP upload listening on {}:{} ({})", host, server.port(), tls != null ? "HTTPS" : "plain HTTP");
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        response.header("Access-Control-Allow-Origin", "*");
        Optional<FileKey> key = uri.path().startsWith(Slots.PATH)
                ? FileKey.parse(uri.path().substring(Slots.PATH.length())) : Optional.empty();
        HttpMethod method = request.method();
        if (key.isEmpty()) {
            return status(response, HttpResponseStatus.NOT_FOUND);
        }
        if (method.equals(HttpMethod.OPTIONS)) {
            // CORS preflight (web clients PUT with a Content-Type, which makes the request non-simple).
            return response.status(HttpResponseStatus.NO_CONTENT)
                    .header("Access-Control-Allow-Methods", "GET, HEAD, PUT, OPTIONS")
                    .header("Access-Control-Allow-Headers", "Content-Type")
                    .header("Access-Control-Max-Age", "86400").send();
        }
        if (method.equals(HttpMethod.PUT)) {
            return put(key.get(), uri.parameters(), request, response);
        }
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return get(key.get(), method.equals(HttpMethod.HEAD), response);
        }
        response.header(HttpHeaderNames.ALLOW, "GET, HEAD, PUT, OPTIONS");
        return status(response, HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    private Mono<Void> put(FileKey key, Map<String, List<String>> query, HttpServerRequest request,
                           HttpServerResponse response) {
        long size;
        Instant expires;
        String contentType = first(query, "type");
        try {
            size = Long.parseLong(first(query, "size"));
            expires = Instant.ofEpochSecond(Long.parseLong(first(query, "expires")));
        } catch (NumberFormatException e) {
            return refuse(response, HttpResponseStatus.FORBIDDEN);
        }
        // Any change to the path, size, type or expiry breaks the signature (XEP-0363 §11).
        if (contentType == null || !signer.verify(key, size, contentType, expires, first(query, "sig"))
                || clock.instant().isAfter(expires)) {
            return refuse(response, HttpResponseStatus.FORBIDDEN);
        }
        // XEP-0363 §6: the Content-Length must be the size of the slot request; a larger body is 413.
        long length;
        try {
            length = Long.parseLong(request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH, "-1"));
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length > size) {
            return refuse(response, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        }
        String sentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        if (length != size || !sentType.trim().equalsIgnoreCase(contentType)) {
            return refuse(response, HttpResponseStatus.BAD_REQUEST);
        }
        if (!uploads.tryAcquire()) {
            response.header(HttpHeaderNames.RETRY_AFTER, "5");
            return refuse(response, HttpResponseStatus.SERVICE_UNAVAILABLE);
        }
        return Mono.fromCallable(() -> store.stat(key).isPresent()).subscribeOn(Schedulers.boundedElastic())
                .flatMap(exists -> exists ? refuse(response, HttpResponseStatus.CONFLICT)
                        : receive(key, size, contentType, request, response))
                .doFinally(signal -> uploads.release());
    }

    private Mono<Void> receive(FileKey key, long size, String contentType, HttpServerRequest request,
                               HttpServerResponse response) {
        return Mono.using(() -> Files.createTempFile(spool, key.token(), ".put"), file -> {
            AtomicLong received = new AtomicLong();
            return Mono.using(() -> Files.newOutputStream(file), out -> request.receive().asByteArray()
                    .publishOn(Schedulers.boundedElastic())
                    .doOnNext(chunk -> write(out, chunk, received, size))
                    .then(), this::closeQuietly)
                    .then(Mono.fromCallable(() -> {
                        if (received.get() != size) {
                            return HttpResponseStatus.BAD_REQUEST;
                        }
                        try (InputStream in = Files.newInputStream(file)) {
                            store.put(key, size, contentType, in);
                        } catch (FileAlreadyExistsException e) {
                            return HttpResponseStatus.CONFLICT; // the same URL PUT twice at once
                        }
                        metrics.stored(size);
                        return HttpResponseStatus.CREATED;
                    }).subscribeOn(Schedulers.boundedElastic()))
                    .onErrorResume(e -> {
                        log.debug("HTTP upload: PUT of {} failed: {}", key, e.toString());
                        return Mono.just(e instanceof TooLong ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                                : HttpResponseStatus.INTERNAL_SERVER_ERROR);
                    })
                    .flatMap(status -> status == HttpResponseStatus.CREATED
                            ? recorded(response.status(status), status).send().then()
                            : refuse(response, status));
        }, file -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("HTTP upload: cannot delete the spooled {}: {}", file, e.toString());
            }
        });
    }

    /** A body longer than its Content-Length said, which Netty's codec should already have cut. */
    private static final class TooLong extends IOException {
        TooLong() {
            super("body longer than the slot's size");
        }
    }

    private static void write(OutputStream out, byte[] chunk, AtomicLong received, long size) {
        try {
            if (received.addAndGet(chunk.length) > size) {
                throw new TooLong();
            }
            out.write(chunk);
        } catch (IOException e) {
            throw reactor.core.Exceptions.propagate(e);
        }
    }

    private Mono<Void> get(FileKey key, boolean head, HttpServerResponse response) {
        return Mono.fromCallable(() -> head ? store.stat(key).map(f -> new FileStore.Download(f, null))
                        : store.get(key))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> {
                    if (found.isEmpty() || found.get().file().created().plus(expiry).isBefore(clock.instant())) {
                        found.map(FileStore.Download::content).ifPresent(this::closeQuietly);
                        return status(response, HttpResponseStatus.NOT_FOUND);
                    }
                    FileStore.Download download = found.get();
                    SafeServing.headers(download.file(), response);
                    response.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(download.file().size()));
                    if (head) {
                        return response.send();
                    }
                    return response.sendByteArray(chunks(download.content())).then();
                });
    }

    /** The file read in chunks on a worker thread, closed when sent or abandoned. */
    private Flux<byte[]> chunks(InputStream content) {
        return Flux.using(() -> content, in -> Flux.<byte[]>generate(sink -> {
            try {
                byte[] chunk = in.readNBytes(CHUNK);
                if (chunk.length == 0) {
                    sink.complete();
                } else {
                    sink.next(chunk);
                }
            } catch (IOException e) {
                sink.error(e);
            }
        }), this::closeQuietly).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Void> refuse(HttpServerResponse response, HttpResponseStatus status) {
        return status(recorded(response, status), status);
    }

    private HttpServerResponse recorded(HttpServerResponse response, HttpResponseStatus status) {
        metrics.put(status.code());
        return response;
    }

    private static Mono<Void> status(HttpServerResponse response, HttpResponseStatus status) {
        return response.status(status).header(HttpHeaderNames.CONTENT_LENGTH, "0").send();
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    private void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            log.debug("HTTP upload: close failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
        }
        // The server is closed: no quiet period (Reactor Netty's default waits two seconds for tasks).
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(10));
    }
}
