package io.aviary.admin;

import io.aviary.account.Accounts;
import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.EventSink;
import io.aviary.capability.KeyValueStore;
import io.aviary.service.BusRequests;
import io.aviary.service.MessageOfTheDay;
import io.aviary.service.Outbox;
import io.aviary.session.AccountRemoval;
import io.aviary.session.SessionControl;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * What an administrator can do, in one place for the XEP-0133 commands and the admin API: accounts (create, delete,
 * password, lock), sessions (list, end), counts, announcements and the message of the day. Every change is audited
 * ({@link AuditLog}) with the actor that asked.
 *
 * <p>Deleting an account runs the path in-band cancellation (XEP-0077) runs: the account goes, {@code account.removed}
 * is emitted (server-wide: rosters, offline messages, archives, PEP, uploads go with it) and its sessions end with
 * {@code not-authorized}. Ending a session sends {@link BusMessage#CONTROL_KICK} to its gateway's topic.
 */
public final class AdminOperations {

    /** One user as the admin views show it. */
    public record User(String username, String jid, boolean locked, List<SessionEntry> sessions) {
    }

    /** A page of users: the usernames on it, the total number of accounts, where it starts and its size. */
    public record Page(List<String> usernames, int total, int offset, int limit) {
    }

    /** Counters for the dashboards and XEP-0133's get-*-num commands. */
    public record Statistics(int registeredUsers, int onlineUsers, int onlineSessions, int gateways) {
    }

    private final Accounts accounts;
    private final SessionRegistry sessions;
    private final StanzaBus bus;
    private final Outbox outbox;
    private final AccountRemoval removal;
    private final DomainBareJid domain;
    private final AuditLog audit;
    private final Clock clock;
    /** The message of the day's store, bound by the service-admin capability (its own store) when it registers. */
    private final AtomicReference<KeyValueStore> motdStore = new AtomicReference<>();

    public AdminOperations(Accounts accounts, SessionRegistry sessions, StanzaBus bus, EventSink events,
                           DomainBareJid domain, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.bus = bus;
        this.outbox = new Outbox(bus);
        this.removal = new AccountRemoval(sessions, bus, events);
        this.domain = domain;
        this.audit = audit;
        this.clock = clock;
    }

    public DomainBareJid domain() {
        return domain;
    }

    public AuditLog audit() {
        return audit;
    }

    // Accounts

    public Accounts.Result createUser(String actor, String username, String password) {
        return audited(actor, "create-user", accounts.register(username, password));
    }

    public Accounts.Result changePassword(String actor, String username, String password) {
        return audited(actor, "change-password", accounts.changePassword(username, password));
    }

    /** Deletes the account and everything kept for it, and ends its sessions (see the class comment). */
    public Accounts.Result deleteUser(String actor, String username) {
        Accounts.Result result = accounts.delete(username);
        if (result.ok()) {
            removal.removed(jid(result.username()),
                    session -> XmlElement.empty("account-removed", Stanza.CLIENT_NAMESPACE));
        }
        return audited(actor, "delete-user", result);
    }

    /** Locks the account (no login) and ends its sessions, or unlocks it. */
    public Accounts.Result setLocked(String actor, String username, boolean locked) {
        Accounts.Result result = accounts.setLocked(username, locked);
        if (result.ok() && locked) {
            sessions.sessions(jid(result.username())).forEach(this::kick);
        }
        return audited(actor, locked ? "lock-user" : "unlock-user", result);
    }

    public boolean exists(String username) {
        return accounts.exists(username);
    }

    public Optional<User> user(String username) {
        Optional<String> name = Accounts.normalize(username).filter(accounts::exists);
        return name.map(n -> new User(n, n + "@" + domain, accounts.locked(n), sessions.sessions(jid(n))));
    }

    /** Usernames containing {@code search}, alphabetically, {@code limit} from {@code offset}; the total is of the matches. */
    public Page users(String search, int offset, int limit) {
        return new Page(accounts.store().usernames(search, offset, limit), accounts.store().count(search), offset, limit);
    }

    // Sessions

    public List<SessionEntry> sessionsOf(String username) {
        return Accounts.normalize(username).map(n -> sessions.sessions(jid(n))).orElse(List.of());
    }

    public Set<String> gateways() {
        return new TreeSet<>(sessions.gateways());
    }

    /** The sessions bound through one gateway instance, by full JID. */
    public List<SessionEntry> sessionsOfGateway(String gatewayId) {
        return sessions.sessionsOf(gatewayId).stream().sorted(Comparator.comparing(Object::toString))
                .flatMap(jid -> sessions.session(jid).stream()).toList();
    }

    /** Every bound session of the server, by full JID. */
    public List<SessionEntry> allSessions() {
        return gateways().stream().flatMap(g -> sessionsOfGateway(g).stream())
                .sorted(Comparator.comparing(s -> s.jid().toString())).toList();
    }

    /**
     * Ends the sessions of {@code address}: every session of an account (a bare JID or a username) or the one of a full
     * JID. Returns how many were ended.
     */
    public int endSessions(String actor, String address) {
        List<SessionEntry> ended = resolveSessions(address);
        ended.forEach(this::kick);
        audit(actor, "end-sessions", address, ended.size() + " ended");
        return ended.size();
    }

    private List<SessionEntry> resolveSessions(String address) {
        EntityFullJid full = JidCreate.entityFullFromOrNull(address);
        if (full != null) {
            return sessions.session(full).stream().toList();
        }
        EntityBareJid bare = JidCreate.entityBareFromOrNull(address);
        if (bare != null) {
            return bare.getDomain().equals(domain) ? sessions.sessions(bare) : List.of();
        }
        return sessionsOf(address);
    }

    private void kick(SessionEntry session) {
        SessionControl.send(bus, session, XmlElement.empty("kick", Stanza.CLIENT_NAMESPACE), BusMessage.CONTROL_KICK);
    }

    public Statistics statistics() {
        List<SessionEntry> all = allSessions();
        return new Statistics(accounts.store().count(),
                (int) all.stream().map(s -> s.jid().asEntityBareJid()).distinct().count(), all.size(), gateways().size());
    }

    // Messages to users

    /** A headline from the domain to every available resource (XEP-0133 announce); returns how many got it. */
    public int announce(String actor, String text) {
        List<SessionEntry> available = allSessions().stream().filter(SessionEntry::available).toList();
        available.forEach(s -> outbox.send(MessageOfTheDay.headline(domain, s.jid().toString(), "Announcement", text)));
        audit(actor, "announce", null, available.size() + " resources");
        return available.size();
    }

    /** Binds the message of the day to its store: the service-admin capability's, once it registers. */
    public void bindMotdStore(KeyValueStore store) {
        motdStore.set(store);
    }

    public Optional<String> motd() {
        return store().get(domain.toString(), "motd");
    }

    /**
     * Sets the message of the day: available resources get it now, others when they next come online (each account
     * once per text, {@link MessageOfTheDay}). Returns how many got it now.
     */
    public int setMotd(String actor, String text) {
        store().put(domain.toString(), "motd", text);
        MessageOfTheDay greeting = greeting();
        List<SessionEntry> available = allSessions().stream().filter(SessionEntry::available).toList();
        available.forEach(s -> greeting.greeting(domain, s.jid(), text).ifPresent(outbox::send));
        audit(actor, "set-motd", null, "set");
        return available.size();
    }

    public void deleteMotd(String actor) {
        store().delete(domain.toString(), "motd");
        audit(actor, "delete-motd", null, "deleted");
    }

    /** What greets a resource that came online: the message of the day, once per account and text. */
    public Optional<XmlElement> greetingFor(EntityFullJid resource) {
        return motd().flatMap(text -> greeting().greeting(domain, resource, text));
    }

    private MessageOfTheDay greeting() {
        return new MessageOfTheDay(store());
    }

    private KeyValueStore store() {
        KeyValueStore store = motdStore.get();
        if (store == null) {
            throw new IllegalStateException("the message of the day needs the service-admin capability");
        }
        return store;
    }

    // Audit

    private Accounts.Result audited(String actor, String action, Accounts.Result result) {
        audit(actor, action, result.username(), result.outcome().name().toLowerCase(java.util.Locale.ROOT));
        return result;
    }

    /** Audits a change another service makes ({@link UserRosters}, {@link HostedServices}) once it is answered. */
    public <T> CompletableFuture<T> audited(String actor, String action, String target, CompletableFuture<T> change) {
        return change.whenComplete((result, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            audit(actor, action, target, cause == null ? "done"
                    : cause instanceof BusRequests.Unanswered unanswered ? unanswered.condition() : "failed");
        });
    }

    /** Records a change in the audit log. */
    public void audit(String actor, String action, String target, String outcome) {
        audit.record(new AuditLog.Entry(clock.instant(), actor, action, target, outcome));
    }

    private EntityBareJid jid(String username) {
        return JidCreate.entityBareFromOrThrowUnchecked(username + "@" + domain);
    }
}
