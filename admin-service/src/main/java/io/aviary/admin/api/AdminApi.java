package io.aviary.admin.api;

import io.aviary.account.Accounts;
import io.aviary.admin.AbuseReview;
import io.aviary.admin.AdminOperations;
import io.aviary.admin.HostedServices;
import io.aviary.admin.UserRosters;
import io.aviary.bus.Topics;
import io.aviary.service.BusRequests;
import io.aviary.service.InvitationIssuer;
import io.aviary.session.SessionEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The admin REST API under {@code /admin/api}, on the server's management port ({@code server.port}), described by
 * {@code /admin/api/openapi.json}. Every endpoint but the description needs an administrator's HTTP Basic login or an
 * API token with the endpoint's {@link Scope} ({@link AdminAuthentication}); token management needs an administrator's
 * login. Every change goes through {@link AdminOperations}, which audits it. Blocking work (the database, PBKDF2) runs
 * on Reactor's bounded elastic scheduler, off the event loop.
 */
public final class AdminApi {

    public static final String BASE = "/admin/api";
    private static final int MAX_PAGE = 500;

    /** One endpoint: method, path (OpenAPI's template syntax, which WebFlux shares), scope (null: administrators only). */
    public record Endpoint(HttpMethod method, String path, Scope scope, Handler handler) {
    }

    @FunctionalInterface
    public interface Handler {
        Mono<ServerResponse> handle(ServerRequest request, AdminAuthentication.Caller caller);
    }

    // Request bodies.
    record NewUser(String username, String password) {
    }

    record Password(String password) {
    }

    record Message(String message) {
    }

    record NewToken(String name, List<String> scopes) {
    }

    /** A roster item's name and groups (RFC 6121 §2.1.2), as an administrator sets them. */
    record ContactChange(String name, List<String> groups) {
    }

    /** An account invitation (XEP-0401): a reserved username and an inviter to befriend, both optional. */
    record NewInvitation(String username, String inviter) {
    }

    private final AdminOperations operations;
    private final AdminAuthentication authentication;
    private final ApiTokens tokens;
    private final AbuseReview review;
    private final InvitationIssuer invitations;
    private final Duration invitationValidity;
    private final ServerInformation server;
    private final UserRosters rosters;
    private final HostedServices hosted;
    private final String openApi;

    /**
     * @param invitations        makes account invitations; null when invitations are off (the endpoint answers 404)
     * @param invitationValidity how long those are accepted
     * @param server             the cluster view, capabilities, configuration and this process's figures
     * @param rosters            accounts' rosters, through the roster service
     * @param hosted             rooms and pubsub nodes, through the services that hold them
     */
    public AdminApi(AdminOperations operations, AdminAuthentication authentication, ApiTokens tokens,
                    AbuseReview review, InvitationIssuer invitations, Duration invitationValidity,
                    ServerInformation server, UserRosters rosters, HostedServices hosted) {
        this.server = server;
        this.rosters = rosters;
        this.hosted = hosted;
        this.operations = operations;
        this.authentication = authentication;
        this.tokens = tokens;
        this.review = review;
        this.invitations = invitations;
        this.invitationValidity = invitationValidity;
        this.openApi = readOpenApi();
    }

    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint(HttpMethod.GET, BASE + "/users", Scope.USERS_READ, this::listUsers),
                new Endpoint(HttpMethod.POST, BASE + "/users", Scope.USERS_WRITE, this::createUser),
                new Endpoint(HttpMethod.GET, BASE + "/users/{username}", Scope.USERS_READ, this::user),
                new Endpoint(HttpMethod.DELETE, BASE + "/users/{username}", Scope.USERS_WRITE, this::deleteUser),
                new Endpoint(HttpMethod.PUT, BASE + "/users/{username}/password", Scope.USERS_WRITE, this::changePassword),
                new Endpoint(HttpMethod.POST, BASE + "/users/{username}/lock", Scope.USERS_WRITE,
                        (r, c) -> lock(r, c, true)),
                new Endpoint(HttpMethod.POST, BASE + "/users/{username}/unlock", Scope.USERS_WRITE,
                        (r, c) -> lock(r, c, false)),
                new Endpoint(HttpMethod.GET, BASE + "/users/{username}/sessions", Scope.SESSIONS_READ, this::userSessions),
                new Endpoint(HttpMethod.DELETE, BASE + "/users/{username}/sessions", Scope.SESSIONS_WRITE, this::kick),
                new Endpoint(HttpMethod.GET, BASE + "/users/{username}/roster", Scope.ROSTERS_READ,
                        (r, c) -> ofAccount(r, username -> answered(rosters.roster(username), true))),
                new Endpoint(HttpMethod.PUT, BASE + "/users/{username}/roster/{contact}", Scope.ROSTERS_WRITE,
                        this::putContact),
                new Endpoint(HttpMethod.DELETE, BASE + "/users/{username}/roster/{contact}", Scope.ROSTERS_WRITE,
                        (r, c) -> ofAccount(r, username -> contact(r).flatMap(contact -> answered(
                                rosters.remove(c.actor(), username, contact), false)))),
                new Endpoint(HttpMethod.GET, BASE + "/rooms", Scope.ROOMS_READ, (r, c) -> answered(hosted.rooms(), true)),
                new Endpoint(HttpMethod.DELETE, BASE + "/rooms/{room}", Scope.ROOMS_WRITE, this::destroyRoom),
                new Endpoint(HttpMethod.GET, BASE + "/pubsub/nodes", Scope.PUBSUB_READ,
                        (r, c) -> answered(hosted.nodes(), true)),
                new Endpoint(HttpMethod.DELETE, BASE + "/pubsub/nodes/{node}", Scope.PUBSUB_WRITE,
                        (r, c) -> answered(hosted.deleteNode(c.actor(), r.pathVariable("node")), false)),
                new Endpoint(HttpMethod.GET, BASE + "/gateways", Scope.SESSIONS_READ, this::gateways),
                new Endpoint(HttpMethod.GET, BASE + "/gateways/{gateway}/sessions", Scope.SESSIONS_READ,
                        this::gatewaySessions),
                new Endpoint(HttpMethod.GET, BASE + "/statistics", Scope.STATS_READ,
                        (r, c) -> ok(blocking(operations::statistics))),
                new Endpoint(HttpMethod.GET, BASE + "/metrics", Scope.STATS_READ,
                        (r, c) -> ok(Mono.fromSupplier(server::metrics))),
                new Endpoint(HttpMethod.GET, BASE + "/cluster", Scope.SERVER_READ, (r, c) -> ok(blocking(server::cluster))),
                new Endpoint(HttpMethod.GET, BASE + "/capabilities", Scope.SERVER_READ,
                        (r, c) -> ok(blocking(server::capabilities))),
                new Endpoint(HttpMethod.GET, BASE + "/configuration", Scope.SERVER_READ,
                        (r, c) -> ok(Mono.fromSupplier(server::configuration))),
                new Endpoint(HttpMethod.POST, BASE + "/broadcast", Scope.BROADCAST, this::broadcast),
                new Endpoint(HttpMethod.PUT, BASE + "/motd", Scope.BROADCAST, this::setMotd),
                new Endpoint(HttpMethod.DELETE, BASE + "/motd", Scope.BROADCAST, (r, c) -> blocking(() -> {
                    operations.deleteMotd(c.actor());
                    return true;
                }).flatMap(x -> ServerResponse.noContent().build())),
                new Endpoint(HttpMethod.GET, BASE + "/audit", Scope.AUDIT_READ,
                        (r, c) -> page(r).flatMap(p -> ok(blocking(() -> operations.audit().latest(p.limit()))))),
                new Endpoint(HttpMethod.GET, BASE + "/reports", Scope.REPORTS_READ,
                        (r, c) -> page(r).flatMap(p -> ok(blocking(() -> review.open(p.limit()))))),
                new Endpoint(HttpMethod.POST, BASE + "/reports/{id}/lock-sender", Scope.REPORTS_WRITE,
                        (r, c) -> reviewed(blocking(() -> review.lockSender(c.actor(), r.pathVariable("id"))))),
                new Endpoint(HttpMethod.POST, BASE + "/reports/{id}/block-domain", Scope.REPORTS_WRITE,
                        (r, c) -> reviewed(blocking(() -> review.blockDomain(c.actor(), r.pathVariable("id"))))),
                new Endpoint(HttpMethod.GET, BASE + "/blocked-domains", Scope.REPORTS_READ,
                        (r, c) -> ok(blocking(review::blockedDomains))),
                new Endpoint(HttpMethod.DELETE, BASE + "/blocked-domains/{domain}", Scope.REPORTS_WRITE,
                        (r, c) -> blocking(() -> review.unblockDomain(c.actor(), r.pathVariable("domain")))
                                .flatMap(unblocked -> unblocked ? ServerResponse.noContent().build()
                                        : error(HttpStatus.NOT_FOUND, "that domain is not blocked", null))),
                new Endpoint(HttpMethod.POST, BASE + "/reports/{id}/dismiss", Scope.REPORTS_WRITE,
                        (r, c) -> reviewed(blocking(() -> review.dismiss(c.actor(), r.pathVariable("id"))))),
                new Endpoint(HttpMethod.POST, BASE + "/invitations", Scope.INVITATIONS, this::invite),
                new Endpoint(HttpMethod.POST, BASE + "/tokens", null, this::createToken),
                new Endpoint(HttpMethod.GET, BASE + "/tokens", null, (r, c) -> ok(blocking(tokens::all))),
                new Endpoint(HttpMethod.DELETE, BASE + "/tokens/{id}", null, this::revokeToken));
    }

    public RouterFunction<ServerResponse> routes() {
        RouterFunctions.Builder routes = RouterFunctions.route()
                .GET(BASE + "/openapi.json", r -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(openApi));
        for (Endpoint endpoint : endpoints()) {
            HandlerFunction<ServerResponse> guarded = request -> authentication.authorize(request, endpoint.scope())
                    .flatMap(outcome -> outcome.caller() != null
                            ? endpoint.handler().handle(request, outcome.caller())
                                    .onErrorResume(BadInput.class, e -> badRequest(e.getMessage()))
                            : refused(outcome));
            routes.route(RequestPredicates.method(endpoint.method()).and(RequestPredicates.path(endpoint.path())), guarded);
        }
        return routes.build();
    }

    // Users

    private Mono<ServerResponse> listUsers(ServerRequest request, AdminAuthentication.Caller caller) {
        String search = request.queryParam("search").orElse(null);
        return page(request).flatMap(p -> ok(blocking(() -> operations.users(search, p.offset(), p.limit()))));
    }

    private Mono<ServerResponse> createUser(ServerRequest request, AdminAuthentication.Caller caller) {
        return body(request, NewUser.class).flatMap(user -> user.username() == null || user.password() == null
                ? badRequest("username and password are required")
                : blocking(() -> operations.createUser(caller.actor(), user.username(), user.password()))
                        .flatMap(result -> result.ok()
                                ? blocking(() -> operations.user(result.username()).orElseThrow())
                                        .flatMap(view -> ServerResponse.status(HttpStatus.CREATED)
                                                .contentType(MediaType.APPLICATION_JSON).bodyValue(view))
                                : failure(result)));
    }

    private Mono<ServerResponse> user(ServerRequest request, AdminAuthentication.Caller caller) {
        String username = request.pathVariable("username");
        return blocking(() -> operations.user(username)).flatMap(user -> user.isPresent()
                ? ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(user.get())
                : error(HttpStatus.NOT_FOUND, "no account '" + username + "'", null));
    }

    private Mono<ServerResponse> deleteUser(ServerRequest request, AdminAuthentication.Caller caller) {
        return done(blocking(() -> operations.deleteUser(caller.actor(), request.pathVariable("username"))));
    }

    private Mono<ServerResponse> changePassword(ServerRequest request, AdminAuthentication.Caller caller) {
        return body(request, Password.class).flatMap(p -> p.password() == null ? badRequest("password is required")
                : done(blocking(() -> operations.changePassword(caller.actor(), request.pathVariable("username"),
                p.password()))));
    }

    private Mono<ServerResponse> lock(ServerRequest request, AdminAuthentication.Caller caller, boolean locked) {
        return done(blocking(() -> operations.setLocked(caller.actor(), request.pathVariable("username"), locked)));
    }

    // Rosters, rooms and nodes: answered by the services that hold them

    private Mono<ServerResponse> putContact(ServerRequest request, AdminAuthentication.Caller caller) {
        return ofAccount(request, username -> contact(request).flatMap(contact -> body(request, ContactChange.class)
                .flatMap(change -> {
                    List<String> groups = change.groups() == null ? List.of() : change.groups();
                    if (groups.stream().anyMatch(group -> group == null || group.isBlank())) {
                        return badRequest("groups: names that are not empty");
                    }
                    return answered(rosters.put(caller.actor(), username, contact, change.name(), groups), false);
                })));
    }

    private Mono<ServerResponse> destroyRoom(ServerRequest request, AdminAuthentication.Caller caller) {
        String room = request.pathVariable("room");
        String local = room.contains("@") ? room.substring(0, room.indexOf('@')) : room;
        String service = room.contains("@") ? room.substring(room.indexOf('@') + 1) : null;
        if (local.isEmpty() || JidCreate.entityBareFromOrNull(local + "@" + operations.domain()) == null
                || (service != null && !hosted.address(Topics.MUC).map(service::equals).orElse(false))) {
            return badRequest("room: a room of this server's group chat service, by its JID or local part");
        }
        return answered(hosted.destroyRoom(caller.actor(), local, request.queryParam("reason").orElse(null)), false);
    }

    /** The path's account, which must exist, handed to {@code then}; 404 when it does not. */
    private Mono<ServerResponse> ofAccount(ServerRequest request, Function<String, Mono<ServerResponse>> then) {
        String username = request.pathVariable("username");
        return blocking(() -> Accounts.normalize(username).filter(operations::exists))
                .flatMap(account -> account.isPresent() ? then.apply(account.get())
                        : error(HttpStatus.NOT_FOUND, "no account '" + username + "'", null));
    }

    /** The path's contact: a bare JID (RFC 6121 §2.1.2.2). */
    private static Mono<String> contact(ServerRequest request) {
        Jid contact = JidCreate.fromOrNull(request.pathVariable("contact"));
        return contact == null || contact.hasResource() ? Mono.error(new BadInput("contact: a bare JID"))
                : Mono.just(contact.toString());
    }

    /**
     * A request another service answers: its value as JSON ({@code body}) or 204, or the HTTP status its stanza error
     * stands for: 404 for an unknown item, 400 for what the service found malformed or unacceptable, 409 for what it
     * does not allow (a full roster), 503 when the service does not run or too many requests wait, 504 without a
     * reply in time.
     */
    private static Mono<ServerResponse> answered(CompletableFuture<?> reply, boolean body) {
        return Mono.fromFuture(reply)
                .flatMap(value -> body ? ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(value)
                        : ServerResponse.noContent().build())
                .onErrorResume(BusRequests.Unanswered.class, e -> error(switch (e.condition()) {
                    case "item-not-found" -> HttpStatus.NOT_FOUND;
                    case "bad-request", "jid-malformed", "not-acceptable" -> HttpStatus.BAD_REQUEST;
                    case "not-allowed", "conflict" -> HttpStatus.CONFLICT;
                    case "service-unavailable", "resource-constraint" -> HttpStatus.SERVICE_UNAVAILABLE;
                    case "remote-server-timeout" -> HttpStatus.GATEWAY_TIMEOUT;
                    default -> HttpStatus.BAD_GATEWAY;
                }, e.getMessage(), null));
    }

    // Abuse reports and invitations

    private static Mono<ServerResponse> reviewed(Mono<AbuseReview.Outcome> outcome) {
        return outcome.flatMap(o -> switch (o) {
            case DONE -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("outcome", "done"));
            case NO_SUCH_REPORT -> error(HttpStatus.NOT_FOUND, "no such report", null);
            case NOT_A_LOCAL_ACCOUNT -> error(HttpStatus.CONFLICT, "the reported sender is no account of this server",
                    null);
            case NOT_A_REMOTE_DOMAIN -> error(HttpStatus.CONFLICT, "the reported sender is of this server's domain",
                    null);
        });
    }

    private Mono<ServerResponse> invite(ServerRequest request, AdminAuthentication.Caller caller) {
        if (invitations == null) {
            return error(HttpStatus.NOT_FOUND, "invitations are off (aviary.invitations.enabled)", null);
        }
        return body(request, NewInvitation.class).flatMap(wanted -> {
            String username = blank(wanted.username()) ? null : wanted.username().strip();
            if (username != null && Accounts.normalize(username).isEmpty()) {
                return badRequest("username: not a valid username");
            }
            EntityBareJid inviter = null;
            if (!blank(wanted.inviter())) {
                inviter = JidCreate.entityBareFromOrNull(wanted.inviter().strip());
                if (inviter == null || !inviter.asDomainBareJid().equals(operations.domain())) {
                    return badRequest("inviter: an account of this server");
                }
            }
            EntityBareJid befriend = inviter;
            return blocking(() -> {
                InvitationIssuer.Issued issued = invitations.createAccount(username, befriend, invitationValidity);
                operations.audit(caller.actor(), "create-invitation", username == null ? "" : username, "issued");
                return issued;
            }).flatMap(issued -> ServerResponse.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("uri", issued.uri(), "expires", issued.expires().toString())));
        });
    }

    // Sessions

    /** A session as the API shows it. */
    record SessionView(String jid, String gateway, String connection, int priority, boolean available,
                       boolean resumable, boolean hibernated) {

        static SessionView of(SessionEntry s) {
            return new SessionView(s.jid().toString(), s.gatewayId(), s.connectionId(), s.priority(), s.available(),
                    s.resumption() != null, s.hibernated());
        }
    }

    private Mono<ServerResponse> userSessions(ServerRequest request, AdminAuthentication.Caller caller) {
        String username = request.pathVariable("username");
        return blocking(() -> operations.exists(username)
                ? Optional.of(operations.sessionsOf(username).stream().map(SessionView::of).toList())
                : Optional.<List<SessionView>>empty())
                .flatMap(sessions -> sessions.isPresent() ? ok(Mono.just(sessions.get()))
                        : error(HttpStatus.NOT_FOUND, "no account '" + username + "'", null));
    }

    private Mono<ServerResponse> kick(ServerRequest request, AdminAuthentication.Caller caller) {
        String username = request.pathVariable("username");
        return blocking(() -> operations.exists(username)
                ? Optional.of(operations.endSessions(caller.actor(), username)) : Optional.<Integer>empty())
                .flatMap(ended -> ended.isPresent() ? ok(Mono.just(Map.of("ended", ended.get())))
                        : error(HttpStatus.NOT_FOUND, "no account '" + username + "'", null));
    }

    private Mono<ServerResponse> gateways(ServerRequest request, AdminAuthentication.Caller caller) {
        return ok(blocking(() -> operations.gateways().stream().map(id -> {
            Map<String, Object> gateway = new LinkedHashMap<>();
            gateway.put("id", id);
            gateway.put("sessions", operations.sessionsOfGateway(id).size());
            return gateway;
        }).toList()));
    }

    private Mono<ServerResponse> gatewaySessions(ServerRequest request, AdminAuthentication.Caller caller) {
        String gateway = request.pathVariable("gateway");
        return blocking(() -> operations.gateways().contains(gateway)
                ? Optional.of(operations.sessionsOfGateway(gateway).stream().map(SessionView::of).toList())
                : Optional.<List<SessionView>>empty())
                .flatMap(sessions -> sessions.isPresent() ? ok(Mono.just(sessions.get()))
                        : error(HttpStatus.NOT_FOUND, "no gateway '" + gateway + "' holds sessions", null));
    }

    // Messages

    private Mono<ServerResponse> broadcast(ServerRequest request, AdminAuthentication.Caller caller) {
        return body(request, Message.class).flatMap(m -> blank(m.message()) ? badRequest("message is required")
                : ok(blocking(() -> Map.of("delivered", operations.announce(caller.actor(), m.message())))));
    }

    private Mono<ServerResponse> setMotd(ServerRequest request, AdminAuthentication.Caller caller) {
        return body(request, Message.class).flatMap(m -> blank(m.message()) ? badRequest("message is required")
                : ok(blocking(() -> Map.of("delivered", operations.setMotd(caller.actor(), m.message())))));
    }

    // Tokens

    private Mono<ServerResponse> createToken(ServerRequest request, AdminAuthentication.Caller caller) {
        return body(request, NewToken.class).flatMap(t -> {
            if (blank(t.name()) || t.scopes() == null || t.scopes().isEmpty()) {
                return badRequest("name and scopes are required");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String scope : t.scopes()) {
                Optional<Scope> known = Scope.of(scope);
                if (known.isEmpty()) {
                    return badRequest("unknown scope '" + scope + "'");
                }
                scopes.add(known.get());
            }
            return blocking(() -> {
                ApiTokens.Created created = tokens.create(t.name(), scopes, caller.actor());
                operations.audit(caller.actor(), "create-token", created.token().id(), "created");
                return created;
            }).flatMap(created -> ServerResponse.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(created));
        });
    }

    private Mono<ServerResponse> revokeToken(ServerRequest request, AdminAuthentication.Caller caller) {
        String id = request.pathVariable("id");
        return blocking(() -> {
            boolean revoked = tokens.revoke(id);
            operations.audit(caller.actor(), "revoke-token", id, revoked ? "revoked" : "no_such_token");
            return revoked;
        }).flatMap(revoked -> revoked ? ServerResponse.noContent().build()
                : error(HttpStatus.NOT_FOUND, "no token '" + id + "'", null));
    }

    // Helpers

    private record PageRequest(int offset, int limit) {
    }

    private static Mono<PageRequest> page(ServerRequest request) {
        try {
            int offset = request.queryParam("offset").map(Integer::parseInt).orElse(0);
            int limit = request.queryParam("limit").map(Integer::parseInt).orElse(50);
            if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
                return Mono.error(new BadInput("offset must be at least 0 and limit between 1 and " + MAX_PAGE));
            }
            return Mono.just(new PageRequest(offset, limit));
        } catch (NumberFormatException e) {
            return Mono.error(new BadInput("offset and limit are numbers"));
        }
    }

    /** Bad input found before any work; answered 400. */
    private static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message, null, false, false);
        }
    }

    private static <T> Mono<T> body(ServerRequest request, Class<T> type) {
        return request.bodyToMono(type)
                .onErrorMap(e -> !(e instanceof BadInput), e -> new BadInput("the body is not the JSON expected"))
                .switchIfEmpty(Mono.error(new BadInput("a JSON body is required")));
    }

    private static <T> Mono<T> blocking(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic());
    }

    private static Mono<ServerResponse> ok(Mono<?> body) {
        return body.flatMap(b -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(b));
    }

    /** The outcome of an account change: 200 with the outcome, or the error it stands for. */
    private static Mono<ServerResponse> done(Mono<Accounts.Result> result) {
        return result.flatMap(r -> r.ok()
                ? ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("username", r.username(), "outcome", r.outcome().name().toLowerCase()))
                : failure(r));
    }

    private static Mono<ServerResponse> failure(Accounts.Result result) {
        HttpStatus status = switch (result.outcome()) {
            case NO_SUCH_USER -> HttpStatus.NOT_FOUND;
            case EXISTS -> HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_REQUEST;
        };
        return error(status, result.message(), null);
    }

    private static Mono<ServerResponse> badRequest(String message) {
        return error(HttpStatus.BAD_REQUEST, message, null);
    }

    /**
     * A refusal before the request's body was read: the connection closes after it, so an unread body cannot be taken
     * for the next request on a kept-alive connection (clients hung on exactly that).
     */
    private static Mono<ServerResponse> refused(AdminAuthentication.Outcome outcome) {
        ServerResponse.BodyBuilder response = ServerResponse.status(outcome.status())
                .contentType(MediaType.APPLICATION_JSON).header("Connection", "close");
        if (outcome.challenge() != null) {
            response.header("WWW-Authenticate", outcome.challenge());
        }
        return response.bodyValue(Map.of("status", outcome.status().value(), "message", outcome.reason()));
    }

    static Mono<ServerResponse> error(HttpStatus status, String message, String challenge) {
        ServerResponse.BodyBuilder response = ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON);
        if (challenge != null) {
            response.header("WWW-Authenticate", challenge);
        }
        return response.bodyValue(Map.of("status", status.value(), "message", message));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String readOpenApi() {
        try (InputStream in = AdminApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the admin service's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
