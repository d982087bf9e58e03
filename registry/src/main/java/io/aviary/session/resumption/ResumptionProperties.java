package io.aviary.session.resumption;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code aviary.resumption.*}: where XEP-0198 sessions end when nobody resumes them.
 *
 * @param reapInterval how often the {@link HibernationReaper} looks for sessions whose resumption time has ended
 * @param reapBatch    expired sessions taken per look (more wait for the next one)
 * @param keyMargin    Redis only: how long a session's state outlives its resumption time without writes; longer
 *                     than the gateway's idle timeout, after which a silent stream is hibernated (and the state
 *                     renewed)
 */
@ConfigurationProperties("aviary.resumption")
public record ResumptionProperties(
        @DefaultValue("1s") Duration reapInterval,
        @DefaultValue("100") int reapBatch,
        @DefaultValue("15m") Duration keyMargin) {

    public ResumptionProperties {
        if (reapInterval.isNegative() || reapInterval.isZero() || reapBatch < 1) {
            throw new IllegalArgumentException("aviary.resumption.reap-interval and reap-batch must be positive");
        }
    }
}
