package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.Accounts.Outcome;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {

    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final Accounts accounts = new Accounts(store);

    @ParameterizedTest
    @EnumSource(ScramAlgorithm.class)
    void aRegisteredUserCanLogInWithEveryScramVariant(ScramAlgorithm algorithm) {
        assertThat(accounts.register("juliet", "R0m30").outcome()).isEqualTo(Outcome.CREATED);

        assertThat(ScramLogin.login(store, algorithm, "juliet", "R0m30")).isTrue();
        assertThat(ScramLogin.login(store, algorithm, "juliet", "r0m30")).isFalse();
        assertThat(ScramLogin.login(store, algorithm, "romeo", "R0m30")).isFalse();
    }

    @Test
    void storedKeysAreTheOnesThePasswordDerivesAndNothingElseIsKept() {
        accounts.register("juliet", "R0m30");

        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            ScramCredentials stored = store.scram("juliet", algorithm).orElseThrow();
            assertThat(stored.iterations()).isEqualTo(Accounts.DEFAULT_SCRAM_ITERATIONS);
            assertThat(stored.salt()).hasSize(ScramCredentials.SALT_LENGTH);
            assertThat(ScramCredentials.derive(algorithm, "R0m30", stored.salt(), stored.iterations()))
                    .isEqualTo(stored);
            assertThat(ScramCredentials.derive(algorithm, "wrong", stored.salt(), stored.iterations()))
                    .isNotEqualTo(stored);
        }
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_1).orElseThrow().salt())
                .isNotEqualTo(store.scram("juliet", ScramAlgorithm.SHA_256).orElseThrow().salt());
    }

    @Test
    void iterationCountIsConfigurable() {
        Accounts tuned = new Accounts(store, 10_000, new SecureRandom());
        tuned.register("juliet", "R0m30");

        assertThat(store.scram("juliet", ScramAlgorithm.SHA_512).orElseThrow().iterations()).isEqualTo(10_000);
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_512, "juliet", "R0m30")).isTrue();
    }

    @Test
    void usernamesAreNormalisedAsLocalparts() {
        Accounts.Result result = accounts.register("Juliet", "R0m30");

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(result.username()).isEqualTo("juliet");
        assertThat(accounts.list()).containsExactly("juliet");
        assertThat(accounts.register("JULIET", "other").outcome()).isEqualTo(Outcome.EXISTS);
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_256, "JuLiEt", "R0m30")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "juliet@capulet", "ju liet", "a/b", "x'y", "<script>"})
    void invalidUsernamesAreRefused(String username) {
        assertThat(accounts.register(username, "R0m30").outcome()).isEqualTo(Outcome.INVALID_USERNAME);
        assertThat(store.usernames()).isEmpty();
    }

    @Test
    void aUsernameOver1023BytesIsRefused() {
        assertThat(accounts.register("a".repeat(1024), "R0m30").outcome()).isEqualTo(Outcome.INVALID_USERNAME);
        assertThat(accounts.register("a".repeat(1023), "R0m30").outcome()).isEqualTo(Outcome.CREATED);
    }

    @Test
    void passwordsMustBeNonEmptyBoundedAndTypable() {
        assertThat(accounts.register("juliet", "").outcome()).isEqualTo(Outcome.EMPTY_PASSWORD);
        assertThat(accounts.register("juliet", null).outcome()).isEqualTo(Outcome.EMPTY_PASSWORD);
        assertThat(accounts.register("juliet", "x".repeat(Accounts.MAX_PASSWORD_LENGTH + 1)).outcome())
                .isEqualTo(Outcome.PASSWORD_TOO_LONG);
        assertThat(accounts.register("juliet", "bad\u0007bell").outcome()).isEqualTo(Outcome.INVALID_PASSWORD);
        assertThat(store.usernames()).isEmpty();

        assertThat(accounts.register("juliet", "x".repeat(Accounts.MAX_PASSWORD_LENGTH)).ok()).isTrue();
    }

    @Test
    void aDuplicateRegistrationKeepsTheFirstPassword() {
        accounts.register("juliet", "R0m30");

        Accounts.Result again = accounts.register("juliet", "other");

        assertThat(again.outcome()).isEqualTo(Outcome.EXISTS);
        assertThat(again.ok()).isFalse();
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_256, "juliet", "R0m30")).isTrue();
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_256, "juliet", "other")).isFalse();
    }

    @Test
    void changePasswordReplacesEveryVariant() {
        accounts.register("juliet", "R0m30");

        assertThat(accounts.changePassword("Juliet", "N3w").outcome()).isEqualTo(Outcome.PASSWORD_CHANGED);

        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            assertThat(ScramLogin.login(store, algorithm, "juliet", "N3w")).isTrue();
            assertThat(ScramLogin.login(store, algorithm, "juliet", "R0m30")).isFalse();
        }
    }

    @Test
    void changePasswordNeedsAnAccountAndAValidPassword() {
        assertThat(accounts.changePassword("romeo", "pw").outcome()).isEqualTo(Outcome.NO_SUCH_USER);
        assertThat(store.exists("romeo")).isFalse();

        accounts.register("juliet", "R0m30");
        assertThat(accounts.changePassword("juliet", "").outcome()).isEqualTo(Outcome.EMPTY_PASSWORD);
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_1, "juliet", "R0m30")).isTrue();
    }

    @Test
    void deleteRemovesTheAccountAndItsLogin() {
        accounts.register("juliet", "R0m30");
        accounts.register("romeo", "J0liet");

        assertThat(accounts.delete("JULIET").outcome()).isEqualTo(Outcome.DELETED);

        assertThat(accounts.list()).containsExactly("romeo");
        assertThat(accounts.exists("juliet")).isFalse();
        assertThat(ScramLogin.login(store, ScramAlgorithm.SHA_256, "juliet", "R0m30")).isFalse();
        assertThat(accounts.delete("juliet").outcome()).isEqualTo(Outcome.NO_SUCH_USER);
    }

    @Test
    void listIsAlphabetical() {
        for (String name : new String[] {"tybalt", "juliet", "romeo", "benvolio"}) {
            accounts.register(name, "pw");
        }
        assertThat(accounts.list()).containsExactly("benvolio", "juliet", "romeo", "tybalt");
    }

    @Test
    void everyOutcomeHasAMessage() {
        for (Outcome outcome : Outcome.values()) {
            assertThat(new Accounts.Result(outcome, "juliet").message()).isNotBlank();
        }
        assertThat(new Accounts.Result(Outcome.CREATED, "juliet").message()).isEqualTo("account 'juliet' created");
    }

    @Test
    void aPasswordChangeOrRemovalRevokesTheFastTokens() {
        InMemoryFastTokenStore tokens = new InMemoryFastTokenStore();
        Accounts withTokens = new Accounts(store, 16, new SecureRandom(), tokens);
        withTokens.register("juliet", "R0m30");
        java.time.Instant now = java.time.Instant.now();
        FastToken token = new FastToken("juliet", "phone", FastToken.Slot.NEW, "HT-SHA-256-NONE", new byte[32], now,
                now.plusSeconds(60), -1);
        tokens.issue(token, 5, now);

        withTokens.changePassword("juliet", "Romeo!");
        assertThat(tokens.tokens("juliet", "phone")).isEmpty();

        tokens.issue(token, 5, now);
        withTokens.delete("juliet");
        assertThat(tokens.tokens("juliet", "phone")).isEmpty();
    }
}
