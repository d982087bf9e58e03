package io.aviary.capability;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerDescriptionTest {

    private static final XmlElement CAPS = XmlElement.builder("c", ServerDescription.CAPS_NAMESPACE)
            .attribute("hash", "sha-1").attribute("node", "urn:aviary:server").build();

    private final ServerDescription server = new ServerDescription(List.of(
            Declaration.builder("ping").iq("urn:xmpp:ping").build(),
            Declaration.builder("offline").discoFeature("msgoffline").build(),
            Declaration.builder("vcard").iq("vcard-temp").accountFeature("vcard-temp").build(),
            Declaration.builder("roster").iq("jabber:iq:roster")
                    .streamFeature(XmlElement.empty("ver", "urn:xmpp:features:rosterver")).build(),
            Declaration.builder("caps").discoFeature(ServerDescription.CAPS_NAMESPACE).streamFeature(CAPS).build()));

    @Test
    void discoInfoIsTheServerIdentityAndExactlyTheDeclaredFeatures() {
        DiscoInfo info = server.discoInfo();

        assertThat(info.identities()).containsExactly(new DiscoInfo.Identity("server", "im", "Aviary"));
        assertThat(info.features()).containsExactly("http://jabber.org/protocol/caps", "jabber:iq:roster", "msgoffline",
                "urn:xmpp:ping", "vcard-temp");
        assertThat(server.accountDiscoInfo().features()).containsExactly("vcard-temp");
    }

    @Test
    void theCapsStreamFeatureCarriesHashNodeAndVerOfTheCurrentInfo() {
        List<XmlElement> features = server.streamFeatures();
        XmlElement c = features.stream().filter(f -> f.is("c", ServerDescription.CAPS_NAMESPACE)).findFirst().orElseThrow();

        assertThat(features).contains(XmlElement.empty("ver", "urn:xmpp:features:rosterver"));
        assertThat(c.attributeOrNull("hash")).isEqualTo("sha-1");
        assertThat(c.attributeOrNull("node")).isEqualTo("urn:aviary:server");
        assertThat(c.attributeOrNull("ver")).isEqualTo(server.discoInfo().capsVerification());
        assertThat(server.capsNode()).contains("urn:aviary:server#" + c.attributeOrNull("ver"));
    }

    @Test
    void withoutTheCapsCapabilityThereIsNoCapsNode() {
        assertThat(new ServerDescription(List.of(Declaration.builder("ping").iq("urn:xmpp:ping").build())).capsNode())
                .isEmpty();
    }
}
