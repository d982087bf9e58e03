package io.aviary.xmpp.xml;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The attributes of an {@link XmlElement}: immutable, in document order, kept in two arrays. An element has a handful
 * of attributes, so a scan finds one as fast as a hash would, and every stanza the server copies to change one thing
 * (a stamp, an address) shares its attributes instead of rebuilding a linked hash map.
 */
final class Attributes extends AbstractMap<String, String> {

    private final String[] keys;
    private final String[] values;

    private Attributes(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** {@code attributes} frozen in their iteration order: itself when already frozen, the shared empty map if none. */
    static Map<String, String> of(Map<String, String> attributes) {
        if (attributes instanceof Attributes) {
            return attributes;
        }
        if (attributes.isEmpty()) {
            return Map.of();
        }
        String[] keys = new String[attributes.size()];
        String[] values = new String[keys.length];
        int i = 0;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            keys[i] = attribute.getKey();
            values[i++] = attribute.getValue();
        }
        return new Attributes(keys, values);
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        Objects.requireNonNull(action);
        for (int i = 0; i < keys.length; i++) {
            action.accept(keys[i], values[i]);
        }
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
