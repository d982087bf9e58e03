package io.aviary.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.s2s.RemoteAddresses.Address;
import io.aviary.s2s.RemoteAddresses.Srv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteAddressesTest {

    private final List<String> asked = new ArrayList<>();

    private RemoteAddresses.Dns dns(Map<String, List<Srv>> records) {
        return name -> {
            asked.add(name);
            return records.getOrDefault(name, List.of());
        };
    }

    @Test
    void aStaticRouteComesBeforeDns() {
        RemoteAddresses addresses = new RemoteAddresses(Map.of("b.test", "10.0.0.2:5299"), dns(Map.of()));
        assertThat(addresses.resolve("b.test")).containsExactly(new Address("10.0.0.2", 5299, false));
        assertThat(asked).isEmpty();
    }

    @Test
    void aDomainsStaticRouteServesItsSubdomainsUnlessTheyHaveTheirOwn() {
        RemoteAddresses addresses = new RemoteAddresses(Map.of("b.test", "10.0.0.2:5299",
                "pubsub.b.test", "10.0.0.3:5269"), dns(Map.of()));
        assertThat(addresses.resolve("conference.b.test")).containsExactly(new Address("10.0.0.2", 5299, false));
        assertThat(addresses.resolve("pubsub.b.test")).containsExactly(new Address("10.0.0.3", 5269, false));
        assertThat(addresses.resolve("notb.test")).as("a parent is a whole label away")
                .containsExactly(new Address("notb.test", 5269, false));
        assertThat(asked).containsExactly("_xmpps-server._tcp.notb.test", "_xmpp-server._tcp.notb.test");
    }

    @Test
    void directTlsRecordsFirstThenStartTlsRecordsEachByPriority() {
        RemoteAddresses addresses = new RemoteAddresses(Map.of(), dns(Map.of(
                "_xmpps-server._tcp.example.org", List.of(new Srv(20, 0, 5270, "b.example.org."),
                        new Srv(10, 0, 443, "a.example.org.")),
                "_xmpp-server._tcp.example.org", List.of(new Srv(5, 0, 5269, "c.example.org.")))));
        assertThat(addresses.resolve("example.org")).containsExactly(new Address("a.example.org", 443, true),
                new Address("b.example.org", 5270, true), new Address("c.example.org", 5269, false));
    }

    @Test
    void withoutRecordsTheDomainOnTheDefaultPort() {
        RemoteAddresses addresses = new RemoteAddresses(Map.of(), dns(Map.of()));
        assertThat(addresses.resolve("example.org")).containsExactly(new Address("example.org", 5269, false));
        assertThat(asked).containsExactly("_xmpps-server._tcp.example.org", "_xmpp-server._tcp.example.org");
    }

    @Test
    void aDotTargetMeansNoSuchService() {
        RemoteAddresses addresses = new RemoteAddresses(Map.of(), dns(Map.of(
                "_xmpps-server._tcp.example.org", List.of(new Srv(0, 0, 0, ".")),
                "_xmpp-server._tcp.example.org", List.of(new Srv(0, 0, 5269, "xmpp.example.org.")))));
        assertThat(addresses.resolve("example.org")).containsExactly(new Address("xmpp.example.org", 5269, false));
    }
}
