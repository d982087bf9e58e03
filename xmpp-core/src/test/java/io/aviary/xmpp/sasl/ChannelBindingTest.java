package io.aviary.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChannelBindingTest {

    private static final byte[] EXPORTER = new byte[32];

    /** Expected values computed independently: {@code openssl x509 -outform DER | openssl dgst -shaN}. */
    static Stream<Arguments> endPointVectors() {
        return Stream.of(
                // ecdsa-with-SHA1: RFC 5929 §4.1 upgrades SHA-1 to SHA-256
                Arguments.of(TestCertificates.EC_SHA1, "dcf842d7f456ccb88dbb1360887d4ee6f2fd9181eab06d5d21bfb0fbdcf7ff52"),
                Arguments.of(TestCertificates.EC_SHA256, "61fed2733c253b3c8ba3c9899efdf90759ce2ab7baceff38ee5b328490ce364c"),
                Arguments.of(TestCertificates.EC_SHA384,
                        "9ad3f5c7a1b9e67bdbe6ea5fff3d90eef8517a055d2465690a2bd86a9cce8202d602b4084b120cf3687800799615a457"),
                // RSASSA-PSS names its hash (SHA-512, MGF1 with SHA-512) in the parameters
                Arguments.of(TestCertificates.RSA_PSS_SHA512,
                        "17bd432bff6b8e6f8828cd053b23b53d3e1f8463e1d828509690c8f782186f1e"
                                + "de1580dde91a41de582205eb83d0e13d8c013d6b2ceebe7a7d7ecb5c25a20f05"));
    }

    @ParameterizedTest
    @MethodSource("endPointVectors")
    void tlsServerEndPointHashesTheCertificatePerRfc5929(String pem, String expectedHex) {
        ChannelBinding binding = ChannelBinding.tlsServerEndPoint(TestCertificates.load(pem)).orElseThrow();
        assertThat(binding.type()).isEqualTo("tls-server-end-point");
        assertThat(HexFormat.of().formatHex(binding.data())).isEqualTo(expectedHex);
    }

    @Test
    void tlsServerEndPointIsUndefinedForEd25519() {
        // Ed25519 uses no single hash function: RFC 5929 §4.1 leaves the binding undefined.
        assertThat(ChannelBinding.tlsServerEndPoint(TestCertificates.load(TestCertificates.ED25519))).isEmpty();
    }

    @Test
    void tlsExporterOnlyForTls13() {
        X509Certificate cert = TestCertificates.load(TestCertificates.EC_SHA256);
        assertThat(ChannelBindings.forTls("TLSv1.3", cert, EXPORTER).types())
                .containsExactly("tls-exporter", "tls-server-end-point");
        assertThat(ChannelBindings.forTls("TLSv1.2", cert, EXPORTER).types()).containsExactly("tls-server-end-point");
        assertThat(ChannelBindings.forTls("TLSv1.3", null, EXPORTER).types()).containsExactly("tls-exporter");
        assertThat(ChannelBindings.forTls("TLSv1.3", cert, null).types()).containsExactly("tls-server-end-point");
        assertThat(ChannelBindings.forTls("TLSv1.2", TestCertificates.load(TestCertificates.ED25519), EXPORTER).isEmpty())
                .isTrue();
        assertThat(ChannelBindings.forTls("TLSv1.3", cert, EXPORTER).get("tls-exporter").orElseThrow().data())
                .isEqualTo(EXPORTER);
        assertThat(ChannelBindings.forTls("TLSv1.3", cert, EXPORTER).get("tls-unique")).isEmpty();
    }

    @Test
    void tlsExporterMustBe32Bytes() {
        assertThatThrownBy(() -> ChannelBinding.tlsExporter(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelBindings.forTls("TLSv1.3", null, new byte[48]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validationAndValueSemantics() {
        assertThatThrownBy(() -> new ChannelBinding("tls exporter", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelBinding("", new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelBinding("x", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelBindings.of(ChannelBinding.tlsExporter(EXPORTER), ChannelBinding.tlsExporter(EXPORTER)))
                .isInstanceOf(IllegalArgumentException.class);

        byte[] data = {1, 2, 3};
        ChannelBinding binding = new ChannelBinding("x-test", data);
        data[0] = 9;
        assertThat(binding).isEqualTo(new ChannelBinding("x-test", new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new ChannelBinding("x-test", new byte[] {1, 2, 3}));
        binding.data()[1] = 9;
        assertThat(binding.data()).containsExactly(1, 2, 3);
        assertThat(binding.toString()).contains("x-test", "3 bytes").doesNotContain("[1, 2, 3]");

        assertThat(ChannelBindings.none().isEmpty()).isTrue();
        assertThat(ChannelBindings.of()).isEqualTo(ChannelBindings.none());
        assertThat(ChannelBindings.of(binding)).isEqualTo(ChannelBindings.of(new ChannelBinding("x-test", new byte[] {1, 2, 3})));
    }
}
