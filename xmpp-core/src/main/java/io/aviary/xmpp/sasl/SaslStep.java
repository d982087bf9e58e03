package io.aviary.xmpp.sasl;

import java.util.Arrays;
import java.util.Base64;

/**
 * One server turn of a SASL exchange (RFC 6120 §6.4.3 – §6.4.6).
 *
 * <p>When {@code complete} is false, {@code data} is the challenge to send in {@code <challenge/>}
 * (never null; possibly empty, sent as {@code =} per §6.4.2). When {@code complete} is true, the
 * exchange succeeded and {@code data} is the "additional data with success" for {@code <success/>}
 * (RFC 6120 §6.3.10), or null when there is none — SCRAM sends its server-final-message here.
 */
public record SaslStep(boolean complete, byte[] data) {

    public SaslStep {
        if (!complete && data == null) {
            throw new IllegalArgumentException("a challenge needs data (use an empty array for an empty challenge)");
        }
        data = data == null ? null : data.clone();
    }

    public static SaslStep challenge(byte[] data) {
        return new SaslStep(false, data);
    }

    /** Success without additional data: an empty {@code <success/>}. */
    public static SaslStep success() {
        return new SaslStep(true, null);
    }

    public static SaslStep success(byte[] additionalData) {
        return new SaslStep(true, additionalData);
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslStep other && complete == other.complete && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(complete) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        // Challenges and SCRAM's server-final are not secret; they travel in clear inside the stream.
        return "SaslStep[" + (complete ? "success" : "challenge") + ", data="
                + (data == null ? "none" : Base64.getEncoder().encodeToString(data)) + "]";
    }
}
