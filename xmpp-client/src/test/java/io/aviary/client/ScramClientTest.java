package io.aviary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.xmpp.sasl.ChannelBinding;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.aviary.xmpp.sasl.DecoyCredentials;
import io.aviary.xmpp.sasl.SaslFailure;
import io.aviary.xmpp.sasl.SaslFailureCondition;
import io.aviary.xmpp.sasl.SaslStep;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import io.aviary.xmpp.sasl.ScramServer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

class ScramClientTest {

    /** RFC 7677 §3: the SCRAM-SHA-256 example exchange. */
    @Test
    void reproducesTheRfc7677Example() {
        ScramClient client = new ScramClient("user", "pencil", "rOprNGfwEbeRWgbNEkqO", new ScramClient.SaltedPasswords());

        assertThat(client.clientFirst()).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        String serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
        assertThat(client.clientFinal(serverFirst)).isEqualTo(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(client.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).isTrue();
        assertThat(client.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).isFalse();
    }

    @Test
    void authenticatesAgainstTheServerMechanism() throws Exception {
        ScramCredentials stored = ScramCredentials.create(ScramAlgorithm.SHA_256, "secret", 4096, new SecureRandom());
        ScramServer server = new ScramServer(ScramAlgorithm.SHA_256, false,
                (username, algorithm) -> username.equals("bench-1") ? Optional.of(stored) : Optional.empty(),
                JidCreate.domainBareFrom("localhost"), ChannelBindings.none(), new SecureRandom(),
                DecoyCredentials.perProcess());
        ScramClient client = new ScramClient("bench-1", "secret", new ScramClient.SaltedPasswords());

        SaslStep challenge = server.evaluate(client.clientFirst().getBytes(StandardCharsets.UTF_8));
        String clientFinal = client.clientFinal(new String(challenge.data(), StandardCharsets.UTF_8));
        SaslStep outcome = server.evaluate(clientFinal.getBytes(StandardCharsets.UTF_8));

        assertThat(outcome.complete()).isTrue();
        assertThat(server.authenticatedUsername()).isEqualTo("bench-1");
        assertThat(client.verifyServerFinal(new String(outcome.data(), StandardCharsets.UTF_8))).isTrue();
    }

    /** SCRAM-SHA-256-PLUS: c= carries the GS2 header and the binding's data, which the server compares (RFC 5802 §7). */
    @Test
    void bindsToTheChannelThatTheServerSees() throws Exception {
        ScramCredentials stored = ScramCredentials.create(ScramAlgorithm.SHA_256, "secret", 4096, new SecureRandom());
        byte[] endPoint = "the certificate's hash".getBytes(StandardCharsets.UTF_8);
        for (byte[] clientSees : new byte[][] {endPoint, "a man in the middle's".getBytes(StandardCharsets.UTF_8)}) {
            ScramServer server = new ScramServer(ScramAlgorithm.SHA_256, true,
                    (username, algorithm) -> Optional.of(stored), JidCreate.domainBareFrom("localhost"),
                    ChannelBindings.of(new ChannelBinding("tls-server-end-point", endPoint)), new SecureRandom(),
                    DecoyCredentials.perProcess());
            ScramClient client = new ScramClient("bench-1", "secret", "p=tls-server-end-point,,", clientSees,
                    new ScramClient.SaltedPasswords());

            assertThat(client.clientFirst()).startsWith("p=tls-server-end-point,,n=bench-1,r=");
            SaslStep challenge = server.evaluate(client.clientFirst().getBytes(StandardCharsets.UTF_8));
            String serverFirst = new String(challenge.data(), StandardCharsets.UTF_8);
            assertThat(ScramClient.attributes(serverFirst)).containsKeys('r', 's', 'i');
            String clientFinal = client.clientFinal(serverFirst);

            if (clientSees == endPoint) {
                SaslStep outcome = server.evaluate(clientFinal.getBytes(StandardCharsets.UTF_8));
                assertThat(outcome.complete()).isTrue();
                assertThat(client.verifyServerFinal(new String(outcome.data(), StandardCharsets.UTF_8))).isTrue();
            } else {
                assertThatThrownBy(() -> server.evaluate(clientFinal.getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOfSatisfying(SaslFailure.class,
                                failure -> assertThat(failure.condition()).isEqualTo(SaslFailureCondition.NOT_AUTHORIZED))
                        .hasMessageContaining("channel binding mismatch");
            }
        }
    }

    @Test
    void refusesAServerNonceThatDoesNotExtendItsOwn() {
        ScramClient client = new ScramClient("user", "pencil", "abc", new ScramClient.SaltedPasswords());
        client.clientFirst();

        assertThatThrownBy(() -> client.clientFinal("r=xyz123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.clientFinal("r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cachesTheSaltedPasswordPerSaltAndIterationCount() {
        ScramClient.SaltedPasswords cache = new ScramClient.SaltedPasswords();
        byte[] salt = {1, 2, 3, 4};

        byte[] first = cache.get("pencil", salt, 4096);

        assertThat(cache.get("pencil", salt, 4096)).isSameAs(first);
        assertThat(cache.get("pencil", salt, 2048)).isNotEqualTo(first);
    }

    @Test
    void theCacheSurvivesASaveAndLoad(@TempDir Path dir) throws Exception {
        ScramClient.SaltedPasswords cache = new ScramClient.SaltedPasswords();
        byte[] salt = {9, 8, 7};
        byte[] computed = cache.get("pencil", salt, 4096);
        cache.save(dir.resolve("scram.cache"));

        ScramClient.SaltedPasswords reloaded = new ScramClient.SaltedPasswords();
        reloaded.load(dir.resolve("scram.cache"));

        assertThat(reloaded.size()).isEqualTo(1);
        // A wrong password would compute something else: equal bytes mean the entry was loaded, not recomputed.
        assertThat(reloaded.get("not-the-password", salt, 4096)).isEqualTo(computed);
    }
}
