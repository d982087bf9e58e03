package io.aviary.capability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryCapabilityCatalogueTest {

    private static final Declaration ROSTER = Declaration.builder("roster").iq("jabber:iq:roster").build();
    private static final Declaration MAM = Declaration.builder("mam").iq("urn:xmpp:mam:2").build();

    @Test
    void theSameListIsHandedOutUntilAPublicationChangesIt() {
        InMemoryCapabilityCatalogue catalogue = new InMemoryCapabilityCatalogue();
        catalogue.publish("roster", List.of(ROSTER));
        List<Declaration> first = catalogue.declarations();
        // The router tells a change by identity, for every stanza it routes.
        assertThat(catalogue.declarations()).isSameAs(first).containsExactly(ROSTER);

        catalogue.publish("archive", List.of(MAM, ROSTER));
        assertThat(catalogue.declarations()).isNotSameAs(first).containsExactly(MAM, ROSTER);
    }
}
