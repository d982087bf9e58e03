package io.aviary.xmpp.sasl;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One TLS channel binding (RFC 5056): its type name as registered with IANA and the bytes that
 * SCRAM-*-PLUS mixes into {@code c=} (RFC 5802 §6). Immutable; {@code data} is copied in and out.
 */
public record ChannelBinding(String type, byte[] data) {

    /** RFC 9266: the TLS exporter with label {@code EXPORTER-Channel-Binding}; TLS 1.3 only here. */
    public static final String TLS_EXPORTER = "tls-exporter";

    /** RFC 5929 §4: a hash of the server's certificate. */
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    /** RFC 9266 §2: the exporter label. */
    public static final String TLS_EXPORTER_LABEL = "EXPORTER-Channel-Binding";

    /** RFC 9266 §2: the exporter output length in bytes (the context is empty). */
    public static final int TLS_EXPORTER_LENGTH = 32;

    public ChannelBinding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (!isValidName(type)) {
            // RFC 5802 §7: cb-name = 1*(ALPHA / DIGIT / "." / "-")
            throw new IllegalArgumentException("invalid channel binding type: " + type);
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("channel binding data must not be empty");
        }
        data = data.clone();
    }

    /**
     * tls-exporter data as exported by the TLS layer with {@link #TLS_EXPORTER_LABEL}, an empty
     * context and {@link #TLS_EXPORTER_LENGTH} bytes (RFC 9266 §2).
     */
    public static ChannelBinding tlsExporter(byte[] exportedKeyingMaterial) {
        Objects.requireNonNull(exportedKeyingMaterial, "exportedKeyingMaterial");
        if (exportedKeyingMaterial.length != TLS_EXPORTER_LENGTH) {
            throw new IllegalArgumentException("tls-exporter data must be " + TLS_EXPORTER_LENGTH + " bytes");
        }
        return new ChannelBinding(TLS_EXPORTER, exportedKeyingMaterial);
    }

    /**
     * tls-server-end-point data for the server's own (end-entity) certificate, per RFC 5929 §4.1:
     * the certificate hashed with the hash of its signature algorithm, except that MD5 and SHA-1
     * are replaced by SHA-256. Empty when the binding is undefined — the signature algorithm uses
     * no single hash (e.g. Ed25519, Ed448) — or the hash is unknown to this JRE; the type must then
     * not be offered.
     */
    public static Optional<ChannelBinding> tlsServerEndPoint(X509Certificate serverCertificate) {
        Objects.requireNonNull(serverCertificate, "serverCertificate");
        Optional<String> hash = endPointHash(serverCertificate);
        if (hash.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] digest = MessageDigest.getInstance(hash.get()).digest(serverCertificate.getEncoded());
            return Optional.of(new ChannelBinding(TLS_SERVER_END_POINT, digest));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** The JCA digest name RFC 5929 §4.1 prescribes for this certificate, if defined. */
    static Optional<String> endPointHash(X509Certificate certificate) {
        String sigAlg = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        String hash;
        if (sigAlg.equals("RSASSA-PSS")) {
            hash = pssHash(certificate).orElse(null);
        } else {
            int with = sigAlg.indexOf("WITH");
            hash = with > 0 ? sigAlg.substring(0, with) : null;
        }
        if (hash == null) {
            return Optional.empty();
        }
        hash = hash.replace("-", "");
        // "if the certificate's signatureAlgorithm uses a single hash function and that hash
        // function is either MD5 or SHA-1, then use SHA-256" (RFC 5929 §4.1)
        if (hash.equals("MD5") || hash.equals("SHA1") || hash.equals("SHA")) {
            return Optional.of("SHA-256");
        }
        if (hash.matches("SHA3(224|256|384|512)")) {
            return Optional.of("SHA3-" + hash.substring(4));
        }
        if (hash.matches("SHA(224|256|384|512)(/224|/256)?")) {
            return Optional.of("SHA-" + hash.substring(3));
        }
        return Optional.empty();
    }

    /** RSASSA-PSS names its hash in the parameters; two different hashes (PSS vs MGF1) count as "multiple". */
    private static Optional<String> pssHash(X509Certificate certificate) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
            parameters.init(certificate.getSigAlgParams());
            PSSParameterSpec spec = parameters.getParameterSpec(PSSParameterSpec.class);
            String digest = spec.getDigestAlgorithm().toUpperCase(Locale.ROOT).replace("-", "");
            if (spec.getMGFParameters() instanceof MGF1ParameterSpec mgf1
                    && !mgf1.getDigestAlgorithm().toUpperCase(Locale.ROOT).replace("-", "").equals(digest)) {
                return Optional.empty();
            }
            return Optional.of(digest);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean isValidName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelBinding other && type.equals(other.type) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        // tls-exporter output is secret-derived keying material; never print it.
        return "ChannelBinding[type=" + type + ", data=<" + data.length + " bytes>]";
    }
}
