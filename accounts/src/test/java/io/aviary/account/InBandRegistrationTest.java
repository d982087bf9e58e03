package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xep0401.InMemoryInvitationStore;
import io.aviary.xep0401.Invitation;
import io.aviary.xep0401.Invitations;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** A client on a fresh, unauthenticated stream talks to the server about registration. */
class InBandRegistrationTest {

    private static final String NS = InBandRegistration.NAMESPACE;
    private static final Instant REMOVED = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final InBandRegistration registration = new InBandRegistration(new Accounts(store));

    private static Stanza iq(String type, String id, XmlNode... payload) {
        return new Stanza(Stanza.Kind.IQ, XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE)
                .attribute("type", type).attribute("id", id).children(List.of(payload)).build());
    }

    private static XmlElement query(XmlNode... children) {
        return XmlElement.builder("query", NS).children(List.of(children)).build();
    }

    private static XmlElement field(String name, String value) {
        return XmlElement.builder(name, NS).text(value).build();
    }

    private static Stanza submit(String username, String password) {
        return iq("set", "reg2", query(field("username", username), field("password", password)));
    }

    private static String condition(Stanza reply) {
        assertThat(reply.type()).isEqualTo("error");
        XmlElement error = reply.element().child("error", Stanza.CLIENT_NAMESPACE).orElseThrow();
        return error.elements().filter(e -> e.namespace().equals(StanzaErrorCondition.NAMESPACE)
                && !e.name().equals("text")).findFirst().orElseThrow().name();
    }

    /** Registration as it is at {@code now}, over the same accounts, refusing removed names for {@code expiry}. */
    private InBandRegistration registrationAt(Instant now, Duration expiry) {
        return new InBandRegistration(accountsAt(now), InBandRegistration.DEFAULT_INSTRUCTIONS, null, null, expiry);
    }

    /** The operator's view of the same accounts at {@code now}. */
    private Accounts accountsAt(Instant now) {
        return new Accounts(store, Accounts.DEFAULT_SCRAM_ITERATIONS, new SecureRandom(), new InMemoryFastTokenStore(),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The operator's view at {@link #REMOVED}, when {@code user}'s account was created and removed. */
    private Accounts removed(String user) {
        Accounts operator = accountsAt(REMOVED);
        operator.register(user, "first-password");
        operator.delete(user);
        return operator;
    }

    @Test
    void aRemovedAccountsNameIsTakenForEverByDefaultWhateverItsCaseButTheOperatorMayRecreateIt() {
        Accounts operator = removed("juliet");

        assertThat(condition(registration.handle(submit("juliet", "someone-else")))).isEqualTo("conflict");
        assertThat(condition(registrationAt(REMOVED.plus(Duration.ofDays(36500)), null)
                .handle(submit("JULIET", "someone-else")))).isEqualTo("conflict");
        assertThat(store.exists("juliet")).isFalse();

        assertThat(operator.register("juliet", "R0m30-again").outcome()).isEqualTo(Accounts.Outcome.CREATED);
    }

    @Test
    void aTombstoneExpiryLetsTheNameBeRegisteredOnceItHasPassed() {
        removed("romeo");
        Duration month = Duration.ofDays(30);

        assertThat(condition(registrationAt(REMOVED.plus(Duration.ofDays(29)), month).handle(submit("romeo", "x"))))
                .isEqualTo("conflict");
        assertThat(registrationAt(REMOVED.plus(month), month).handle(submit("romeo", "mine-now")).type())
                .isEqualTo("result");
        assertThat(store.exists("romeo")).isTrue();
    }

    @Test
    void anOperatorsInvitationReservingTheRemovedNameGivesItOutAndAnOpenOneDoesNot() {
        Accounts operator = removed("mercutio");
        Invitations invitations = new Invitations(new InMemoryInvitationStore(),
                JidCreate.domainBareFromOrThrowUnchecked("example.org"), Clock.fixed(REMOVED, ZoneOffset.UTC));
        InBandRegistration withInvitations = new InBandRegistration(operator, InBandRegistration.DEFAULT_INSTRUCTIONS,
                invitations, null, null);
        Invitation open = invitations.find(invitations.createAccount(null, null, Duration.ofDays(1)).token())
                .orElseThrow();
        Invitation naming = invitations.find(invitations.createAccount("mercutio", null, Duration.ofDays(1)).token())
                .orElseThrow();

        assertThat(condition(withInvitations.handle(submit("mercutio", "x"), open))).isEqualTo("conflict");
        assertThat(withInvitations.handle(submit("mercutio", "Qu33n-Mab-2"), naming).type()).isEqualTo("result");
        assertThat(store.exists("mercutio")).isTrue();
    }

    @Test
    void aZeroExpiryKeepsNoNameBack() {
        removed("tybalt");

        assertThat(registrationAt(REMOVED, Duration.ZERO).handle(submit("tybalt", "again")).type()).isEqualTo("result");
    }

    @Test
    void theClientAsksForTheFieldsAndGetsUsernameAndPassword() {
        Stanza reply = registration.handle(iq("get", "reg1", query()));

        assertThat(reply.type()).isEqualTo("result");
        assertThat(reply.id()).isEqualTo("reg1");
        XmlElement query = reply.payload().orElseThrow();
        assertThat(query.is("query", NS)).isTrue();
        assertThat(query.elements().map(XmlElement::name)).containsExactly("instructions", "username", "password");
        assertThat(query.childText("instructions", NS).orElseThrow()).isNotBlank();
        assertThat(query.childText("username", NS)).contains("");
    }

    @Test
    void juliaRegistersAndThenLogsInWithScram() {
        Stanza reply = registration.handle(submit("juliet", "R0m30"));

        assertThat(reply.type()).isEqualTo("result");
        assertThat(reply.id()).isEqualTo("reg2");
        assertThat(reply.payload()).isEmpty();
        assertThat(store.usernames()).containsExactly("juliet");
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            assertThat(ScramLogin.login(store, algorithm, "juliet", "R0m30")).isTrue();
        }
    }

    @Test
    void aTakenUsernameIsAConflictAndTheOwnerKeepsTheirPassword() {
        registration.handle(submit("juliet", "R0m30"));

        Stanza reply = registration.handle(submit("Juliet", "stolen"));

        assertThat(condition(reply)).isEqualTo("conflict");
        assertThat(reply.element().child("error", Stanza.CLIENT_NAMESPACE).orElseThrow().attributeOrNull("type"))
                .isEqualTo("cancel");
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_256, "juliet", "R0m30")).isTrue();
    }

    @Test
    void missingOrEmptyFieldsAreNotAcceptable() {
        assertThat(condition(registration.handle(iq("set", "a", query(field("username", "juliet"))))))
                .isEqualTo("not-acceptable");
        assertThat(condition(registration.handle(iq("set", "b", query(field("password", "R0m30"))))))
                .isEqualTo("not-acceptable");
        assertThat(condition(registration.handle(submit("juliet", "")))).isEqualTo("not-acceptable");
        assertThat(condition(registration.handle(submit("", "R0m30")))).isEqualTo("not-acceptable");
        assertThat(condition(registration.handle(iq("set", "c", query())))).isEqualTo("not-acceptable");
        assertThat(store.usernames()).isEmpty();
    }

    @Test
    void unusablePasswordsAreNotAcceptable() {
        assertThat(condition(registration.handle(submit("juliet", "x".repeat(Accounts.MAX_PASSWORD_LENGTH + 1)))))
                .isEqualTo("not-acceptable");
        assertThat(condition(registration.handle(submit("juliet", "tab\u0001")))).isEqualTo("not-acceptable");
        assertThat(store.usernames()).isEmpty();
    }

    @Test
    void aUsernameThatIsNoLocalpartIsJidMalformed() {
        Stanza reply = registration.handle(submit("juliet@capulet.lit", "R0m30"));

        assertThat(condition(reply)).isEqualTo("jid-malformed");
        assertThat(store.usernames()).isEmpty();
    }

    @Test
    void errorRepliesDoNotEchoThePassword() {
        registration.handle(submit("juliet", "R0m30"));

        Stanza reply = registration.handle(submit("juliet", "s3cr3t"));

        assertThat(reply.toXml()).doesNotContain("s3cr3t").doesNotContain("jabber:iq:register");
        assertThat(reply.id()).isEqualTo("reg2");
    }

    @Test
    void removeBeforeAuthenticationIsRegistrationRequired() {
        store.create("juliet", List.of());

        Stanza reply = registration.handle(iq("set", "unreg1", query(XmlElement.empty("remove", NS))));

        assertThat(condition(reply)).isEqualTo("registration-required");
        assertThat(store.exists("juliet")).isTrue();
    }

    @Test
    void registrationFieldsWeDidNotAskForAreIgnored() {
        Stanza reply = registration.handle(iq("set", "e", query(field("username", "juliet"), field("password", "pw"),
                field("name", "Juliet Capulet"), field("email", "j@c.lit"), field("nick", "jul"))));

        assertThat(reply.type()).isEqualTo("result");
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_256, "juliet", "pw")).isTrue();
    }

    @Test
    void dataFormsAndUnknownChildrenAreBadRequests() {
        XmlElement form = XmlElement.builder("x", "jabber:x:data").attribute("type", "submit").build();
        assertThat(condition(registration.handle(iq("set", "f", query(form))))).isEqualTo("bad-request");
        assertThat(condition(registration.handle(iq("set", "x", query(field("username", "juliet"),
                field("password", "pw"), form))))).isEqualTo("bad-request");
        assertThat(condition(registration.handle(iq("get", "q",
                XmlElement.empty("query", "jabber:iq:roster"))))).isEqualTo("bad-request");
        assertThat(store.usernames()).isEmpty();
    }

    @Test
    void resultsAndErrorsAreNeverAnswered() {
        assertThat(registration.handle(iq("result", "r", query()))).isNull();
        assertThat(registration.handle(iq("error", "e", query()))).isNull();
    }

    @Test
    void acceptsOnlyRegistrationRequests() {
        assertThat(InBandRegistration.accepts(iq("get", "1", query()))).isTrue();
        assertThat(InBandRegistration.accepts(submit("a", "b"))).isTrue();
        assertThat(InBandRegistration.accepts(iq("result", "2", query()))).isFalse();
        assertThat(InBandRegistration.accepts(iq("get", "3", XmlElement.empty("query", "jabber:iq:roster")))).isFalse();
        assertThat(InBandRegistration.accepts(iq("get", "4"))).isFalse();
    }

    @Test
    void theStreamFeatureIsTheXepOne() {
        assertThat(InBandRegistration.STREAM_FEATURE.toXml())
                .isEqualTo("<register xmlns=\"http://jabber.org/features/iq-register\"/>");
    }
}
