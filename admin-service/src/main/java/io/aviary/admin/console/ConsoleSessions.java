package io.aviary.admin.console;

import io.aviary.admin.api.AdminAuthentication;
import io.aviary.admin.api.ApiTokens;
import io.aviary.admin.api.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;
import org.springframework.http.HttpCookie;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The console's logins. A login is a random cookie ({@value #COOKIE}, HttpOnly, SameSite=Strict) and a random CSRF
 * token the page holds in memory and sends in {@value #CSRF_HEADER} with every API call: a request that carries the
 * cookie without the token (what another site could make a browser send) is refused. Only the SHA-256 of the cookie is
 * stored, in the database when there is one, so any admin instance of a cluster knows the login and a restart keeps it.
 * A login ends after {@code idle-timeout} without requests, at logout, or when its JID is no longer an administrator.
 */
public final class ConsoleSessions implements AdminAuthentication.SessionLogin {

    public static final String COOKIE = "aviary_console";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    /** A login as stored: who, its CSRF token and when it ends unless used. */
    public record Session(String admin, String csrf, Instant expires) {
    }

    /** A new login and the only time its cookie value is seen. */
    public record Started(Session session, String cookie) {
    }

    /** Where logins are kept, by the hash of their cookie. */
    public interface Store {
        void save(String hash, Session session);

        Optional<Session> byHash(String hash);

        void extend(String hash, Instant expires);

        boolean delete(String hash);

        void deleteExpired(Instant now);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final Set<EntityBareJid> administrators;
    private final Duration idleTimeout;
    private final Clock clock;

    public ConsoleSessions(Store store, Set<EntityBareJid> administrators, Duration idleTimeout, Clock clock) {
        this.store = store;
        this.administrators = Set.copyOf(administrators);
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    public Started start(EntityBareJid admin) {
        Instant now = clock.instant();
        store.deleteExpired(now);
        String cookie = random();
        Session session = new Session(admin.toString(), random(), now.plus(idleTimeout));
        store.save(ApiTokens.hash(cookie), session);
        return new Started(session, cookie);
    }

    /** The live login of {@code cookie}; its end moves on when half its idle time has passed. */
    public Optional<Session> session(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.empty();
        }
        String hash = ApiTokens.hash(cookie);
        Instant now = clock.instant();
        Optional<Session> stored = store.byHash(hash);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Session session = stored.get();
        if (!session.expires().isAfter(now) || administrators.stream().noneMatch(a -> a.toString().equals(session.admin()))) {
            store.delete(hash);
            return Optional.empty();
        }
        if (Duration.between(now, session.expires()).compareTo(idleTimeout.dividedBy(2)) < 0) {
            Instant extended = now.plus(idleTimeout);
            store.extend(hash, extended);
            return Optional.of(new Session(session.admin(), session.csrf(), extended));
        }
        return Optional.of(session);
    }

    public boolean end(String cookie) {
        return cookie != null && store.delete(ApiTokens.hash(cookie));
    }

    /** The cookie's login, if the request also proves with the CSRF token that the console's page sent it. */
    @Override
    public Optional<AdminAuthentication.Outcome> authorize(ServerRequest request) {
        HttpCookie cookie = request.cookies().getFirst(COOKIE);
        if (cookie == null) {
            return Optional.empty();
        }
        Optional<Session> session = session(cookie.getValue());
        if (session.isEmpty()) {
            return Optional.of(AdminAuthentication.Outcome.sessionEnded("the console login has ended; log in again"));
        }
        if (!csrfMatches(request, session.get())) {
            return Optional.of(AdminAuthentication.Outcome.forbidden("a console request needs its login's " + CSRF_HEADER));
        }
        return Optional.of(AdminAuthentication.Outcome.allowed(
                new AdminAuthentication.Caller(session.get().admin(), EnumSet.allOf(Scope.class), true)));
    }

    static boolean csrfMatches(ServerRequest request, Session session) {
        String sent = request.headers().firstHeader(CSRF_HEADER);
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrf().getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** In the {@code admin_console_sessions} table (accounts module migration {@code V22__admin_console}). */
    public static Store jdbc(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new Store() {
            @Override
            public void save(String hash, Session session) {
                jdbc.sql("INSERT INTO admin_console_sessions (hash, admin, csrf, expires_at) VALUES (?, ?, ?, ?)")
                        .params(hash, session.admin(), session.csrf(), Timestamp.from(session.expires())).update();
            }

            @Override
            public Optional<Session> byHash(String hash) {
                return jdbc.sql("SELECT admin, csrf, expires_at FROM admin_console_sessions WHERE hash = ?").param(hash)
                        .query((rs, n) -> new Session(rs.getString("admin"), rs.getString("csrf"),
                                rs.getTimestamp("expires_at").toInstant())).optional();
            }

            @Override
            public void extend(String hash, Instant expires) {
                jdbc.sql("UPDATE admin_console_sessions SET expires_at = ? WHERE hash = ?")
                        .params(Timestamp.from(expires), hash).update();
            }

            @Override
            public boolean delete(String hash) {
                return jdbc.sql("DELETE FROM admin_console_sessions WHERE hash = ?").param(hash).update() > 0;
            }

            @Override
            public void deleteExpired(Instant now) {
                jdbc.sql("DELETE FROM admin_console_sessions WHERE expires_at <= ?").param(Timestamp.from(now)).update();
            }
        };
    }

    /** In memory: a server without a database. */
    public static Store inMemory() {
        Map<String, Session> byHash = new ConcurrentHashMap<>();
        return new Store() {
            @Override
            public void save(String hash, Session session) {
                byHash.put(hash, session);
            }

            @Override
            public Optional<Session> byHash(String hash) {
                return Optional.ofNullable(byHash.get(hash));
            }

            @Override
            public void extend(String hash, Instant expires) {
                byHash.computeIfPresent(hash, (h, s) -> new Session(s.admin(), s.csrf(), expires));
            }

            @Override
            public boolean delete(String hash) {
                return byHash.remove(hash) != null;
            }

            @Override
            public void deleteExpired(Instant now) {
                byHash.values().removeIf(s -> !s.expires().isAfter(now));
            }
        };
    }
}
