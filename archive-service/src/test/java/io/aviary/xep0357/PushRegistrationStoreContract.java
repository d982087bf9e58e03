package io.aviary.xep0357;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PushRegistrationStore} does; one subclass per implementation. */
abstract class PushRegistrationStoreContract {

    private static final String ALICE = "alice@example.org";
    private static final XmlElement SECRET = XmlElement.builder("x", "jabber:x:data").attribute("type", "submit")
            .child(XmlElement.builder("field", "jabber:x:data").attribute("var", "secret")
                    .textChild("value", "s3cr&t").build()).build();

    private PushRegistrationStore store;

    protected abstract PushRegistrationStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    @Test
    void keepsRegistrationsWithTheirPublishOptionsPerOwner() {
        store.enable(new PushRegistration(ALICE, "push.example.net", "n1", SECRET));
        store.enable(new PushRegistration(ALICE, "push.example.net", "n2", null));
        store.enable(new PushRegistration("bob@example.org", "push.example.net", "n1", null));

        assertThat(store.registrations(ALICE)).containsExactlyInAnyOrder(
                new PushRegistration(ALICE, "push.example.net", "n1", SECRET),
                new PushRegistration(ALICE, "push.example.net", "n2", null));
        assertThat(store.registrations("carol@example.org")).isEmpty();
    }

    @Test
    void enablingTheSameServiceAndNodeAgainKeepsTheLastPublishOptions() {
        store.enable(new PushRegistration(ALICE, "push.example.net", "n1", SECRET));
        store.enable(new PushRegistration(ALICE, "push.example.net", "n1", null));

        assertThat(store.registrations(ALICE)).containsExactly(new PushRegistration(ALICE, "push.example.net", "n1", null));
    }

    @Test
    void disablesOneNodeOrAllNodesOfAService() {
        store.enable(new PushRegistration(ALICE, "push.example.net", "n1", null));
        store.enable(new PushRegistration(ALICE, "push.example.net", "n2", null));
        store.enable(new PushRegistration(ALICE, "other.example.net", "n1", null));

        store.disable(ALICE, "push.example.net", "n1");
        assertThat(store.registrations(ALICE)).extracting(r -> r.service() + "/" + r.node())
                .containsExactlyInAnyOrder("push.example.net/n2", "other.example.net/n1");

        store.disable(ALICE, "other.example.net", null);
        assertThat(store.registrations(ALICE)).extracting(r -> r.service() + "/" + r.node())
                .containsExactly("push.example.net/n2");
    }

    @Test
    void removesEverythingOfARemovedAccount() {
        store.enable(new PushRegistration(ALICE, "push.example.net", "n1", null));
        store.enable(new PushRegistration("bob@example.org", "push.example.net", "n1", null));

        store.removeAll(ALICE);

        assertThat(store.registrations(ALICE)).isEmpty();
        assertThat(store.registrations("bob@example.org")).hasSize(1);
    }
}
