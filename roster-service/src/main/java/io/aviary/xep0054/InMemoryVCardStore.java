package io.aviary.xep0054;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** vCards in a map, for tests and servers that need not remember them across restarts. */
public final class InMemoryVCardStore implements VCardStore {

    private final ConcurrentHashMap<String, String> vcards = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String username) {
        return Optional.ofNullable(vcards.get(username));
    }

    @Override
    public void put(String username, String vcard) {
        vcards.put(username, vcard);
    }

    @Override
    public boolean delete(String username) {
        return vcards.remove(username) != null;
    }
}
