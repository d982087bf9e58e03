package io.aviary.offline;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link OfflineStore} in memory: for tests and servers without a database. */
public final class InMemoryOfflineStore implements OfflineStore {

    private final Map<String, List<XmlElement>> messages = new ConcurrentHashMap<>();

    @Override
    public boolean store(String account, XmlElement message, int quota) {
        boolean[] stored = new boolean[1];
        messages.compute(account, (a, list) -> {
            List<XmlElement> updated = list == null ? new ArrayList<>() : list;
            if (updated.size() < quota) {
                updated.add(message);
                stored[0] = true;
            }
            return updated.isEmpty() ? null : updated;
        });
        return stored[0];
    }

    @Override
    public List<XmlElement> take(String account) {
        List<XmlElement> taken = messages.remove(account);
        return taken == null ? List.of() : List.copyOf(taken);
    }

    @Override
    public void deleteAll(String account) {
        messages.remove(account);
    }
}
