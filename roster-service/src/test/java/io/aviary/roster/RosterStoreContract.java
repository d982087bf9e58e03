package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.roster.SubscriptionState.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RosterStore} does; one subclass per implementation. */
abstract class RosterStoreContract {

    protected RosterStore store;

    protected abstract RosterStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    private static final RosterItem NURSE = new RosterItem("nurse@localhost", "Nurse", List.of("Household", "Capulets"),
            new SubscriptionState(Subscription.FROM, true, false, false), true);

    @Test
    void anUnknownAccountHasAnEmptyRosterAtVersionZero() {
        assertThat(store.roster("juliet")).isEqualTo(new RosterStore.Roster(0, List.of()));
        assertThat(store.item("juliet", "romeo@localhost")).isEmpty();
    }

    @Test
    void itemsKeepNameGroupsInOrderStateAndListing() {
        RosterStore.Update update = store.update("juliet", NURSE.contact(), item -> Optional.of(NURSE), 10);

        assertThat(update.changed()).isTrue();
        assertThat(update.before()).isEmpty();
        assertThat(update.version()).isEqualTo(1);
        assertThat(store.item("juliet", NURSE.contact())).contains(NURSE);
        assertThat(store.roster("juliet")).isEqualTo(new RosterStore.Roster(1, List.of(NURSE)));
        assertThat(store.roster("romeo").items()).isEmpty();
    }

    @Test
    void theLongestJidsAreKept() {
        String account = LongestJids.part(1);
        RosterItem item = RosterItem.added(LongestJids.bareJid(2)).listedWith("Longest", List.of(LongestJids.part(3)));
        store.update(account, item.contact(), before -> Optional.of(item), 10);

        assertThat(store.item(account, item.contact())).contains(item);
        assertThat(store.update(account, item.contact(), before -> Optional.empty(), 10).before()).contains(item);
        assertThat(store.roster(account).items()).isEmpty();
    }

    @Test
    void everyChangeBumpsTheVersionAndNoChangeDoesNot() {
        store.update("juliet", NURSE.contact(), item -> Optional.of(NURSE), 10);
        RosterStore.Update same = store.update("juliet", NURSE.contact(), item -> item, 10);
        assertThat(same.changed()).isFalse();
        assertThat(same.version()).isEqualTo(1);

        RosterItem renamed = NURSE.listedWith("Angelica", List.of());
        RosterStore.Update rename = store.update("juliet", NURSE.contact(), item -> Optional.of(renamed), 10);
        assertThat(rename.before()).contains(NURSE);
        assertThat(rename.after()).contains(renamed);
        assertThat(store.roster("juliet").version()).isEqualTo(2);

        RosterStore.Update removal = store.update("juliet", NURSE.contact(), item -> Optional.empty(), 10);
        assertThat(removal.after()).isEmpty();
        assertThat(store.roster("juliet")).isEqualTo(new RosterStore.Roster(3, List.of()));
    }

    @Test
    void aFullRosterRefusesNewItemsButNotChanges() {
        store.update("juliet", "a@localhost", item -> Optional.of(RosterItem.added("a@localhost")), 2);
        store.update("juliet", "b@localhost", item -> Optional.of(RosterItem.added("b@localhost")), 2);

        RosterStore.Update refused = store.update("juliet", "c@localhost", item -> Optional.of(RosterItem.added("c@localhost")), 2);
        assertThat(refused.refused()).isTrue();
        assertThat(refused.changed()).isFalse();
        assertThat(store.item("juliet", "c@localhost")).isEmpty();

        RosterStore.Update rename = store.update("juliet", "a@localhost",
                item -> item.map(i -> i.listedWith("A", List.of())), 2);
        assertThat(rename.refused()).isFalse();
        assertThat(store.item("juliet", "a@localhost").orElseThrow().name()).isEqualTo("A");
    }

    @Test
    void deleteAllForgetsTheRoster() {
        store.update("juliet", NURSE.contact(), item -> Optional.of(NURSE), 10);
        store.deleteAll("juliet");
        assertThat(store.roster("juliet")).isEqualTo(new RosterStore.Roster(0, List.of()));
    }

    @Test
    void concurrentUpdatesOfOneRosterAreNotLost() {
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String contact = "c" + i + "@localhost";
            writers.add(CompletableFuture.runAsync(() ->
                    store.update("juliet", contact, item -> Optional.of(RosterItem.added(contact)), 100)));
        }
        writers.forEach(CompletableFuture::join);

        assertThat(store.roster("juliet").items()).hasSize(20);
        assertThat(store.roster("juliet").version()).isEqualTo(20);
    }

    @Test
    void aKeptRequestLivesAsLongAsThePendingInState() {
        String stanza = "<presence xmlns='jabber:client' from='nurse@localhost' type='subscribe' id='r1'><status>hi</status></presence>";
        store.update("juliet", "nurse@localhost", item -> Optional.of(RosterItem.unlisted("nurse@localhost")
                .withState(SubscriptionState.NONE.inboundSubscribe())), 10);
        store.keepRequest("juliet", "nurse@localhost", stanza);
        assertThat(store.request("juliet", "nurse@localhost")).contains(stanza);
        assertThat(store.request("romeo", "nurse@localhost")).isEmpty();

        // A change that keeps "pending in" keeps it; the answer ends it.
        store.update("juliet", "nurse@localhost", item -> item.map(i -> i.asListed()), 10);
        assertThat(store.request("juliet", "nurse@localhost")).contains(stanza);
        store.update("juliet", "nurse@localhost", item -> item.map(i -> i.withState(i.state().outboundSubscribed())), 10);
        assertThat(store.request("juliet", "nurse@localhost")).isEmpty();

        store.keepRequest("juliet", "nurse@localhost", stanza);
        store.deleteAll("juliet");
        assertThat(store.request("juliet", "nurse@localhost")).isEmpty();
    }
}
