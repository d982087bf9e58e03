package io.aviary.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate and key the gateway presents: the configured PEM files, or a self-signed pair
 * generated once in the data directory and reused on later starts (design.md, "Security defaults").
 */
public record ServerCertificate(Path certificateFile, Path keyFile, X509Certificate certificate) {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

    public static ServerCertificate load(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new ServerCertificate(certificateFile, keyFile, certificate);
        }
    }

    /** Uses the files in {@code directory} if an earlier start made them, else makes a self-signed pair for {@code domain}. */
    public static ServerCertificate selfSigned(Path directory, String domain) throws IOException, GeneralSecurityException {
        Path certificateFile = directory.resolve("self-signed-" + domain + ".crt");
        Path keyFile = directory.resolve("self-signed-" + domain + ".key");
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            log.info("TLS: using the self-signed certificate generated earlier for {} in {}", domain, certificateFile);
            return load(certificateFile, keyFile);
        }
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, new SecureRandom());
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = sign(keyPair, domain);
        try (Writer out = new JcaPEMWriter(Files.newBufferedWriter(certificateFile))) {
            ((JcaPEMWriter) out).writeObject(certificate);
        }
        try (Writer out = new JcaPEMWriter(Files.newBufferedWriter(keyFile))) {
            ((JcaPEMWriter) out).writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keyPair.getPrivate(), null));
        }
        log.warn("TLS: no certificate configured; generated a self-signed certificate for {} in {} "
                + "(clients must accept it; set aviary.gateway.tls-certificate and tls-key for a real one)",
                domain, certificateFile);
        return new ServerCertificate(certificateFile, keyFile, certificate);
    }

    private static X509Certificate sign(KeyPair keyPair, String domain) throws GeneralSecurityException {
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
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot sign the self-signed certificate", e);
        }
    }
}
