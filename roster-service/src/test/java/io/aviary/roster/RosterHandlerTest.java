package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.bustest.RoutedStanzas;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** Juliet's resources and her roster: who gets pushes, what a removal sends to the contact. */
class RosterHandlerTest {

    private final InProcessBus bus = new InProcessBus(1);
    private final RoutedStanzas routed = new RoutedStanzas(bus);
    private final RosterPushes pushes = new RosterPushes(new Outbox(bus), new InMemoryRosterInterest());
    private final RosterHandler handler = new RosterHandler(new InMemoryRosterStore(), pushes, new Outbox(bus),
            new RosterProperties(10, 20, 20, 4));

    @AfterEach
    void close() {
        bus.close();
    }

    private static Stanza iq(String from, String type, XmlElement... items) {
        return Stanza.of(XmlElement.builder("iq", "jabber:client").attribute("from", from).attribute("id", "r1")
                .attribute("type", type)
                .child(XmlElement.builder("query", RosterItem.NAMESPACE).children(List.of(items)).build())
                .build()).orElseThrow();
    }

    private static XmlElement item(String jid, String subscription) {
        return XmlElement.builder("item", RosterItem.NAMESPACE).attribute("jid", jid)
                .attribute("subscription", subscription).build();
    }

    @Test
    void onlyResourcesThatRequestedTheRosterGetPushes() throws Exception {
        handler.handle(iq("juliet@localhost/balcony", "get"));

        Stanza result = handler.handle(iq("juliet@localhost/chamber", "set", item("romeo@localhost", null)));

        assertThat(result.type()).isEqualTo("result");
        // The chamber set the item but never asked for the roster: only the balcony is pushed to.
        assertThat(routed.drain()).singleElement().satisfies(push -> {
            assertThat(push.attributeOrNull("to")).isEqualTo("juliet@localhost/balcony");
            assertThat(push.attributeOrNull("from")).isEqualTo("juliet@localhost");
            assertThat(push.firstChild().orElseThrow().attributeOrNull("ver")).isEqualTo("1");
        });

        pushes.notInterested(JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony"));
        handler.handle(iq("juliet@localhost/chamber", "set", item("nurse@localhost", null)));
        assertThat(routed.drain()).isEmpty();
    }

    @Test
    void aRosterGetAtTheCurrentVersionIsAnEmptyResult() {
        handler.handle(iq("juliet@localhost/balcony", "set", item("romeo@localhost", null)));
        Stanza get = Stanza.of(iq("juliet@localhost/balcony", "get").element().withChildren(List.of(
                XmlElement.builder("query", RosterItem.NAMESPACE).attribute("ver", "1").build()))).orElseThrow();

        assertThat(handler.handle(get).payload()).isEmpty();
        assertThat(handler.handle(iq("juliet@localhost/balcony", "get")).payload().orElseThrow().elements()).hasSize(1);
    }

    @Test
    void removingAnItemWithPendingRequestsCancelsThemTowardsTheContact() throws Exception {
        handler.handle(iq("juliet@localhost/balcony", "set", item("romeo@localhost", null)));
        handler.handle(iq("juliet@localhost/balcony", "set", item("romeo@localhost", "remove")));
        assertThat(routed.drain()).isEmpty(); // no subscription either way: nothing to tell Romeo

        RosterStore store = new InMemoryRosterStore();
        RosterHandler withState = new RosterHandler(store, pushes, new Outbox(bus), new RosterProperties(10, 20, 20, 4));
        store.update("juliet", "romeo@localhost", i -> Optional.of(RosterItem.added("romeo@localhost")
                .withState(new SubscriptionState(SubscriptionState.Subscription.TO, false, true, false))), 10);

        withState.handle(iq("juliet@localhost/balcony", "set", item("romeo@localhost", "remove")));

        assertThat(routed.drain()).extracting(e -> e.attributeOrNull("type") + " " + e.attributeOrNull("from") + " " + e.attributeOrNull("to"))
                .containsExactly("unsubscribe juliet@localhost romeo@localhost", "unsubscribed juliet@localhost romeo@localhost");
    }
}
