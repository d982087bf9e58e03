package io.aviary.admin.console;

import io.aviary.admin.AdminOperations;
import io.aviary.admin.api.AdminAuthentication;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jxmpp.jid.EntityBareJid;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The web admin console at {@code /admin/console/}: a page, its script and its style sheet, all served from the jar, and
 * the login resource {@code /admin/console/session} (POST logs in with an administrator's JID and XMPP password, GET
 * tells the page who is logged in and its CSRF token, DELETE logs out). Everything else the page shows and does goes
 * through the admin API ({@code /admin/api}) with the login's cookie and CSRF token, so the console can do exactly what
 * the API can and nothing more. Every response carries a Content-Security-Policy that allows scripts and styles from
 * the console's own files only (the page needs no inline script), forbids framing, and is not cached.
 */
public final class AdminConsole {

    public static final String PATH = "/admin/console/";
    private static final String SESSION = PATH + "session";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final Map<String, MediaType> FILES = Map.of(
            "index.html", MediaType.TEXT_HTML,
            "console.js", MediaType.parseMediaType("text/javascript"),
            "console.css", MediaType.parseMediaType("text/css"),
            "favicon.svg", MediaType.parseMediaType("image/svg+xml"));

    /** The login form's body. */
    record Credentials(String username, String password) {
    }

    private final ConsoleSessions sessions;
    private final AdminAuthentication authentication;
    private final AdminOperations operations;
    private final LoginThrottle throttle;
    private final boolean secureCookie;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    public AdminConsole(ConsoleSessions sessions, AdminAuthentication authentication, AdminOperations operations,
                        ConsoleProperties properties, Clock clock) {
        this.sessions = sessions;
        this.authentication = authentication;
        this.operations = operations;
        this.throttle = new LoginThrottle(properties.maxFailedLogins(), properties.failedLoginWindow(), clock);
        this.secureCookie = properties.secureCookie();
        FILES.keySet().forEach(name -> files.put(name, read(name)));
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/admin", r -> ServerResponse.seeOther(URI.create(PATH)).build())
                .GET("/admin/", r -> ServerResponse.seeOther(URI.create(PATH)).build())
                .GET("/admin/console", r -> ServerResponse.seeOther(URI.create(PATH)).build())
                .GET(PATH, r -> file("index.html"))
                .GET(SESSION, this::current)
                .POST(SESSION, this::login)
                .DELETE(SESSION, this::logout)
                .GET(PATH + "{file}", r -> FILES.containsKey(r.pathVariable("file")) ? file(r.pathVariable("file"))
                        : message(HttpStatus.NOT_FOUND, "no such page"))
                .build();
    }

    private Mono<ServerResponse> file(String name) {
        return secured(ServerResponse.ok()).contentType(FILES.get(name)).bodyValue(files.get(name));
    }

    private Mono<ServerResponse> current(ServerRequest request) {
        HttpCookie cookie = request.cookies().getFirst(ConsoleSessions.COOKIE);
        if (cookie == null) {
            return message(HttpStatus.UNAUTHORIZED, "not logged in");
        }
        return blocking(() -> sessions.session(cookie.getValue())).flatMap(session -> session.isPresent()
                ? loggedIn(secured(ServerResponse.ok()), session.get())
                : message(HttpStatus.UNAUTHORIZED, "the console login has ended; log in again"));
    }

    private Mono<ServerResponse> login(ServerRequest request) {
        // Login CSRF: a browser names the page's origin on every POST, and it must be this console's.
        if (!sameOrigin(request)) {
            return message(HttpStatus.FORBIDDEN, "a login from another site's page is refused");
        }
        String address = request.remoteAddress().map(InetSocketAddress::getAddress).map(a -> a.getHostAddress())
                .orElse("unknown");
        Duration wait = throttle.wait(address);
        if (!wait.isZero()) {
            return secured(ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS))
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, wait.toSeconds())))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("status", 429, "message", "too many failed logins from this address; try later"));
        }
        return request.bodyToMono(Credentials.class)
                .onErrorResume(e -> Mono.just(new Credentials(null, null)))
                .defaultIfEmpty(new Credentials(null, null))
                .flatMap(credentials -> {
                    if (blank(credentials.username()) || blank(credentials.password())) {
                        return message(HttpStatus.BAD_REQUEST, "username and password are required");
                    }
                    return blocking(() -> authentication.administrator(credentials.username().strip(),
                            credentials.password())).flatMap(admin -> admin.isPresent()
                            ? started(address, admin.get())
                            : refused(address, credentials.username().strip()));
                });
    }

    private Mono<ServerResponse> started(String address, EntityBareJid admin) {
        throttle.succeeded(address);
        return blocking(() -> {
            ConsoleSessions.Started started = sessions.start(admin);
            operations.audit(admin.toString(), "console-login", address, "ok");
            return started;
        }).flatMap(started -> loggedIn(secured(ServerResponse.ok()).cookie(cookie(started.cookie(), false)),
                started.session()));
    }

    private Mono<ServerResponse> refused(String address, String username) {
        throttle.failed(address);
        return blocking(() -> {
            operations.audit("console:" + address, "console-login", username, "refused");
            return true;
        }).flatMap(x -> message(HttpStatus.UNAUTHORIZED, "wrong credentials, or not an administrator"));
    }

    private Mono<ServerResponse> logout(ServerRequest request) {
        HttpCookie cookie = request.cookies().getFirst(ConsoleSessions.COOKIE);
        if (cookie == null) {
            return message(HttpStatus.UNAUTHORIZED, "not logged in");
        }
        return blocking(() -> {
            Optional<ConsoleSessions.Session> session = sessions.session(cookie.getValue());
            if (session.isEmpty()) {
                return HttpStatus.UNAUTHORIZED;
            }
            // A logout is a change too: another site must not be able to end an administrator's login.
            if (!ConsoleSessions.csrfMatches(request, session.get())) {
                return HttpStatus.FORBIDDEN;
            }
            sessions.end(cookie.getValue());
            operations.audit(session.get().admin(), "console-logout", null, "ok");
            return HttpStatus.NO_CONTENT;
        }).flatMap(status -> status == HttpStatus.NO_CONTENT
                ? secured(ServerResponse.status(HttpStatus.NO_CONTENT)).cookie(cookie("", true)).build()
                : message(status, status == HttpStatus.FORBIDDEN ? "the request lacks the login's CSRF token"
                        : "the console login has ended"));
    }

    private static Mono<ServerResponse> loggedIn(ServerResponse.BodyBuilder response, ConsoleSessions.Session session) {
        return response.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("admin", session.admin(),
                "csrf", session.csrf(), "expires", session.expires().toString()));
    }

    private ResponseCookie cookie(String value, boolean expired) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(ConsoleSessions.COOKIE, value)
                .httpOnly(true).secure(secureCookie).sameSite("Strict").path("/admin");
        return (expired ? cookie.maxAge(0) : cookie).build();
    }

    /** True when the request names no origin (not a browser's form or script) or this server's own. */
    static boolean sameOrigin(ServerRequest request) {
        String origin = request.headers().firstHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = request.headers().firstHeader(HttpHeaders.HOST);
        try {
            String authority = URI.create(origin).getRawAuthority();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ServerResponse.BodyBuilder secured(ServerResponse.BodyBuilder response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static Mono<ServerResponse> message(HttpStatus status, String message) {
        return secured(ServerResponse.status(status)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("status", status.value(), "message", message));
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static byte[] read(String name) {
        try (InputStream in = AdminConsole.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the admin service's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
