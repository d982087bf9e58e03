package io.aviary.xep0065;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.util.unit.DataSize;

/** Which host the streamhost query advertises. */
class Proxy65ConfigurationTest {

    @Test
    void theConfiguredHostWinsElseASpecificBindAddressElseTheDomain() throws Exception {
        DomainBareJid domain = JidCreate.domainBareFrom("example.org");
        assertThat(Proxy65Configuration.advertisedHost(properties("", "files.example.org"), domain))
                .isEqualTo("files.example.org");
        assertThat(Proxy65Configuration.advertisedHost(properties("127.0.0.1", null), domain)).isEqualTo("127.0.0.1");
        assertThat(Proxy65Configuration.advertisedHost(properties("0.0.0.0", null), domain)).isEqualTo("example.org");
        assertThat(Proxy65Configuration.advertisedHost(properties("::", ""), domain)).isEqualTo("example.org");
        assertThat(Proxy65Configuration.advertisedHost(properties("", null), domain)).isEqualTo("example.org");
    }

    private static Proxy65Properties properties(String bind, String advertised) {
        return new Proxy65Properties(null, bind, 7777, advertised, 0, DataSize.ofGigabytes(1), Duration.ofMinutes(2),
                Duration.ofSeconds(60), 1000);
    }
}
