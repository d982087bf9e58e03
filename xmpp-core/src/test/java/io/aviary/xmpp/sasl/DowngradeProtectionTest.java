package io.aviary.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DowngradeProtectionTest {

    @Test
    void reproducesTheHashOfXep0474sExample() {
        // XEP-0474 §5.3: h of 'SCRAM-SHA-1\x1eSCRAM-SHA-1-PLUS\x1ftls-exporter\x1etls-server-end-point' with SHA-1.
        DowngradeProtection advertised = new DowngradeProtection(List.of("SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"),
                List.of("tls-server-end-point", "tls-exporter"));

        assertThat(advertised.input())
                .isEqualTo("SCRAM-SHA-1\u001eSCRAM-SHA-1-PLUS\u001ftls-exporter\u001etls-server-end-point");
        assertThat(advertised.hash(ScramAlgorithm.SHA_1)).isEqualTo("G6k/rBLDqgOhRRaCuuatSDFkJ08=");
    }

    @Test
    void withoutChannelBindingsTheSeparatorIsLeftOut() {
        assertThat(new DowngradeProtection(List.of("SCRAM-SHA-256", "PLAIN"), List.of()).input())
                .isEqualTo("PLAIN\u001eSCRAM-SHA-256");
    }

    @Test
    void refusesFastMechanisms() {
        assertThatThrownBy(() -> new DowngradeProtection(List.of("SCRAM-SHA-256", "HT-SHA-256-NONE"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
