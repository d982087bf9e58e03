package io.aviary.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WarmUpAccountsTest {

    private final SecureRandom random = new SecureRandom();
    private final ScramCredentials stored = ScramCredentials.create(ScramAlgorithm.SHA_256, "stored-pw", 4096, random);

    @Test
    void warmUpNamesLogInWithTheRandomPasswordOnlyWhileOpen() {
        WarmUpAccounts accounts = new WarmUpAccounts((name, algorithm) -> Optional.empty(), random);
        String name = accounts.prefix() + "7";
        ScramCredentials credentials = accounts.scram(name, ScramAlgorithm.SHA_256).orElseThrow();
        assertThat(ScramCredentials.derive(ScramAlgorithm.SHA_256, accounts.password(), credentials.salt(),
                credentials.iterations())).isEqualTo(credentials);
        assertThat(accounts.scram(name, ScramAlgorithm.SHA_1)).as("SCRAM-SHA-256 only").isEmpty();
        assertThat(accounts.scram("alice", ScramAlgorithm.SHA_256)).as("other names are the store's").isEmpty();

        accounts.close();
        assertThat(accounts.scram(name, ScramAlgorithm.SHA_256)).isEmpty();
    }

    @Test
    void everyStartHasItsOwnNamesAndPassword() {
        WarmUpAccounts first = new WarmUpAccounts((name, algorithm) -> Optional.empty(), random);
        WarmUpAccounts second = new WarmUpAccounts((name, algorithm) -> Optional.empty(), random);
        assertThat(first.prefix()).startsWith("warm-up-").isNotEqualTo(second.prefix());
        assertThat(first.password()).isNotEqualTo(second.password());
        assertThat(second.scram(first.prefix() + "1", ScramAlgorithm.SHA_256)).isEmpty();
    }

    @Test
    void anAccountTheStoreHasStaysItsOwnEvenUnderAWarmUpName() {
        Map<String, ScramCredentials> store = new HashMap<>();
        WarmUpAccounts accounts = new WarmUpAccounts((name, algorithm) -> Optional.ofNullable(store.get(name)), random);
        String name = accounts.prefix() + "1";
        store.put(name, stored);
        assertThat(accounts.scram(name, ScramAlgorithm.SHA_256)).containsSame(stored);
        assertThat(accounts.scram("alice", ScramAlgorithm.SHA_256)).isEmpty();
    }
}
