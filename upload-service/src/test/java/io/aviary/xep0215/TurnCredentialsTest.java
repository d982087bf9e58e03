package io.aviary.xep0215;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

class TurnCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T17:00:00.750Z");

    @Test
    void theUsernameIsTheExpiryInUnixSecondsAndTheBareJid_andThePasswordItsHmacSha1UnderTheSecret() throws Exception {
        TurnCredentials credentials = new TurnCredentials(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));

        TurnCredentials.Credential credential = credentials.issue("north", JidCreate.entityBareFrom("romeo@example.com"));

        assertThat(credential.expires()).isEqualTo(Instant.parse("2026-12-02T18:00:00Z"));
        assertThat(credential.username()).isEqualTo("1796234400:romeo@example.com");
        // Computed independently: printf '1796234400:romeo@example.com' | openssl dgst -sha1 -hmac north -binary | base64
        assertThat(credential.password()).isEqualTo(TurnCredentials.password("north", "1796234400:romeo@example.com"));
        assertThat(TurnCredentials.password("north", "1796234400:romeo@example.com"))
                .isEqualTo("1XGpJz+DoTH8qomN/wU75aMXpXk=");
    }

    @Test
    void anotherSecretOrUsernameGivesAnotherPassword_andNothingPrintsThePassword() throws Exception {
        TurnCredentials credentials = new TurnCredentials(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(1));
        TurnCredentials.Credential romeo = credentials.issue("north", JidCreate.entityBareFrom("romeo@example.com"));
        TurnCredentials.Credential juliet = credentials.issue("north", JidCreate.entityBareFrom("juliet@example.com"));
        TurnCredentials.Credential elsewhere = credentials.issue("south", JidCreate.entityBareFrom("romeo@example.com"));

        assertThat(romeo.password()).isNotEqualTo(juliet.password()).isNotEqualTo(elsewhere.password());
        assertThat(romeo.toString()).doesNotContain(romeo.password()).contains(romeo.username());
    }
}
