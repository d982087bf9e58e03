package io.aviary.admin.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;

/** The actuator's health of this process, flattened: {@code status} and each component's status by name. */
public final class ServerHealth implements Supplier<Map<String, String>> {

    private final ObjectProvider<HealthEndpoint> endpoint;

    /** @param endpoint the actuator's health endpoint, looked up when asked (none: an empty answer) */
    public ServerHealth(ObjectProvider<HealthEndpoint> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Map<String, String> get() {
        HealthEndpoint available = endpoint.getIfAvailable();
        if (available == null) {
            return Map.of();
        }
        HealthDescriptor health = available.health();
        Map<String, String> statuses = new LinkedHashMap<>();
        statuses.put("status", health.getStatus().getCode());
        if (health instanceof CompositeHealthDescriptor composite && composite.getComponents() != null) {
            composite.getComponents().forEach((name, component) -> statuses.put(name, component.getStatus().getCode()));
        }
        return statuses;
    }
}
