package io.aviary.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.tls.ServerCertificate;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate files the gateway reads and writes, and the engine {@code auto} picks. */
class ServerCertificateTest {

    @TempDir
    Path dir;

    static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void firstStartGeneratesAnEcdsaP256CertificateThatLaterStartsReuse() throws Exception {
        ServerCertificate first = ServerCertificate.selfSigned(dir, "example.org");
        assertThat(first.key()).isInstanceOf(ECPrivateKey.class);
        assertThat(first.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(first.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=example.org");

        ServerCertificate again = ServerCertificate.selfSigned(dir, "example.org");
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.key().getEncoded()).isEqualTo(first.key().getEncoded());
    }

    @Test
    void theGeneratedKeyAndItsDirectoryAreTheOwnersOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path tls = dir.resolve("tls");
        ServerCertificate.selfSigned(tls, "example.org");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("self-signed-example.org.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anRsaPairGeneratedByAnEarlierVersionIsStillUsed() throws Exception {
        ServerCertificate earlier = ServerCertificate.generate("example.org", rsa(), dir.resolve("x"));
        earlier.write(dir.resolve("self-signed-example.org.crt"), dir.resolve("self-signed-example.org.key"));

        ServerCertificate reused = ServerCertificate.selfSigned(dir, "example.org");
        assertThat(reused.certificate()).isEqualTo(earlier.certificate());
        assertThat(reused.key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void keysAreReadInPkcs8AndInTheTraditionalRsaAndEcFormats() throws Exception {
        for (KeyPair pair : new KeyPair[] {rsa(), ec()}) {
            ServerCertificate generated = ServerCertificate.generate("example.org", pair, dir.resolve("chain.pem"));
            generated.write(dir.resolve("chain.pem"), dir.resolve("pkcs8.pem"));
            // "BEGIN RSA PRIVATE KEY" (PKCS#1) or "BEGIN EC PRIVATE KEY" (SEC 1), as openssl genrsa/ecparam write them.
            try (JcaPEMWriter out = new JcaPEMWriter(Files.newBufferedWriter(dir.resolve("traditional.pem")))) {
                out.writeObject(traditional(pair));
            }
            assertThat(Files.readString(dir.resolve("traditional.pem"))).contains("BEGIN " + pair.getPrivate().getAlgorithm() + " PRIVATE KEY");

            for (String keyFile : new String[] {"pkcs8.pem", "traditional.pem"}) {
                ServerCertificate loaded = ServerCertificate.load(dir.resolve("chain.pem"), dir.resolve(keyFile));
                assertThat(loaded.certificate()).as(keyFile).isEqualTo(generated.certificate());
                // load() signs with the key and verifies with the certificate, so this is the same key.
                assertThat(loaded.key().getAlgorithm()).as(keyFile).isEqualTo(pair.getPrivate().getAlgorithm());
            }
        }
    }

    /** PKCS#1 for RSA; for EC, SEC 1 with the named curve inside, as {@code openssl ecparam -genkey} writes it. */
    private static Object traditional(KeyPair pair) throws Exception {
        if (pair.getPrivate() instanceof ECPrivateKey ec) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), info.getPrivateKeyAlgorithm().getParameters());
            return new PemObject("EC PRIVATE KEY", sec1.getEncoded());
        }
        return pair.getPrivate();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAtStart() throws Exception {
        ServerCertificate.generate("example.org", ec(), dir.resolve("a.crt")).write(dir.resolve("a.crt"), dir.resolve("a.key"));
        ServerCertificate.generate("example.org", ec(), dir.resolve("b.crt")).write(dir.resolve("b.crt"), dir.resolve("b.key"));

        assertThatThrownBy(() -> ServerCertificate.load(dir.resolve("a.crt"), dir.resolve("b.key")))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void autoPicksOpenSslWhereItsNativeLibraryLoads() {
        // netty-tcnative-boringssl-static ships the library for the platforms we build and deploy on.
        assertThat(OpenSsl.isAvailable()).as("OpenSSL unavailable: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(ServerTls.engine(TlsProvider.AUTO)).isEqualTo(SslProvider.OPENSSL);
        assertThat(ServerTls.engine(TlsProvider.OPENSSL)).isEqualTo(SslProvider.OPENSSL);
        assertThat(ServerTls.engine(TlsProvider.JDK)).isEqualTo(SslProvider.JDK);
    }

    @Test
    void bothEnginesAcceptRsaAndEcKeys() throws Exception {
        for (KeyPair pair : new KeyPair[] {rsa(), ec()}) {
            ServerCertificate certificate = ServerCertificate.generate("example.org", pair, dir.resolve("c.pem"));
            for (TlsProvider provider : new TlsProvider[] {TlsProvider.OPENSSL, TlsProvider.JDK}) {
                ServerTls tls = new ServerTls(certificate, provider);
                assertThat(tls.context().isServer()).isTrue();
                assertThat(tls.certificate()).isEqualTo(certificate.certificate());
            }
        }
    }
}
