package io.aviary.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SaslValuesTest {

    @Test
    void failureConditionsAreTheElevenOfRfc6120Section6_5() {
        assertThat(Arrays.stream(SaslFailureCondition.values()).map(SaslFailureCondition::elementName)).containsExactly(
                "aborted", "account-disabled", "credentials-expired", "encryption-required", "incorrect-encoding",
                "invalid-authzid", "invalid-mechanism", "malformed-request", "mechanism-too-weak", "not-authorized",
                "temporary-auth-failure");
        assertThat(SaslFailureCondition.fromElementName("not-authorized")).contains(SaslFailureCondition.NOT_AUTHORIZED);
        assertThat(SaslFailureCondition.fromElementName("NOT_AUTHORIZED")).isEmpty();
        assertThat(SaslFailureCondition.NAMESPACE).isEqualTo("urn:ietf:params:xml:ns:xmpp-sasl");
    }

    @Test
    void failureCarriesItsCondition() {
        SaslFailure failure = new SaslFailure(SaslFailureCondition.INVALID_AUTHZID, "nope", new RuntimeException());
        assertThat(failure.condition()).isEqualTo(SaslFailureCondition.INVALID_AUTHZID);
        assertThat(failure.getMessage()).isEqualTo("invalid-authzid: nope");
        assertThat(failure.getCause()).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> new SaslFailure(null, "x")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void stepValueSemantics() {
        byte[] data = {1, 2};
        SaslStep challenge = SaslStep.challenge(data);
        data[0] = 7;
        assertThat(challenge.data()).containsExactly(1, 2);
        challenge.data()[0] = 7;
        assertThat(challenge.data()).containsExactly(1, 2);
        assertThat(challenge).isEqualTo(SaslStep.challenge(new byte[] {1, 2})).hasSameHashCodeAs(SaslStep.challenge(new byte[] {1, 2}));
        assertThat(challenge).isNotEqualTo(SaslStep.success(new byte[] {1, 2}));
        assertThat(SaslStep.success().data()).isNull();
        assertThat(SaslStep.success()).isEqualTo(SaslStep.success());
        assertThat(SaslStep.success()).isNotEqualTo(SaslStep.success(new byte[0]));
        assertThat(challenge.toString()).contains("challenge", "AQI=");
        assertThatThrownBy(() -> SaslStep.challenge(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void saslnameRoundTrip() throws SaslFailure {
        assertThat(SaslNames.encode("a,b=c")).isEqualTo("a=2Cb=3Dc");
        assertThat(SaslNames.decode("a=2Cb=3Dc")).isEqualTo("a,b=c");
        assertThat(SaslNames.decode("=3D=2C")).isEqualTo("=,");
        assertThat(SaslNames.decode("жюльетта")).isEqualTo("жюльетта");
    }
}
