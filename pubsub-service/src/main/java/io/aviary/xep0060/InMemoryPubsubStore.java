package io.aviary.xep0060;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps publish-subscribe services in memory: tests, and servers without a database. */
public final class InMemoryPubsubStore implements PubsubStore {

    private final Map<String, Map<String, NodeState>> services = new ConcurrentHashMap<>();

    /** A node's state; items in publication order, oldest first. */
    private static final class NodeState {
        volatile PubsubNode node;
        final LinkedHashMap<String, PublishedItem> items = new LinkedHashMap<>();
        final Map<String, Affiliation> affiliations = new TreeMap<>();
        final Map<String, Subscription> subscriptions = new TreeMap<>();

        NodeState(PubsubNode node) {
            this.node = node;
        }
    }

    private Map<String, NodeState> service(String service) {
        return services.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
    }

    private Optional<NodeState> state(String service, String node) {
        return Optional.ofNullable(services.getOrDefault(service, Map.of()).get(node));
    }

    @Override
    public boolean createNode(PubsubNode node) {
        return service(node.service()).putIfAbsent(node.node(), new NodeState(node)) == null;
    }

    @Override
    public Optional<PubsubNode> node(String service, String node) {
        return state(service, node).map(s -> s.node);
    }

    @Override
    public List<PubsubNode> nodes(String service) {
        return services.getOrDefault(service, Map.of()).values().stream().map(s -> s.node)
                .sorted((a, b) -> a.node().compareTo(b.node())).toList();
    }

    @Override
    public void configure(String service, String node, NodeConfig config) {
        state(service, node).ifPresent(s -> {
            synchronized (s) {
                s.node = new PubsubNode(s.node.service(), s.node.node(), s.node.owner(), config);
                trim(s, config.maxItems());
            }
        });
    }

    @Override
    public boolean deleteNode(String service, String node) {
        return services.getOrDefault(service, Map.of()).remove(node) != null;
    }

    @Override
    public void publish(String service, String node, PublishedItem item, int maxItems) {
        state(service, node).ifPresent(s -> {
            synchronized (s) {
                s.items.remove(item.id());
                s.items.put(item.id(), item);
                trim(s, maxItems);
            }
        });
    }

    private static void trim(NodeState s, int maxItems) {
        if (maxItems == NodeConfig.UNLIMITED) {
            return;
        }
        var oldest = s.items.keySet().iterator();
        for (int excess = s.items.size() - maxItems; excess > 0; excess--) {
            oldest.next();
            oldest.remove();
        }
    }

    @Override
    public List<PublishedItem> items(String service, String node, int max) {
        return state(service, node).map(s -> {
            synchronized (s) {
                List<PublishedItem> newestFirst = new ArrayList<>(s.items.values());
                java.util.Collections.reverse(newestFirst);
                return max < 0 || max >= newestFirst.size() ? List.copyOf(newestFirst)
                        : List.copyOf(newestFirst.subList(0, max));
            }
        }).orElse(List.of());
    }

    @Override
    public List<PublishedItem> items(String service, String node, List<String> ids) {
        return state(service, node).map(s -> {
            synchronized (s) {
                return ids.stream().map(s.items::get).filter(i -> i != null).toList();
            }
        }).orElse(List.of());
    }

    @Override
    public boolean retract(String service, String node, String itemId) {
        return state(service, node).map(s -> {
            synchronized (s) {
                return s.items.remove(itemId) != null;
            }
        }).orElse(false);
    }

    @Override
    public void purge(String service, String node) {
        state(service, node).ifPresent(s -> {
            synchronized (s) {
                s.items.clear();
            }
        });
    }

    @Override
    public void affiliate(String service, String node, String jid, Affiliation affiliation) {
        state(service, node).ifPresent(s -> {
            synchronized (s) {
                if (affiliation == Affiliation.NONE) {
                    s.affiliations.remove(jid);
                } else {
                    s.affiliations.put(jid, affiliation);
                }
            }
        });
    }

    @Override
    public Map<String, Affiliation> affiliations(String service, String node) {
        return state(service, node).map(s -> {
            synchronized (s) {
                return Map.copyOf(s.affiliations);
            }
        }).orElse(Map.of());
    }

    @Override
    public Map<String, Affiliation> affiliationsOf(String service, String jid) {
        Map<String, Affiliation> found = new TreeMap<>();
        services.getOrDefault(service, Map.of()).forEach((node, s) -> {
            synchronized (s) {
                Affiliation affiliation = s.affiliations.get(jid);
                if (affiliation != null) {
                    found.put(node, affiliation);
                }
            }
        });
        return found;
    }

    @Override
    public void subscribe(String service, Subscription subscription) {
        state(service, subscription.node()).ifPresent(s -> {
            synchronized (s) {
                s.subscriptions.put(subscription.jid(), subscription);
            }
        });
    }

    @Override
    public boolean unsubscribe(String service, String node, String jid) {
        return state(service, node).map(s -> {
            synchronized (s) {
                return s.subscriptions.remove(jid) != null;
            }
        }).orElse(false);
    }

    @Override
    public List<Subscription> subscriptions(String service, String node) {
        return state(service, node).map(s -> {
            synchronized (s) {
                return List.copyOf(s.subscriptions.values());
            }
        }).orElse(List.of());
    }

    @Override
    public List<String> servicesNaming(String bareJid) {
        return new TreeMap<>(services).keySet().stream().filter(service -> !affiliationsOf(service, bareJid).isEmpty()
                || !subscriptionsOf(service, bareJid).isEmpty()).toList();
    }

    @Override
    public List<Subscription> subscriptionsOf(String service, String bareJid) {
        return new TreeMap<>(services.getOrDefault(service, Map.of())).values().stream()
                .flatMap(s -> {
                    synchronized (s) {
                        return List.copyOf(s.subscriptions.values()).stream();
                    }
                })
                .filter(subscription -> subscription.jid().equals(bareJid)
                        || subscription.jid().startsWith(bareJid + "/"))
                .toList();
    }

    @Override
    public void removeService(String service) {
        services.remove(service);
    }
}
