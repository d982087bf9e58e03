package io.aviary.xep0115;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xep0030.DiscoInfo;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityCapabilitiesTest {

    /** XEP-0115 §5.2 "Simple Generation Example": Exodus 0.9.1. */
    @Test
    void verificationStringOfTheSimpleGenerationExample() {
        DiscoInfo exodus = new DiscoInfo(List.of(new DiscoInfo.Identity("client", "pc", "Exodus 0.9.1")),
                Set.of("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                        "http://jabber.org/protocol/muc", "http://jabber.org/protocol/caps"));

        assertThat(EntityCapabilities.verificationString(exodus)).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    @Test
    void streamFeatureCarriesHashNodeAndVerOfTheCurrentInfo() {
        DiscoInfo server = new DiscoInfo(List.of(new DiscoInfo.Identity("server", "im", "Aviary")), Set.of("urn:xmpp:ping"));
        EntityCapabilities caps = new EntityCapabilities("urn:aviary:server", () -> server);

        XmlElement c = caps.streamFeatures().get(0);

        assertThat(c.is("c", EntityCapabilities.NAMESPACE)).isTrue();
        assertThat(c.attributeOrNull("hash")).isEqualTo("sha-1");
        assertThat(c.attributeOrNull("node")).isEqualTo("urn:aviary:server");
        assertThat(c.attributeOrNull("ver")).isEqualTo(EntityCapabilities.verificationString(server));
        assertThat(caps.isCapsNode("urn:aviary:server#" + c.attributeOrNull("ver"))).isTrue();
        assertThat(caps.isCapsNode("urn:aviary:server#stale")).isFalse();
    }
}
