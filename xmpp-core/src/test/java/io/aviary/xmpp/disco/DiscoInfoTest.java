package io.aviary.xmpp.disco;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoInfoTest {

    /** XEP-0115 §5.2 "Simple Generation Example": Exodus 0.9.1. */
    @Test
    void verificationStringOfTheSimpleGenerationExample() {
        DiscoInfo exodus = new DiscoInfo(List.of(new DiscoInfo.Identity("client", "pc", "Exodus 0.9.1")),
                Set.of("http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                        "http://jabber.org/protocol/muc", "http://jabber.org/protocol/caps"));

        assertThat(exodus.capsVerification()).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    }
}
