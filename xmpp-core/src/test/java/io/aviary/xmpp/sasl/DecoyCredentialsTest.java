package io.aviary.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecoyCredentialsTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void decoysAreDeterministicPerSecretUserAndAlgorithm() {
        DecoyCredentials decoys = new DecoyCredentials(SECRET, 4096);
        ScramCredentials a = decoys.forUser("ghost", ScramAlgorithm.SHA_256);
        assertThat(new DecoyCredentials(SECRET, 4096).forUser("ghost", ScramAlgorithm.SHA_256)).isEqualTo(a);
        assertThat(a.salt()).hasSize(ScramCredentials.SALT_LENGTH);
        assertThat(a.iterations()).isEqualTo(4096);
        assertThat(decoys.forUser("ghost2", ScramAlgorithm.SHA_256).salt()).isNotEqualTo(a.salt());
        assertThat(decoys.forUser("ghost", ScramAlgorithm.SHA_1).salt()).isNotEqualTo(a.salt());
        byte[] otherSecret = SECRET.clone();
        otherSecret[0] ^= 1;
        assertThat(new DecoyCredentials(otherSecret, 4096).forUser("ghost", ScramAlgorithm.SHA_256).salt())
                .isNotEqualTo(a.salt());
        assertThat(DecoyCredentials.perProcess().forUser("ghost", ScramAlgorithm.SHA_512))
                .isEqualTo(DecoyCredentials.perProcess().forUser("ghost", ScramAlgorithm.SHA_512));
    }

    @Test
    void shortSecretsAreRejected() {
        assertThatThrownBy(() -> new DecoyCredentials(new byte[8], 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecoyCredentials(SECRET, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
