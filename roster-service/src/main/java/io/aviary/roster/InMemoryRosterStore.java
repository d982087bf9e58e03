package io.aviary.roster;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Rosters in memory, each guarded by its own lock: for tests and servers without a database. */
public final class InMemoryRosterStore implements RosterStore {

    private final Map<String, AccountRoster> rosters = new ConcurrentHashMap<>();

    private static final class AccountRoster {
        long version;
        final Map<String, RosterItem> items = new LinkedHashMap<>();
        final Map<String, String> requests = new HashMap<>();
    }

    private AccountRoster of(String account) {
        return rosters.computeIfAbsent(account, a -> new AccountRoster());
    }

    @Override
    public Roster roster(String account) {
        AccountRoster roster = of(account);
        synchronized (roster) {
            return new Roster(roster.version, List.copyOf(roster.items.values()));
        }
    }

    @Override
    public Optional<RosterItem> item(String account, String contact) {
        AccountRoster roster = of(account);
        synchronized (roster) {
            return Optional.ofNullable(roster.items.get(contact));
        }
    }

    @Override
    public Update update(String account, String contact, UnaryOperator<Optional<RosterItem>> change, int maxItems) {
        AccountRoster roster = of(account);
        synchronized (roster) {
            Optional<RosterItem> before = Optional.ofNullable(roster.items.get(contact));
            Optional<RosterItem> after = change.apply(before);
            if (before.isEmpty() && after.isPresent() && roster.items.size() >= maxItems) {
                return new Update(before, before, roster.version, true);
            }
            if (!before.equals(after)) {
                after.ifPresentOrElse(item -> roster.items.put(contact, item), () -> roster.items.remove(contact));
                roster.version++;
                if (after.filter(item -> item.state().pendingIn()).isEmpty()) {
                    roster.requests.remove(contact);
                }
            }
            return new Update(before, after, roster.version, false);
        }
    }

    @Override
    public void keepRequest(String account, String contact, String stanza) {
        AccountRoster roster = of(account);
        synchronized (roster) {
            roster.requests.put(contact, stanza);
        }
    }

    @Override
    public Optional<String> request(String account, String contact) {
        AccountRoster roster = of(account);
        synchronized (roster) {
            return Optional.ofNullable(roster.requests.get(contact));
        }
    }

    @Override
    public void deleteAll(String account) {
        rosters.remove(account);
    }
}
