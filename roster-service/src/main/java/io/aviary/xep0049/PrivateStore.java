package io.aviary.xep0049;

import java.util.Optional;

/** Private XML per account, one serialized element per element name and namespace (XEP-0049). */
public interface PrivateStore {

    Optional<String> get(String username, String name, String namespace);

    /** Stores or replaces the element kept under this name and namespace. */
    void put(String username, String name, String namespace, String element);

    /** Removes everything the account stored. */
    void deleteAll(String username);
}
