package io.aviary.capability.spring;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Evaluates {@link ConditionalOnCapability}. */
public final class OnCapabilityCondition extends SpringBootCondition {

    /** Whether the operator left a capability on (the default). */
    public static boolean enabled(Environment environment, String capability) {
        return environment.getProperty("aviary.capabilities." + capability + ".enabled", Boolean.class, true);
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnCapability.class.getName());
        String name = (String) attributes.get("value");
        return enabled(context.getEnvironment(), name)
                ? ConditionOutcome.match("capability " + name + " is enabled")
                : ConditionOutcome.noMatch("aviary.capabilities." + name + ".enabled=false");
    }
}
