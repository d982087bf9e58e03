package io.aviary.admin.api;

import io.aviary.account.Accounts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Who calls the admin API, and may they. {@code Authorization: Basic} carries an account's bare JID (or username) and
 * XMPP password, checked against its SCRAM stored key as SASL PLAIN checks it ({@link Accounts#verifyPassword}); the
 * account must be one of {@code aviary.admins}, and may then do everything. {@code Authorization: Bearer} carries an API
 * token, which may do what its scopes say; token management is for administrators' logins only. A request with neither
 * header may carry a {@link SessionLogin}'s session (the web console's cookie). No or wrong credentials: 401 with a
 * challenge (none for a session, so that a browser shows no login dialog of its own); right credentials without the
 * right: 403.
 */
public final class AdminAuthentication {

    static final String CHALLENGE = "Basic realm=\"aviary admin\", Bearer realm=\"aviary admin\"";

    /** An authenticated caller: the actor the audit log names, what it may do and whether it is an administrator. */
    public record Caller(String actor, Set<Scope> scopes, boolean administrator) {
    }

    /** Either a caller allowed to go on, or the status, reason and challenge of the refusal. */
    public record Outcome(Caller caller, HttpStatus status, String reason, String challenge) {

        public static Outcome allowed(Caller caller) {
            return new Outcome(caller, HttpStatus.OK, null, null);
        }

        static Outcome unauthenticated(String reason) {
            return new Outcome(null, HttpStatus.UNAUTHORIZED, reason, CHALLENGE);
        }

        /** A session that has ended or never was: 401 without a challenge. */
        public static Outcome sessionEnded(String reason) {
            return new Outcome(null, HttpStatus.UNAUTHORIZED, reason, null);
        }

        public static Outcome forbidden(String reason) {
            return new Outcome(null, HttpStatus.FORBIDDEN, reason, null);
        }
    }

    /** A login kept by the server between requests, such as the web console's session cookie. */
    public interface SessionLogin {

        /** The outcome for a request that carries this login's session, or empty when it carries none. */
        Optional<Outcome> authorize(ServerRequest request);
    }

    private final Accounts accounts;
    private final Set<EntityBareJid> administrators;
    private final DomainBareJid domain;
    private final ApiTokens tokens;
    private final SessionLogin sessions;

    /** @param sessions the session login tried when a request has no {@code Authorization} header; null for none */
    public AdminAuthentication(Accounts accounts, Set<EntityBareJid> administrators, DomainBareJid domain, ApiTokens tokens,
                               SessionLogin sessions) {
        this.accounts = accounts;
        this.administrators = Set.copyOf(administrators);
        this.domain = domain;
        this.tokens = tokens;
        this.sessions = sessions;
    }

    /** Authenticates the request and checks {@code scope} (null: an administrator's login is required). */
    public Mono<Outcome> authorize(ServerRequest request, Scope scope) {
        String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        // PBKDF2 and the database: off the event loop.
        if (header == null) {
            return sessions == null ? Mono.just(Outcome.unauthenticated("credentials are required"))
                    : Mono.fromCallable(() -> sessions.authorize(request).map(outcome -> outcome.caller() == null
                                    ? outcome : check(outcome.caller(), scope))
                            .orElseGet(() -> Outcome.unauthenticated("credentials are required")))
                    .subscribeOn(Schedulers.boundedElastic());
        }
        return Mono.fromCallable(() -> authenticate(header).map(caller -> check(caller, scope))
                        .orElseGet(() -> Outcome.unauthenticated("wrong credentials")))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The bare JID of the administrator {@code user} (a username or a bare JID of this domain) when {@code password} is
     * its XMPP password; empty for anyone else. Blocking: PBKDF2 and the database.
     */
    public Optional<EntityBareJid> administrator(String user, String password) {
        return login(user, password).filter(Caller::administrator)
                .map(caller -> JidCreate.entityBareFromOrThrowUnchecked(caller.actor()));
    }

    private static Outcome check(Caller caller, Scope scope) {
        if (caller.administrator()) {
            return Outcome.allowed(caller);
        }
        if (caller.actor().startsWith("account:")) {
            return Outcome.forbidden("not an administrator");
        }
        if (scope == null) {
            return Outcome.forbidden("only an administrator's login may manage tokens");
        }
        return caller.scopes().contains(scope) ? Outcome.allowed(caller)
                : Outcome.forbidden("the token lacks the scope " + scope.value());
    }

    private Optional<Caller> authenticate(String header) {
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokens.verify(header.substring(7).trim())
                    .map(t -> new Caller("token:" + t.id(), t.scopes(), false));
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return login(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private Optional<Caller> login(String user, String password) {
        Optional<String> username = user == null ? Optional.empty() : username(user);
        if (username.isEmpty() || !accounts.verifyPassword(username.get(), password)) {
            return Optional.empty();
        }
        EntityBareJid jid = JidCreate.entityBareFromOrThrowUnchecked(username.get() + "@" + domain);
        return Optional.of(administrators.contains(jid)
                ? new Caller(jid.toString(), EnumSet.allOf(Scope.class), true)
                : new Caller("account:" + jid, Set.of(), false));
    }

    /** The username of {@code user}: a username, or a bare JID of this domain. */
    private Optional<String> username(String user) {
        if (!user.contains("@")) {
            return Accounts.normalize(user);
        }
        EntityBareJid jid = JidCreate.entityBareFromOrNull(user);
        return jid != null && jid.getDomain().equals(domain) ? Optional.of(jid.getLocalpart().toString()) : Optional.empty();
    }
}
