package io.aviary.xep0163;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an account's PEP service knows of one contact's (or its own) available resources, from the presence they sent
 * to the account: priority and caps, and whether the caps' features were known when last looked at. Kept as lines of
 * tab-separated values in a key-value store, under the account and the contact's bare JID.
 */
final class ContactResources {

    /** One available resource; {@code caps} null without usable caps; {@code resolved} once its features are known. */
    record Resource(int priority, ClientCaps caps, boolean resolved) {
    }

    private final Map<String, Resource> resources;

    private ContactResources(Map<String, Resource> resources) {
        this.resources = resources;
    }

    static ContactResources parse(Optional<String> stored) {
        Map<String, Resource> resources = new LinkedHashMap<>();
        stored.ifPresent(text -> {
            for (String line : text.split("\n")) {
                String[] f = line.split("\t", -1);
                if (f.length == 6) {
                    ClientCaps caps = f[3].isEmpty() ? null : new ClientCaps(f[3], f[4], f[5]);
                    resources.put(f[0], new Resource(Integer.parseInt(f[1]), caps, Boolean.parseBoolean(f[2])));
                }
            }
        });
        return new ContactResources(resources);
    }

    String format() {
        StringBuilder s = new StringBuilder();
        resources.forEach((resource, r) -> s.append(resource).append('\t').append(r.priority()).append('\t')
                .append(r.resolved()).append('\t').append(r.caps() == null ? "" : r.caps().hash()).append('\t')
                .append(r.caps() == null ? "" : r.caps().node()).append('\t')
                .append(r.caps() == null ? "" : r.caps().ver()).append('\n'));
        return s.toString();
    }

    boolean isEmpty() {
        return resources.isEmpty();
    }

    Map<String, Resource> resources() {
        return resources;
    }

    Optional<Resource> get(String resource) {
        return Optional.ofNullable(resources.get(resource));
    }

    void put(String resource, Resource value) {
        resources.put(resource, value);
    }

    void remove(String resource) {
        resources.remove(resource);
    }
}
