package io.aviary.xep0077;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0077 settings for authenticated users, under {@code aviary.registration}.
 *
 * @param passwordChange {@code aviary.registration.password-change}: users may change their
 *     password in-band (default true; when false the server answers {@code not-allowed}, §3.3)
 * @param cancel         {@code aviary.registration.cancel}: users may cancel (delete) their own
 *     account in-band (default true; when false {@code not-allowed}, §3.2)
 */
@ConfigurationProperties(prefix = "aviary.registration")
public record RegistrationProperties(@DefaultValue("true") boolean passwordChange, @DefaultValue("true") boolean cancel) {
}
