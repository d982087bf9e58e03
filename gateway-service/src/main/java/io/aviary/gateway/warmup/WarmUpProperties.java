package io.aviary.gateway.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The gateway's start-up login warm-up ({@code aviary.gateway.warm-up.*}): before it reports itself ready, the
 * gateway logs in to its own c2s port this many times, so that the JIT has compiled the login path (TLS handshake,
 * stream parsing, SCRAM, binding, initial presence) before the first users arrive. Without it a fresh server's first
 * seconds of logins queue behind the compiler (docs/benchmarks.md, "A fresh server's first logins").
 *
 * @param logins      logins to make (default 1000; 0 turns the warm-up off and the gateway is ready at once)
 * @param concurrency logins in progress at once (default 16; the per-address connection cap applies to them too)
 * @param timeout     the longest the warm-up may take; after it the gateway reports itself ready anyway (default 60s)
 * @param exitWhenDone stop the process once the warm-up is over, with exit status 0 if every login succeeded and 1
 *                     otherwise (default false): a training run, which the build uses to write the class-data archive
 *                     README's command starts with ({@code -XX:ArchiveClassesAtExit} keeps the classes the start and
 *                     the logins loaded)
 */
public record WarmUpProperties(
        @DefaultValue("1000") int logins,
        @DefaultValue("16") int concurrency,
        @DefaultValue("60s") Duration timeout,
        @DefaultValue("false") boolean exitWhenDone) {
}
