package io.aviary.capability.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * On unless {@code aviary.capabilities.<name>.enabled=false}: put on a capability's auto-configuration, it switches
 * off everything the capability would register, its handlers, disco features and stream features with it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnCapabilityCondition.class)
public @interface ConditionalOnCapability {

    /** The capability's name, as in its declaration. */
    String value();
}
