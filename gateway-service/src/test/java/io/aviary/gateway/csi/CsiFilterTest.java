package io.aviary.gateway.csi;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The positions the filter hands on: what stream management acknowledges and discards depends on them. */
class CsiFilterTest {

    private final List<String> events = new ArrayList<>();
    private final CsiFilter filter = new CsiFilter(10, new CsiFilter.Output() {
        @Override
        public void write(long position, XmlElement stanza) {
            events.add("write " + position);
        }

        @Override
        public void discarded(long position) {
            events.add("discarded " + position);
        }
    }, new CsiFilter.Meter() {
        @Override
        public void flushed(int stanzas) {
        }

        @Override
        public void dropped() {
        }
    });

    private static XmlElement presence(String from) {
        return XmlFragment.parse("<presence xmlns='jabber:client' from='" + from + "' to='a@localhost/p'/>");
    }

    @Test
    void aSupersededPresenceIsDiscardedByPositionAndTheRestKeepTheirPositionsAndOrder() {
        filter.clientState("inactive");
        filter.input(1, presence("b@localhost/pc"));
        filter.input(2, presence("c@localhost/pc"));
        filter.input(3, presence("b@localhost/pc"));
        filter.input(4, XmlFragment.parse("<iq xmlns='jabber:client' type='result' id='x'/>"));
        assertThat(events).containsExactly("discarded 1", "write 2", "write 3", "write 4");
    }

    @Test
    void anActiveClientGetsEverythingAtOnce() {
        filter.input(7, presence("b@localhost/pc"));
        filter.input(8, presence("b@localhost/pc"));
        assertThat(events).containsExactly("write 7", "write 8");
    }
}
