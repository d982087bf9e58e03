package io.aviary.capability;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The catalogue of a single process (the standalone app, tests). */
public final class InMemoryCapabilityCatalogue implements CapabilityCatalogue {

    private final Map<String, List<Declaration>> byService = new ConcurrentHashMap<>();
    /** Built once per publication: the router reads the catalogue for every stanza it routes. */
    private volatile List<Declaration> declarations = List.of();

    @Override
    public synchronized void publish(String service, List<Declaration> declarations) {
        byService.put(service, List.copyOf(declarations));
        this.declarations = distinctByName(byService.values().stream().flatMap(List::stream).toList());
    }

    @Override
    public List<Declaration> declarations() {
        return declarations;
    }

    /** One declaration per capability name (tiers that run the same capability publish it alike), sorted by name. */
    public static List<Declaration> distinctByName(List<Declaration> declarations) {
        Map<String, Declaration> byName = new TreeMap<>();
        declarations.forEach(d -> byName.putIfAbsent(d.name(), d));
        return byName.values().stream().sorted(Comparator.comparing(Declaration::name)).toList();
    }
}
