package io.aviary.xep0313;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0313 query settings, under {@code aviary.archive}.
 *
 * @param maxPage {@code aviary.archive.max-page}: the most messages one query page returns (default 100); a client's
 *                larger RSM {@code <max/>} is cut to it and the fin says the page is not complete
 */
@ConfigurationProperties(prefix = "aviary.archive")
public record MamProperties(@DefaultValue("100") int maxPage) {

    public MamProperties {
        if (maxPage < 1) {
            throw new IllegalArgumentException("aviary.archive.max-page must be at least 1");
        }
    }
}
