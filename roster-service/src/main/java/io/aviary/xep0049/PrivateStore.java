package io.aviary.xep0049;

import java.util.List;
import java.util.Optional;

/** Private XML per account, one serialized element per element name and namespace (XEP-0049). */
public interface PrivateStore {

    /** One stored element's key and its size in bytes of UTF-8, for the account's quota. */
    record Usage(String name, String namespace, long bytes) {
    }

    Optional<String> get(String username, String name, String namespace);

    /** What the account stores, element by element, without reading the elements themselves. */
    List<Usage> usage(String username);

    /** Stores or replaces the element kept under this name and namespace. */
    void put(String username, String name, String namespace, String element);

    /** Removes everything the account stored. */
    void deleteAll(String username);
}
