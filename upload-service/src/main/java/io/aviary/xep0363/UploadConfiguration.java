package io.aviary.xep0363;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.cluster.ClusterService;
import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * XEP-0363 HTTP File Upload (capability {@code upload}, on the upload topic) at {@code upload.<domain>}, with its HTTP
 * listener; only where the upload tier runs ({@code aviary.upload.enabled}, default true).
 */
@AutoConfiguration(afterName = "io.aviary.bus.kafka.KafkaBusConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("upload")
@ConditionalOnProperty(prefix = "aviary.upload", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(UploadProperties.class)
public class UploadConfiguration {

    private static final Logger log = LoggerFactory.getLogger(UploadConfiguration.class);

    @Bean(destroyMethod = "")
    public FileStore uploadFileStore(UploadProperties properties, @Value("${aviary.data-dir:./data}") Path dataDir)
            throws IOException {
        if (properties.store() == UploadProperties.StoreType.S3) {
            return S3FileStore.of(properties.s3());
        }
        Path root = properties.directory() != null ? properties.directory() : dataDir.resolve("upload");
        return new DirectoryFileStore(root, Clock.systemUTC());
    }

    @Bean
    public UploadMetrics uploadMetrics(ObjectProvider<MeterRegistry> meters) {
        return new UploadMetrics(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    public SlotSigner slotSigner(UploadProperties properties, Environment environment,
                                 @Value("${aviary.data-dir:./data}") Path dataDir) throws IOException {
        return SlotSigner.of(properties.http().secret(),
                environment.acceptsProfiles(Profiles.of(ClusterService.PROFILE)), dataDir);
    }

    @Bean(destroyMethod = "close")
    public UploadHttpServer uploadHttpServer(UploadProperties properties, FileStore store, SlotSigner signer,
                                             UploadMetrics metrics, Environment environment,
                                             @Value("${aviary.domain:localhost}") String domain,
                                             @Value("${aviary.data-dir:./data}") Path dataDir)
            throws IOException, GeneralSecurityException {
        UploadHttpServer server = new UploadHttpServer(store, signer, dataDir.resolve("upload-spool"),
                properties.expiry(), properties.maxConcurrentUploads(), metrics, Clock.systemUTC());
        UploadProperties.Http http = properties.http();
        server.start(http.bindAddress(), http.port(), http.tls() ? tls(http, environment, domain, dataDir) : null);
        return server;
    }

    /** A path setting as text: the plain {@link Environment} has no converter to {@link Path}. */
    private static Path pathSetting(Environment environment, String key) {
        String value = environment.getProperty(key);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /** The gateway's certificate (the same files, or the same self-signed pair in {@code <data-dir>/tls}). */
    private static SslContext tls(UploadProperties.Http http, Environment environment, String domain, Path dataDir)
            throws IOException, GeneralSecurityException {
        Path certificateFile = http.tlsCertificate() != null ? http.tlsCertificate()
                : pathSetting(environment, "aviary.gateway.tls-certificate");
        Path keyFile = http.tlsKey() != null ? http.tlsKey() : pathSetting(environment, "aviary.gateway.tls-key");
        ServerCertificate certificate = certificateFile != null ? ServerCertificate.load(certificateFile, keyFile)
                : ServerCertificate.selfSigned(dataDir.resolve("tls"), domain);
        // OpenSSL where its library loads (the standalone app brings it for the gateway): the JDK engine's first
        // context costs a fresh server about a second of start-up (Netty's self-check builds a PKCS#12 key store).
        SslProvider engine = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        return SslContextBuilder.forServer(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(engine).protocols("TLSv1.3", "TLSv1.2").build();
    }

    @Bean
    public Slots uploadSlots(UploadProperties properties, SlotSigner signer, UploadHttpServer server,
                             @Value("${aviary.domain:localhost}") String domain) {
        UploadProperties.Http http = properties.http();
        URI base = http.publicUrl() != null ? http.publicUrl()
                : URI.create((http.tls() ? "https://" : "http://") + domain + ":" + server.port());
        return new Slots(base, signer, properties.slotValidity(), Clock.systemUTC());
    }

    /** Deletes expired files every {@code sweep-interval}; every upload instance may, deletes are idempotent. */
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService uploadSweeper(FileStore store, UploadProperties properties) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "upload-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(() -> sweep(store, properties), interval, interval, TimeUnit.MILLISECONDS);
        return sweeper;
    }

    static void sweep(FileStore store, UploadProperties properties) {
        try {
            int deleted = store.deleteOlderThan(Clock.systemUTC().instant().minus(properties.expiry()));
            if (deleted > 0) {
                log.info("HTTP upload: deleted {} files older than {}", deleted, properties.expiry());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("HTTP upload: the expiry sweep failed: {}", e.toString());
        }
    }

    @Bean
    public Capability uploadCapability(UploadProperties properties, DomainBareJid domain, FileStore store, Slots slots,
                                       UploadMetrics metrics) throws IOException {
        DomainBareJid address = JidCreate.domainBareFrom(
                properties.address() != null ? properties.address() : "upload." + domain);
        HostedService service = HostedService.of(address, "HTTP File Upload", "store", "file",
                Set.of(UploadService.NAMESPACE));
        return Capability.of(declaration(service), registrar -> {
            registrar.service(address, new UploadService(service, domain, store, slots,
                    properties.maxFileSize().toBytes(), properties.quota().toBytes(), metrics,
                    registrar.context()::send));
            registrar.on(Events.ACCOUNT_REMOVED, account -> {
                try {
                    store.deleteOwner(FileKey.owner(account));
                } catch (IOException e) {
                    log.warn("HTTP upload: cannot delete the files of the removed account {}: {}", account, e.toString());
                }
            });
        });
    }

    static Declaration declaration(HostedService service) {
        return Declaration.builder("upload").summary("files shared by URL: slots, an HTTPS store, expiry")
                .topic(Topics.UPLOAD)
                .complete("XEP-0363", "HTTP File Upload", "1.1.0",
                        "at upload.<domain>: signed, expiring PUT URLs; max-file-size, per-account quota, expiry; "
                                + "files served as attachments unless image, audio, video or plain text")
                .hostedService(service).listensTo(Events.ACCOUNT_REMOVED).store("upload").build();
    }
}
