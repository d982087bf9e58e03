package io.aviary.xep0363;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * XEP-0363 HTTP File Upload settings, under {@code aviary.upload}.
 *
 * @param address              {@code aviary.upload.address}: the service's JID (default {@code upload.<domain>})
 * @param maxFileSize          {@code aviary.upload.max-file-size}: the largest file one slot may carry (default 100MB,
 *                             advertised as {@code max-file-size}, XEP-0363 §3)
 * @param quota                {@code aviary.upload.quota}: what one account may keep stored at once (default 1GB);
 *                             a slot that would pass it is refused with {@code resource-constraint}
 * @param expiry               {@code aviary.upload.expiry}: files older than this are deleted (default 30 days)
 * @param sweepInterval        {@code aviary.upload.sweep-interval}: how often expired files are looked for (default 1h)
 * @param slotValidity         {@code aviary.upload.slot-validity}: how long a PUT URL may be used (default 10 minutes)
 * @param maxConcurrentUploads {@code aviary.upload.max-concurrent-uploads}: PUTs received at once by one instance
 *                             (default 16); beyond, 503 with Retry-After
 * @param store                {@code aviary.upload.store}: {@code directory} (default) or {@code s3}
 * @param directory            {@code aviary.upload.directory}: the directory store's root (default
 *                             {@code <aviary.data-dir>/upload}); its {@code .incoming} directory spools PUT bodies
 * @param s3                   {@code aviary.upload.s3.*}: the S3-compatible object store
 * @param http                 {@code aviary.upload.http.*}: the HTTP listener
 */
@ConfigurationProperties(prefix = "aviary.upload")
public record UploadProperties(String address,
                               @DefaultValue("100MB") DataSize maxFileSize,
                               @DefaultValue("1GB") DataSize quota,
                               @DefaultValue("30d") Duration expiry,
                               @DefaultValue("1h") Duration sweepInterval,
                               @DefaultValue("10m") Duration slotValidity,
                               @DefaultValue("16") int maxConcurrentUploads,
                               @DefaultValue("directory") StoreType store,
                               Path directory,
                               @DefaultValue S3 s3,
                               @DefaultValue Http http) {

    public enum StoreType { DIRECTORY, S3 }

    public UploadProperties {
        if (maxFileSize.toBytes() < 1 || quota.toBytes() < maxFileSize.toBytes()) {
            throw new IllegalArgumentException("aviary.upload.max-file-size must be positive and at most aviary.upload.quota");
        }
        if (maxConcurrentUploads < 1) {
            throw new IllegalArgumentException("aviary.upload.max-concurrent-uploads must be at least 1");
        }
    }

    /**
     * An S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage...), addressed path-style.
     *
     * @param endpoint  {@code aviary.upload.s3.endpoint}: e.g. {@code http://minio:9000}; unset means AWS's own
     * @param region    {@code aviary.upload.s3.region}: signing region (default {@code us-east-1})
     * @param bucket    {@code aviary.upload.s3.bucket}: the bucket, which must exist (default {@code aviary-upload})
     * @param accessKey {@code aviary.upload.s3.access-key}: unset means the SDK's default chain (environment, profile,
     *                  instance role)
     * @param secretKey {@code aviary.upload.s3.secret-key}
     */
    public record S3(URI endpoint, @DefaultValue("us-east-1") String region, @DefaultValue("aviary-upload") String bucket,
                     String accessKey, String secretKey) {
    }

    /**
     * The HTTP side, where clients PUT and GET the files.
     *
     * @param bindAddress    {@code aviary.upload.http.bind-address} (default {@code 0.0.0.0})
     * @param port           {@code aviary.upload.http.port} (default 5281, Prosody's HTTPS port; 0 picks a free one)
     * @param tls            {@code aviary.upload.http.tls}: HTTPS with the server's certificate (default true);
     *                       false for plain HTTP behind a TLS-terminating proxy
     * @param publicUrl      {@code aviary.upload.http.public-url}: the base of the URLs handed out (default
     *                       {@code https://<domain>:<port>}); set it behind a proxy or load balancer
     * @param secret         {@code aviary.upload.http.secret}: the HMAC key of PUT URLs; required in a cluster (every
     *                       upload instance must share it); standalone generates one in the data directory
     * @param tlsCertificate {@code aviary.upload.http.tls-certificate}: PEM chain (default the gateway's
     *                       {@code aviary.gateway.tls-certificate}, else the self-signed one in {@code <data-dir>/tls})
     * @param tlsKey         {@code aviary.upload.http.tls-key}: its key (default {@code aviary.gateway.tls-key})
     */
    public record Http(@DefaultValue("0.0.0.0") String bindAddress, @DefaultValue("5281") int port,
                       @DefaultValue("true") boolean tls, URI publicUrl, String secret, Path tlsCertificate,
                       Path tlsKey) {
    }
}
