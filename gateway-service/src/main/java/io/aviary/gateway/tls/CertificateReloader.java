package io.aviary.gateway.tls;

import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configured certificate and key files and hands {@link ServerTls} the new pair when they change (a
 * certificate renewed by certbot or cert-manager): checked every {@code interval}, reloaded once both files read as a
 * matching pair, so a renewal that writes the two files one after the other is picked up on the check after the
 * second; a pair that does not load (half written, or mismatched) leaves the current certificate in place and counts in
 * {@code xmpp.tls.reload.failures}. Publishes the presented certificate's expiry as the gauge
 * {@code xmpp.tls.certificate.expiry} (epoch seconds), for an alert before it lapses.
 */
public final class CertificateReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    private final ServerTls tls;
    private final Path certificateFile;
    private final Path keyFile;
    private final Counter failures;
    private final ScheduledExecutorService timer;
    private List<Object> seen;

    public CertificateReloader(ServerTls tls, Path certificateFile, Path keyFile, Duration interval,
                               MeterRegistry meters) {
        this.tls = tls;
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.failures = Counter.builder("xmpp.tls.reload.failures")
                .description("certificate files that changed but could not be loaded").register(meters);
        Gauge.builder("xmpp.tls.certificate.expiry", tls, t -> t.certificate().getNotAfter().getTime() / 1000.0)
                .baseUnit("seconds").description("when the certificate presented to new connections expires (epoch)")
                .register(meters);
        this.seen = stamp();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tls-certificate-reload");
            thread.setDaemon(true);
            return thread;
        });
        if (certificateFile != null && !interval.isZero() && !interval.isNegative()) {
            timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reloads when the files changed since the last load; whether it did. */
    synchronized boolean check() {
        List<Object> now = stamp();
        if (now.equals(seen)) {
            return false;
        }
        try {
            tls.reload(ServerCertificate.load(certificateFile, keyFile));
            seen = now;
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Not remembered as seen: the next check tries again, in case the second file was still being written.
            failures.increment();
            log.warn("TLS: the changed certificate files {} and {} do not load ({}); keeping the current certificate",
                    certificateFile, keyFile, e.toString());
            return false;
        }
    }

    /** The files' modification times and sizes. */
    private List<Object> stamp() {
        if (certificateFile == null) {
            return List.of();
        }
        try {
            return List.of(Files.getLastModifiedTime(certificateFile), Files.size(certificateFile),
                    Files.getLastModifiedTime(keyFile), Files.size(keyFile));
        } catch (IOException e) {
            return List.of(e.getClass().getName());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
