package io.aviary.account;

import io.aviary.capability.EventSink;
import io.aviary.capability.Events;
import io.aviary.service.IqErrors;
import io.aviary.xep0401.Invitation;
import io.aviary.xep0401.Invitations;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0077 In-Band Registration on a stream that has not authenticated yet: the gateway hands
 * it {@code jabber:iq:register} IQs before SASL when open registration is enabled.
 *
 * <p>Errors, with the XEP's words where it has them:
 * <ul>
 * <li>username taken: {@code conflict} ("Possible causes of failure include a username conflict",
 *     §3.1, shown with {@code <conflict/>}); also the name of an account removed within the tombstone expiry
 *     ({@code aviary.accounts.tombstone-expiry}, by default for ever), with the same text: contacts' rosters, rooms
 *     and servers elsewhere may still know the name as the removed user's, and a newcomer must not inherit that
 *     (unless an operator's invitation reserved the name for them);</li>
 * <li>username or password missing or empty: {@code not-acceptable} ("If the requesting entity
 *     does not provide all of the requested information during registration ... the server or
 *     service MUST return a &lt;not-acceptable/&gt; error", §3.1, which counts an empty
 *     {@code <password/>} as not provided); also a password we can't accept (too long, or with
 *     characters PRECIS OpaqueString disallows), the same condition with a text;</li>
 * <li>username that is not a valid localpart: {@code jid-malformed}; the XEP is silent, RFC 6120
 *     §8.3.3.8 defines it for an address "or aspect thereof (such as an XMPP localpart) that
 *     violates the rules defined in [XMPP-ADDR]";</li>
 * <li>{@code <remove/>}: {@code registration-required}, the XEP's §3.2 condition for "The entity
 *     sending the remove request was not previously registered" &mdash; an unauthenticated stream
 *     has no account to cancel (Prosody answers the same);</li>
 * <li>a data form ({@code jabber:x:data}) or any child in another namespace: {@code bad-request}; we
 *     never offer a form, and the XEP says a client "MUST NOT submit both the data form and the
 *     predefined fields".</li>
 * <li>too many registrations (the gateway limits them per client address): {@code not-acceptable}, see
 *     {@link #throttled}.</li>
 * </ul>
 * Registration fields we did not ask for ({@code <name/>}, {@code <email/>}, ...) are ignored, as
 * Prosody and ejabberd do: clients and test tools send them, and we keep nothing but credentials.
 * Error replies leave out the request payload so the password is not echoed back (§3.3 asks the
 * same for password changes: "SHOULD NOT return the original XML sent in IQ error stanzas").
 */
public final class InBandRegistration {

    public static final String NAMESPACE = "jabber:iq:register";
    public static final String FEATURE_NAMESPACE = "http://jabber.org/features/iq-register";
    /** The stream feature {@code <register xmlns='http://jabber.org/features/iq-register'/>} (§7). */
    public static final XmlElement STREAM_FEATURE = XmlElement.empty("register", FEATURE_NAMESPACE);
    public static final String DEFAULT_INSTRUCTIONS = "Choose a username and password to register with this server.";

    /** XEP-0445's namespace of the token a client presents before registering ({@code <preauth/>}). */
    public static final String PREAUTH_NAMESPACE = "urn:xmpp:pars:0";
    /** XEP-0445's stream feature: registration with an invitation's token. */
    public static final XmlElement TOKEN_FEATURE = XmlElement.empty("register", "urn:xmpp:ibr-token:0");

    private final Accounts accounts;
    private final String instructions;
    private final Invitations invitations;
    private final EventSink events;
    private final Duration tombstoneExpiry;

    public InBandRegistration(Accounts accounts) {
        this(accounts, DEFAULT_INSTRUCTIONS, null, null, null);
    }

    /**
     * @param invitations     the invitations that let their holders register (XEP-0445), or null for none
     * @param events          where an accepted invitation is told ({@link Events#INVITATION_ACCEPTED}), or null
     * @param tombstoneExpiry how long a removed account's name is refused ({@link Accounts#removedWithin}), null for
     *                        ever
     */
    public InBandRegistration(Accounts accounts, String instructions, Invitations invitations, EventSink events,
                              Duration tombstoneExpiry) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.instructions = Objects.requireNonNull(instructions, "instructions");
        this.invitations = invitations;
        this.events = events;
        this.tombstoneExpiry = tombstoneExpiry;
    }

    /** Whether registration with an invitation's token is offered ({@link #TOKEN_FEATURE}). */
    public boolean takesInvitations() {
        return invitations != null;
    }

    /** True for an IQ set whose payload is XEP-0445's {@code <preauth xmlns='urn:xmpp:pars:0'/>}. */
    public static boolean isPreauth(Stanza stanza) {
        return stanza.isIq() && "set".equals(stanza.type())
                && stanza.payload().filter(p -> p.is("preauth", PREAUTH_NAMESPACE)).isPresent();
    }

    /** The answer to a {@code <preauth/>}, and the invitation it makes the stream hold (null when refused). */
    public record Preauth(Stanza reply, Invitation accepted) {
    }

    /**
     * XEP-0445 §"Pre-Authenticated In-Band Registration": a token that may create an account is accepted for the rest of
     * the stream (its expiry is checked here only; it is spent when the registration succeeds); an unknown, expired or
     * contact-only token gets {@code item-not-found}.
     */
    public Preauth preauth(Stanza iq) {
        String token = iq.payload().map(p -> p.attributeOrNull("token")).orElse(null);
        Invitation invitation = invitations == null ? null
                : invitations.find(token).filter(Invitation::register).orElse(null);
        if (invitation == null) {
            return new Preauth(error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, "The provided token is invalid or expired"),
                    null);
        }
        return new Preauth(iq.iqResult(null), invitation);
    }

    /** True for an IQ get or set whose payload is {@code <query xmlns='jabber:iq:register'/>}. */
    public static boolean accepts(Stanza stanza) {
        return stanza.isIq() && ("get".equals(stanza.type()) || "set".equals(stanza.type()))
                && stanza.payload().filter(p -> p.is("query", NAMESPACE)).isPresent();
    }

    /**
     * The reply to a registration IQ. Returns null for an IQ of type result or error, which
     * RFC 6120 §8.2.3 forbids answering; use {@link #accepts} to route only requests here.
     */
    public Stanza handle(Stanza iq) {
        return handle(iq, null);
    }

    /** The same on a stream that holds {@code invitation} (XEP-0445), or null. */
    public Stanza handle(Stanza iq, Invitation invitation) {
        if (!iq.isIq() || !("get".equals(iq.type()) || "set".equals(iq.type()))) {
            return iq.isIq() ? null : error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        Optional<XmlElement> query = iq.payload().filter(p -> p.is("query", NAMESPACE));
        if (query.isEmpty()) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        return "get".equals(iq.type()) ? form(iq) : submit(iq, query.get(), invitation);
    }

    /**
     * The reply to a registration refused because its client has registered too many accounts lately. XEP-0077
     * §3.1.1 names the condition: "a server MAY return a &lt;not-acceptable/&gt; stanza error if an unregistered
     * entity attempts to register too many times before authenticating".
     */
    public static Stanza throttled(Stanza iq) {
        return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, "Too many registrations from this address; try again later.");
    }

    private Stanza form(Stanza iq) {
        return iq.iqResult(XmlElement.builder("query", NAMESPACE)
                .textChild("instructions", instructions)
                .child(XmlElement.empty("username", NAMESPACE))
                .child(XmlElement.empty("password", NAMESPACE))
                .build());
    }

    private Stanza submit(Stanza iq, XmlElement query, Invitation invitation) {
        if (query.child("remove", NAMESPACE).isPresent()) {
            return error(iq, StanzaErrorCondition.REGISTRATION_REQUIRED, "Authenticate before cancelling a registration.");
        }
        if (!query.elements().allMatch(e -> e.namespace().equals(NAMESPACE))) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "Only the fields of " + NAMESPACE + " are supported.");
        }
        String username = query.childText("username", NAMESPACE).orElse("");
        String password = query.childText("password", NAMESPACE).orElse("");
        if (username.isEmpty() || password.isEmpty()) {
            return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, "Both username and password are required.");
        }
        String localpart = Accounts.normalize(username).orElse(username);
        if (invitation != null && invitation.username() != null && !invitation.username().equals(localpart)) {
            return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, "This invitation is for " + invitation.username());
        }
        // XEP-0445 §"Business Rules": a username an invitation reserved is kept for its holder until it expires. Only
        // an operator's account invitation reserves one, which gives out a removed account's name deliberately.
        boolean reservedForHolder = invitation != null && localpart.equals(invitation.username());
        if (invitations != null && invitations.reservedForAnother(username, invitation)
                || !reservedForHolder && accounts.removedWithin(username, tombstoneExpiry)) {
            return error(iq, StanzaErrorCondition.CONFLICT, "The username is taken.");
        }
        if (invitation != null && !invitations.spend(invitation)) {
            return error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, "The invitation was used already.");
        }
        Accounts.Result result = accounts.register(username, password);
        if (invitation != null && result.outcome() != Accounts.Outcome.CREATED) {
            invitations.restore(invitation); // the token was not used after all
        }
        return switch (result.outcome()) {
            case CREATED -> {
                if (invitation != null && invitation.inviter() != null && events != null) {
                    events.emit(Events.INVITATION_ACCEPTED, new Events.Invited(
                            JidCreate.entityBareFromOrThrowUnchecked(localpart + "@" + invitation.inviter().getDomain()),
                            invitation.inviter()));
                }
                yield iq.iqResult(null);
            }
            case EXISTS -> error(iq, StanzaErrorCondition.CONFLICT, "The username is taken.");
            case INVALID_USERNAME -> error(iq, StanzaErrorCondition.JID_MALFORMED, "The username is not valid.");
            case EMPTY_PASSWORD, PASSWORD_TOO_LONG, INVALID_PASSWORD -> error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, result.message());
            default -> error(iq, StanzaErrorCondition.INTERNAL_SERVER_ERROR, null);
        };
    }

    private static Stanza error(Stanza iq, StanzaErrorCondition condition, String text) {
        return IqErrors.withoutPayload(iq, condition, text);
    }
}
