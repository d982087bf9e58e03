package io.aviary.gateway;

import io.aviary.account.AccountStore;
import io.aviary.account.FastTokenStore;
import io.aviary.account.InBandRegistration;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.ServerDescription;
import io.aviary.gateway.http.HttpListener;
import io.aviary.gateway.http.HttpProperties;
import io.aviary.gateway.limits.ConnectionLimits;
import io.aviary.gateway.sm.SmMetrics;
import io.aviary.gateway.sm.StreamManagement;
import io.aviary.gateway.sm.StreamManagementProperties;
import io.aviary.gateway.sasl2.Bind2Feature;
import io.aviary.gateway.sasl2.CarbonsInline;
import io.aviary.gateway.sasl2.Sasl2;
import io.aviary.gateway.sasl2.Sasl2Metrics;
import io.aviary.gateway.sasl2.Sasl2Properties;
import io.aviary.gateway.stream.AuthProperties;
import io.aviary.gateway.stream.ConnectionDirectory;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.stream.LoginThrottle;
import io.aviary.gateway.stream.RegistrationThrottle;
import io.aviary.gateway.stream.StreamWorkers;
import io.aviary.gateway.tcp.TcpListener;
import io.aviary.gateway.warmup.LoginWarmUp;
import io.aviary.gateway.warmup.WarmUpAccounts;
import io.aviary.gateway.warmup.WarmUpReadiness;
import io.aviary.tls.ServerCertificate;
import io.aviary.gateway.tls.CertificateReloader;
import io.aviary.gateway.tls.ServerTls;
import io.aviary.session.SessionRegistry;
import io.aviary.session.redis.GatewayHeartbeat;
import io.aviary.session.redis.RedisRegistryProperties;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.sasl.DecoyCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The gateway tier: on unless {@code aviary.gateway.enabled=false}. */
@AutoConfiguration
@ConditionalOnProperty(prefix = "aviary.gateway", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({GatewayProperties.class, HttpProperties.class, AuthProperties.class,
        StreamManagementProperties.class, Sasl2Properties.class})
public class GatewayConfiguration {

    @Bean
    public ServerTls serverTls(GatewayProperties properties, @Value("${aviary.domain:localhost}") String domain,
                               @Value("${aviary.data-dir:./data}") Path dataDir) throws IOException, GeneralSecurityException {
        ServerCertificate certificate = properties.tlsCertificate() != null
                ? ServerCertificate.load(properties.tlsCertificate(), properties.tlsKey())
                : ServerCertificate.selfSigned(dataDir.resolve("tls"), domain);
        return new ServerTls(certificate, properties.tlsProvider());
    }

    /** A renewed certificate is taken up without a restart; the expiry is a metric. */
    @Bean(destroyMethod = "close")
    public CertificateReloader certificateReloader(ServerTls tls, GatewayProperties properties, MeterRegistry meters) {
        return new CertificateReloader(tls, properties.tlsCertificate(), properties.tlsKey(),
                properties.tlsReloadInterval(), meters);
    }

    @Bean
    public GatewayContext gatewayContext(GatewayProperties properties, AuthProperties auth,
                                         @Value("${aviary.domain:localhost}") String domain,
                                         StanzaBus bus, SessionRegistry registry, AccountStore accounts,
                                         ObjectProvider<InBandRegistration> registration,
                                         Supplier<ServerDescription> server, StreamWorkers workers,
                                         MeterRegistry meters, StreamManagementProperties sm,
                                         ResumptionStore resumptions, Sasl2 sasl2, WarmUpAccounts warmUpAccounts)
            throws IOException {
        String id = properties.id() != null ? properties.id() : "gw-" + UUID.randomUUID().toString().substring(0, 8);
        return new GatewayContext(JidCreate.domainBareFrom(domain), id, properties, bus, registry,
                warmUpAccounts, new SecureRandom(), DecoyCredentials.perProcess(),
                Optional.ofNullable(registration.getIfAvailable()),
                new LoginThrottle(properties.failedLoginsPerMinute(), auth, Clock.systemUTC()),
                new RegistrationThrottle(auth, Clock.systemUTC()), workers,
                new ConnectionDirectory(), () -> server.get().streamFeatures(), new GatewayMetrics(meters),
                new StreamManagement(sm, resumptions, registry, bus, id, new SmMetrics(meters),
                        new UndeliveredMessages(bus, meters, Clock.systemUTC()), Clock.systemUTC()), sasl2);
    }

    /** The accounts of the login warm-up, which SASL finds after the stored ones, only while the warm-up runs. */
    @Bean
    public WarmUpAccounts warmUpAccounts(AccountStore accounts) {
        return new WarmUpAccounts(accounts, new SecureRandom());
    }

    /**
     * Logs in to the gateway's own port after start and holds the readiness probe until it has; in a training run
     * ({@code warm-up.exit-when-done}) the process then exits with the warm-up's status.
     */
    @Bean
    public WarmUpReadiness warmUpReadiness(Gateway gateway, WarmUpAccounts accounts, ApplicationEventPublisher events,
                                           @Value("${aviary.domain:localhost}") String domain,
                                           ConfigurableApplicationContext context) {
        GatewayProperties properties = gateway.context().properties();
        IntConsumer whenDone = properties.warmUp().exitWhenDone() ? status -> exit(context, status) : status -> { };
        return new WarmUpReadiness(new LoginWarmUp(properties.warmUp(), accounts, domain), accounts, gateway, events,
                whenDone);
    }

    /** Closes the application and ends the process, on a thread of its own: not one the closing waits for. */
    private static void exit(ConfigurableApplicationContext context, int status) {
        new Thread(() -> System.exit(SpringApplication.exit(context, () -> status)), "warm-up-exit").start();
    }

    /** XEP-0388 SASL2 with XEP-0386 Bind2 (and its inline features, every {@link Bind2Feature} bean) and XEP-0484 FAST. */
    @Bean
    public Sasl2 sasl2(Sasl2Properties properties, FastTokenStore fastTokens, ObjectProvider<Bind2Feature> features,
                       MeterRegistry meters) {
        return new Sasl2(properties, fastTokens, features.orderedStream().toList(), new Sasl2Metrics(meters),
                new SecureRandom(), Clock.systemUTC());
    }

    /** XEP-0280 carbons enabled inside a Bind2 request. */
    @Bean
    public CarbonsInline carbonsInline(SessionRegistry registry) {
        return new CarbonsInline(registry);
    }

    /** Closed by the container after the gateway has stopped, letting the unbinds of the last streams finish. */
    @Bean
    public StreamWorkers streamWorkers(AuthProperties auth) {
        return new StreamWorkers(auth.workerThreads(), auth.queue());
    }

    @Bean
    public Gateway gateway(GatewayContext context, ServerTls tls, HttpProperties http,
                           ObjectProvider<GatewayHeartbeat> heartbeat) {
        GatewayProperties properties = context.properties();
        ConnectionLimits limits = new ConnectionLimits(properties.maxConnections(), properties.maxConnectionsPerAddress());
        return new Gateway(context, new TcpListener(context, tls, limits), new HttpListener(context, http, tls, limits),
                Optional.ofNullable(heartbeat.getIfAvailable()));
    }

    /** In a cluster the gateway keeps its liveness key in the Redis registry fresh (design.md, "Registry"). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "aviary.registry.type", havingValue = "redis")
    static class Liveness {

        @Bean
        public GatewayHeartbeat gatewayHeartbeat(StringRedisTemplate registryRedisTemplate, GatewayContext context,
                                                 RedisRegistryProperties properties) {
            return new GatewayHeartbeat(registryRedisTemplate, context.gatewayId(), properties);
        }
    }
}
