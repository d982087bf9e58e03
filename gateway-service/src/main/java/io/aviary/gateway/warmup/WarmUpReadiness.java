package io.aviary.gateway.warmup;

import io.aviary.gateway.Gateway;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Keeps the application out of service ({@code /actuator/health/readiness} answers 503, so Kubernetes sends a new
 * gateway no clients) until its login warm-up has run. The warm-up starts when Spring Boot first reports the
 * application ready to accept traffic, that is once every tier of the process is running (a login needs the router
 * and the state services too), and the gateway reports itself ready again when the warm-up is over, whatever its
 * outcome. The listeners are open meanwhile: a client that comes without asking the probe is served as before.
 *
 * <p>Then it hands {@code whenDone} the warm-up's status, 0 if every login succeeded and 1 otherwise; a training run
 * ({@link WarmUpProperties#exitWhenDone()}) exits with it.
 */
public final class WarmUpReadiness implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(WarmUpReadiness.class);

    private final LoginWarmUp warmUp;
    private final WarmUpAccounts accounts;
    private final Gateway gateway;
    private final ApplicationEventPublisher events;
    private final IntConsumer whenDone;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<LoginWarmUp.Outcome> outcome = new CompletableFuture<>();

    public WarmUpReadiness(LoginWarmUp warmUp, WarmUpAccounts accounts, Gateway gateway, ApplicationEventPublisher events,
                           IntConsumer whenDone) {
        this.warmUp = warmUp;
        this.accounts = accounts;
        this.gateway = gateway;
        this.events = events;
        this.whenDone = whenDone;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ContextClosedEvent) {
            // Before the gateway stops listening: a warm-up still running ends rather than fail against a closed port.
            warmUp.stop();
        } else if (event instanceof AvailabilityChangeEvent<?> change
                && change.getState() == ReadinessState.ACCEPTING_TRAFFIC && started.compareAndSet(false, true)) {
            warmUp();
        }
    }

    private void warmUp() {
        if (!warmUp.enabled()) {
            accounts.close();
            outcome.complete(LoginWarmUp.Outcome.none());
            whenDone.accept(0);
            return;
        }
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        InetSocketAddress target = new InetSocketAddress(loopbackFor(gateway.context().properties().bindAddress()),
                gateway.c2sPort());
        log.info("login warm-up: logging in to {}:{} before reporting ready", target.getHostString(), target.getPort());
        warmUp.run(target).whenComplete((result, error) -> {
            accounts.close();
            if (error != null) {
                log.warn("login warm-up failed; reporting ready without it", error);
            } else if (result.failed() > 0) {
                log.warn("login warm-up: {} logins in {} ms, {} failed {}", result.succeeded(), result.took().toMillis(),
                        result.failed(), result.failures());
            } else {
                log.info("login warm-up: {} logins in {} ms (median {} ms for the first tenth, {} ms for the last)",
                        result.succeeded(), result.took().toMillis(), String.format("%.1f", result.firstMedianMillis()),
                        String.format("%.1f", result.lastMedianMillis()));
            }
            AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
            if (error != null) {
                outcome.completeExceptionally(error);
            } else {
                outcome.complete(result);
            }
            whenDone.accept(error == null && result.failed() == 0 && result.succeeded() > 0 ? 0 : 1);
        });
    }

    /** The warm-up's outcome, once it has run. */
    public CompletableFuture<LoginWarmUp.Outcome> outcome() {
        return outcome;
    }

    /** Listening on every address: log in over loopback; on one address: over that one. */
    private static String loopbackFor(String bindAddress) {
        return switch (bindAddress) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "::1";
            default -> bindAddress;
        };
    }
}
