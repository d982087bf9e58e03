package io.aviary.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

class SaslMechanismsTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("example.org");
    private static final byte[] EXPORTER = new byte[32];
    private static final ChannelBindings BINDINGS = ChannelBindings.of(ChannelBinding.tlsExporter(EXPORTER));

    private final InMemoryCredentials store = new InMemoryCredentials().addAll("juliet", "r0m30myr0m30", 64);

    private SaslMechanisms mechanisms(boolean tls, ChannelBindings bindings) {
        return new SaslMechanisms(store, DOMAIN, new SecureRandom(), tls, bindings, new DecoyCredentials(new byte[32], 64));
    }

    @Test
    void plaintextStreamOffersScramOnly() {
        assertThat(mechanisms(false, ChannelBindings.none()).offered())
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1");
    }

    @Test
    void tlsWithoutChannelBindingAddsPlain() {
        assertThat(mechanisms(true, ChannelBindings.none()).offered())
                .containsExactly("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        assertThat(mechanisms(true, ChannelBindings.none()).channelBindingTypes()).isEmpty();
    }

    @Test
    void tlsWithChannelBindingOffersPlusFirst() {
        SaslMechanisms mechanisms = mechanisms(true, BINDINGS);
        assertThat(mechanisms.offered()).containsExactly(
                "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS",
                "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN");
        assertThat(mechanisms.channelBindingTypes()).containsExactly("tls-exporter");
    }

    @Test
    void channelBindingsWithoutTlsAreRejected() {
        assertThatThrownBy(() -> mechanisms(false, BINDINGS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsEachOfferedMechanism() {
        SaslMechanisms mechanisms = mechanisms(true, BINDINGS);
        for (String name : mechanisms.offered()) {
            assertThat(mechanisms.create(name)).get().extracting(SaslServerMechanism::name).isEqualTo(name);
        }
        assertThat(mechanisms.create("PLAIN")).get().isInstanceOf(PlainServer.class);
        assertThat(mechanisms.create("SCRAM-SHA-1-PLUS")).get().isInstanceOf(ScramServer.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DIGEST-MD5", "scram-sha-256", "SCRAM-SHA-256-PLUS", "PLAIN", "EXTERNAL", "", "SCRAM-SHA-384"})
    void unknownOrNotOfferedNamesGiveNothing(String name) {
        assertThat(mechanisms(false, ChannelBindings.none()).create(name)).isEmpty();
        assertThat(mechanisms(false, ChannelBindings.none()).create(null)).isEmpty();
    }

    @Test
    void eachCreateIsAFreshExchange() {
        SaslMechanisms mechanisms = mechanisms(true, BINDINGS);
        assertThat(mechanisms.create("SCRAM-SHA-256").orElseThrow())
                .isNotSameAs(mechanisms.create("SCRAM-SHA-256").orElseThrow());
    }

    @Test
    void endToEndPlusExchangeThroughTheFactory() throws SaslFailure {
        SaslServerMechanism server = mechanisms(true, BINDINGS).create("SCRAM-SHA-512-PLUS").orElseThrow();
        TestScramClient client = new TestScramClient(ScramAlgorithm.SHA_512, "juliet", "r0m30myr0m30", "abcdef")
                .binding("tls-exporter", EXPORTER);
        String serverFirst = new String(server.evaluate(client.clientFirst().getBytes(UTF_8)).data(), UTF_8);
        SaslStep last = server.evaluate(client.clientFinal(serverFirst).getBytes(UTF_8));
        assertThat(last.complete()).isTrue();
        assertThat(client.verifyServerFinal(new String(last.data(), UTF_8))).isTrue();
        assertThat(server.authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void defaultConstructorUsesProcessDecoys() throws SaslFailure {
        SaslMechanisms mechanisms = new SaslMechanisms(store, DOMAIN, new SecureRandom(), false, ChannelBindings.none());
        SaslServerMechanism server = mechanisms.create("SCRAM-SHA-256").orElseThrow();
        String serverFirst = new String(server.evaluate("n,,n=nobody,r=abc".getBytes(UTF_8)).data(), UTF_8);
        assertThat(serverFirst).contains(",i=" + ScramCredentials.DEFAULT_ITERATIONS + ",");
    }

    @Test
    void serverFirstSignsTheOfferedMechanismsForDowngradeProtection() throws SaslFailure {
        SaslMechanisms mechanisms = new SaslMechanisms(store, DOMAIN, new SecureRandom(), true, ChannelBindings.none());
        SaslServerMechanism server = mechanisms.create("SCRAM-SHA-256").orElseThrow();
        String serverFirst = new String(server.evaluate("n,,n=nobody,r=abc".getBytes(UTF_8)).data(), UTF_8);
        // XEP-0474 §5.1: the sorted mechanisms, %x1E between them, hashed with SHA-256.
        String expected = new DowngradeProtection(
                java.util.List.of("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512"), java.util.List.of())
                .hash(ScramAlgorithm.SHA_256);
        assertThat(serverFirst).endsWith(",h=" + expected);
    }
}
