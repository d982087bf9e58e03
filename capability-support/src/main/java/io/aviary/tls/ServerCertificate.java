package io.aviary.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate chain and key the gateway presents, read once into memory: the configured PEM files,
 * or a self-signed pair generated once in the data directory and reused on later starts (design.md,
 * "Security defaults"). Holding both in memory means a file replaced while the gateway runs cannot make
 * the certificate it presents and the key it signs with disagree.
 *
 * @param chain          the server certificate first, then any intermediates
 * @param key            the private key of {@code chain.get(0)}, RSA or EC
 * @param certificateFile where the chain was read from (for log lines)
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key, Path certificateFile) {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    public ServerCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + certificateFile);
        }
    }

    /** The certificate clients see, whose hash is the tls-server-end-point channel binding (RFC 5929 §4). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Reads a PEM chain and its key. The key may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}) or SEC 1 ({@code BEGIN EC PRIVATE KEY}), as openssl and certbot write them.
     */
    public static ServerCertificate load(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        if (keyFile == null) {
            throw new IllegalArgumentException("aviary.gateway.tls-key must be set with tls-certificate " + certificateFile);
        }
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            chain = certificates.stream().map(X509Certificate.class::cast).toList();
        }
        PrivateKey key = readKey(keyFile);
        checkPair(chain.isEmpty() ? null : chain.get(0), key, certificateFile, keyFile);
        return new ServerCertificate(chain, key, certificateFile);
    }

    /** Uses the files in {@code directory} if an earlier start made them, else makes a self-signed pair for {@code domain}. */
    public static ServerCertificate selfSigned(Path directory, String domain) throws IOException, GeneralSecurityException {
        Path certificateFile = directory.resolve("self-signed-" + domain + ".crt");
        Path keyFile = directory.resolve("self-signed-" + domain + ".key");
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            ServerCertificate earlier = load(certificateFile, keyFile);
            log.info("TLS: using the self-signed {} certificate generated earlier for {} in {}",
                    earlier.key().getAlgorithm(), domain, certificateFile);
            return earlier;
        }
        OwnerOnlyFiles.directory(directory);
        // ECDSA P-256: a handshake signature costs a small fraction of an RSA-2048 one, and every client
        // that speaks TLS 1.2 accepts it.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        ServerCertificate generated = generate(domain, generator.generateKeyPair(), certificateFile);
        generated.write(certificateFile, keyFile);
        log.warn("TLS: no certificate configured; generated a self-signed ECDSA P-256 certificate for {} in {} "
                + "(clients must accept it; set aviary.gateway.tls-certificate and tls-key for a real one)",
                domain, certificateFile);
        return generated;
    }

    /** A self-signed certificate for {@code domain} and {@code *.domain} with {@code keyPair}, RSA or EC, valid ten years. */
    public static ServerCertificate generate(String domain, KeyPair keyPair, Path certificateFile) throws GeneralSecurityException {
        String algorithm = signatureAlgorithm(keyPair.getPrivate(), "the generated key");
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + domain);
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    subject, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, domain),
                    new GeneralName(GeneralName.dNSName, "*." + domain)}));
            var signer = new JcaContentSignerBuilder(algorithm).build(keyPair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new ServerCertificate(List.of(certificate), keyPair.getPrivate(), certificateFile);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot sign the self-signed certificate", e);
        }
    }

    /** Writes the chain and the key (unencrypted PKCS#8) as PEM; a new key file is 0600 where permissions are POSIX. */
    public void write(Path chainFile, Path keyFile) throws IOException {
        try (JcaPEMWriter out = new JcaPEMWriter(Files.newBufferedWriter(chainFile))) {
            for (X509Certificate certificate : chain) {
                out.writeObject(certificate);
            }
        }
        if (!Files.exists(keyFile)) {
            OwnerOnlyFiles.newFile(keyFile); // the key is never readable by anyone else, not even while written
        }
        try (JcaPEMWriter out = new JcaPEMWriter(Files.newBufferedWriter(keyFile))) {
            out.writeObject(new JcaPKCS8Generator(key, null));
        }
    }

    private static PrivateKey readKey(Path keyFile) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    // Not getKeyPair: a SEC 1 key may come without its public half.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        }
        throw new GeneralSecurityException("no unencrypted private key (PKCS#8, PKCS#1 or SEC 1 PEM) in " + keyFile);
    }

    /** Refuses to start with a key that does not belong to the certificate, rather than fail every handshake. */
    private static void checkPair(X509Certificate certificate, PrivateKey key, Path certificateFile, Path keyFile)
            throws GeneralSecurityException {
        if (certificate == null) {
            throw new GeneralSecurityException("no certificate in " + certificateFile);
        }
        String algorithm = signatureAlgorithm(key, keyFile.toString());
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the key in " + keyFile + " does not belong to the certificate in " + certificateFile);
        }
    }

    private static String signatureAlgorithm(PrivateKey key, String source) throws GeneralSecurityException {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm() + " in " + source + " (RSA or EC)");
        };
    }
}
