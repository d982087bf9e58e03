package io.aviary.xmpp.sasl;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Self-signed test certificates made with OpenSSL 3.0 ({@code openssl req -x509}, CN=example.org),
 * one per signature algorithm that RFC 5929 §4.1 treats differently.
 */
final class TestCertificates {

    static final String EC_SHA1 = """
            -----BEGIN CERTIFICATE-----
            MIIBgjCCASigAwIBAgIUYu9LoNhjlcRm2Z1kC9zTZl/RrEowCQYHKoZIzj0EATAW
            MRQwEgYDVQQDDAtleGFtcGxlLm9yZzAgFw0yNjExMjMyMDQ0MjlaGA8yMTI2MTAz
            MDIwNDQyOVowFjEUMBIGA1UEAwwLZXhhbXBsZS5vcmcwWTATBgcqhkjOPQIBBggq
            hkjOPQMBBwNCAARdW1CnW0+a6z5dbbAm5ILGZOPYj8JnhJgKtczrO5O7AgITj0kF
            52274faBkTenFqglen8+ABKO3zd49OxFHZ0vo1MwUTAdBgNVHQ4EFgQURrhGLvvW
            GpQqELloenw0gXafcV4wHwYDVR0jBBgwFoAURrhGLvvWGpQqELloenw0gXafcV4w
            DwYDVR0TAQH/BAUwAwEB/zAJBgcqhkjOPQQBA0kAMEYCIQCxnKbXSUSgxhdl6Oeo
            MEo2s+Yj/ke5SO91PXQeBJ3qugIhAMHAniKc43iuVlKDjxeYtlDsj3oSrQcVGVqo
            u0Lsh4mU
            -----END CERTIFICATE-----
            """;

    static final String EC_SHA256 = """
            -----BEGIN CERTIFICATE-----
            MIIBgzCCASmgAwIBAgIUEDw+fEYPEUU0GvPSTHOssCaNor4wCgYIKoZIzj0EAwIw
            FjEUMBIGA1UEAwwLZXhhbXBsZS5vcmcwIBcNMjYxMTIzMjA0NDI5WhgPMjEyNjEw
            MzAyMDQ0MjlaMBYxFDASBgNVBAMMC2V4YW1wbGUub3JnMFkwEwYHKoZIzj0CAQYI
            KoZIzj0DAQcDQgAEXVtQp1tPmus+XW2wJuSCxmTj2I/CZ4SYCrXM6zuTuwICE49J
            Bedtu+H2gZE3pxaoJXp/PgASjt83ePTsRR2dL6NTMFEwHQYDVR0OBBYEFEa4Ri77
            1hqUKhC5aHp8NIF2n3FeMB8GA1UdIwQYMBaAFEa4Ri771hqUKhC5aHp8NIF2n3Fe
            MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAPRLVr+MRcaJOCon
            I39MR2Qb0Jc1j0wPH40yLMGUuHNkAiAf6WKw4x3gdVIwri+hXBOAPvFoc0LVaB1s
            t0XtBM8RoA==
            -----END CERTIFICATE-----
            """;

    static final String EC_SHA384 = """
            -----BEGIN CERTIFICATE-----
            MIIBhDCCASmgAwIBAgIUR+DMJqWNhOSHLl0gaE5MJ+ptFn0wCgYIKoZIzj0EAwMw
            FjEUMBIGA1UEAwwLZXhhbXBsZS5vcmcwIBcNMjYxMTIzMjA0NDI5WhgPMjEyNjEw
            MzAyMDQ0MjlaMBYxFDASBgNVBAMMC2V4YW1wbGUub3JnMFkwEwYHKoZIzj0CAQYI
            KoZIzj0DAQcDQgAEXVtQp1tPmus+XW2wJuSCxmTj2I/CZ4SYCrXM6zuTuwICE49J
            Bedtu+H2gZE3pxaoJXp/PgASjt83ePTsRR2dL6NTMFEwHQYDVR0OBBYEFEa4Ri77
            1hqUKhC5aHp8NIF2n3FeMB8GA1UdIwQYMBaAFEa4Ri771hqUKhC5aHp8NIF2n3Fe
            MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwMDSQAwRgIhAOIga1sdvdVPVMmf
            RldKJbIbG4XzFpR030+FnKI+21oBAiEA/IP21OhxHNuiq0DBqhVEBnqlUDMUOfwe
            +uf6lh0VOuk=
            -----END CERTIFICATE-----
            """;

    static final String ED25519 = """
            -----BEGIN CERTIFICATE-----
            MIIBQjCB9aADAgECAhQ7Vh56Fu+AL/+RBK+hPShaOLoaZDAFBgMrZXAwFjEUMBIG
            A1UEAwwLZXhhbXBsZS5vcmcwIBcNMjYxMTIzMjA0NDI5WhgPMjEyNjEwMzAyMDQ0
            MjlaMBYxFDASBgNVBAMMC2V4YW1wbGUub3JnMCowBQYDK2VwAyEAfc9LUoqlKA2h
            kf/v6lzfMzL76aI0uYomgtNVHuUGwaSjUzBRMB0GA1UdDgQWBBSPW/BMMqasKChP
            7OFoaTONcd3ngDAfBgNVHSMEGDAWgBSPW/BMMqasKChP7OFoaTONcd3ngDAPBgNV
            HRMBAf8EBTADAQH/MAUGAytlcANBAJstlltj/Hvjg8skwGvaIPovaX53Adf8ZKEt
            3gek8HyK7rkWelwE6IOQCAR+E277v4g4Dwzmtfuq/6mamShKVws=
            -----END CERTIFICATE-----
            """;

    static final String RSA_PSS_SHA512 = """
            -----BEGIN CERTIFICATE-----
            MIIDdzCCAiugAwIBAgIUUDWj5PdZeTUHi3kz1pRJsrPu7NMwQQYJKoZIhvcNAQEK
            MDSgDzANBglghkgBZQMEAgMFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgMF
            AKIDAgFAMBYxFDASBgNVBAMMC2V4YW1wbGUub3JnMCAXDTI2MTEyMzIwNDQzMVoY
            DzIxMjYxMDMwMjA0NDMxWjAWMRQwEgYDVQQDDAtleGFtcGxlLm9yZzCCASIwDQYJ
            KoZIhvcNAQEBBQADggEPADCCAQoCggEBAI8Rfh99HZJT/mgzGRvzvpGUzYjdfRit
            Lunyk/FhPPXw1kffiz+ZnkJpTkuWt0J0zmDkPNPmYWFZVk5p/iC5AVTZla8a4iNX
            UYvlZ43X1d3Mda2EUKKqD/Q8zLlVqFLgNwLEOLlHftAVpO9pvMx5b6rIXv0LYag4
            q4H+1pc2M97vV1Clzix9tZGs1rM4TvQj3p/G8pBTDLot9OmeJ7zZwIXI5dZYjVQL
            iNPTgGo26RKjMAq/rco8ygQuh/VqJoXVJGD/hitLEaQkg5THYRXiNOa6UdIqyM18
            a0uIxLFI8jMSFSHIlM1DeoItXFD/i+16lN5HrcLI6OdEYFsxqkfOswcCAwEAAaNT
            MFEwHQYDVR0OBBYEFOufqBFPJXmHkvW6+2QGQSWuGzBKMB8GA1UdIwQYMBaAFOuf
            qBFPJXmHkvW6+2QGQSWuGzBKMA8GA1UdEwEB/wQFMAMBAf8wQQYJKoZIhvcNAQEK
            MDSgDzANBglghkgBZQMEAgMFAKEcMBoGCSqGSIb3DQEBCDANBglghkgBZQMEAgMF
            AKIDAgFAA4IBAQAp8yTsw3GNMnJwxKivs9AD0xYCmCv3NQhuxAv4mnsQ4zY6f/L3
            hjErwI5upizA7w5GU4bL3jGZu/TYh/c/x4TdkxnEPMfIRQ8k3zhVMezZu6sdBKag
            aynjA3TXCN5VJH14OpacKh2bxPundQSAq9ipf3OcfXnCwNAHPwn83JkmOC52xCg9
            /ZbmbTdAOKT8uJVNitisADQa+Emhy0WtFKA5HY+yWr7sq3R+fmh5K2FygUh44F9h
            EmfThnXlZT/eN7hx3GT7fvIJA7jdy9YNnkHsS7ZxNgJniGRVtk0G11UaCN6SHF5g
            rVwOf3j/sHKCY2GlajAdGLxWfI9n+bUEymHz
            -----END CERTIFICATE-----
            """;

    private TestCertificates() {
    }

    static X509Certificate load(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new AssertionError(e);
        }
    }
}
