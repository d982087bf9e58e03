package io.aviary.s2s.dialback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialbackKeysTest {

    /** XEP-0185 §2 and XEP-0220 §2.1.1's example: secret, receiving server, originating server, stream id and their key. */
    @Test
    void theKeyOfTheSpecificationsExample() {
        DialbackKeys keys = new DialbackKeys("s3cr3tf0rd14lb4ck");
        assertThat(keys.key("xmpp.example.com", "example.org", "D60000229F"))
                .isEqualTo("37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643");
    }

    @Test
    void aKeyIsValidOnlyForItsPartiesAndStream() {
        DialbackKeys keys = new DialbackKeys("secret");
        String key = keys.key("b.test", "a.test", "stream-1");
        assertThat(keys.verify("b.test", "a.test", "stream-1", key)).isTrue();
        assertThat(keys.verify("b.test", "a.test", "stream-2", key)).isFalse();
        assertThat(keys.verify("c.test", "a.test", "stream-1", key)).isFalse();
        assertThat(keys.verify("b.test", "a.test", "stream-1", null)).isFalse();
        assertThat(new DialbackKeys("other").verify("b.test", "a.test", "stream-1", key)).isFalse();
    }

    @Test
    void withoutASecretEachProcessDrawsItsOwn() {
        assertThat(new DialbackKeys(null).key("b.test", "a.test", "s"))
                .isNotEqualTo(new DialbackKeys("").key("b.test", "a.test", "s"));
    }
}
