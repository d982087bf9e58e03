package io.aviary.xep0114;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.DomainBareJid;

/** The holders of one process (the standalone app), or of several in one JVM sharing it (tests). */
public final class LocalComponentHolders implements ComponentHolders {

    private final Map<DomainBareJid, String> holders = new ConcurrentHashMap<>();

    @Override
    public boolean hold(DomainBareJid domain, String instance) {
        String current = holders.putIfAbsent(domain, instance);
        return current == null || current.equals(instance);
    }

    @Override
    public boolean renew(DomainBareJid domain, String instance) {
        return hold(domain, instance);
    }

    @Override
    public void release(DomainBareJid domain, String instance) {
        holders.remove(domain, instance);
    }

    @Override
    public Optional<String> holder(DomainBareJid domain) {
        return Optional.ofNullable(holders.get(domain));
    }
}
