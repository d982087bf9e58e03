package io.aviary.xep0357;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0357 push notifications, under {@code aviary.push}.
 *
 * @param includeBody {@code aviary.push.include-body}: whether a notification carries the message's body (default
 *                    false: the body would go through the app developer's servers and the platform's push service;
 *                    XEP-0357 §"Security Considerations" asks servers to let this be limited)
 * @param burst       {@code aviary.push.burst}: after a notification, further messages for the same registration
 *                    only add to the next one's {@code message-count} for this long (default 30 s: the time a mobile
 *                    platform typically gives an app woken by a push to run and reconnect; a client that has not
 *                    come back by then is reminded by the next message)
 */
@ConfigurationProperties(prefix = "aviary.push")
public record PushProperties(@DefaultValue("false") boolean includeBody, @DefaultValue("30s") Duration burst) {

    public PushProperties {
        if (burst == null || burst.isNegative()) {
            throw new IllegalArgumentException("aviary.push.burst must not be negative: " + burst);
        }
    }
}
