package io.aviary.admin;

import io.aviary.bus.Topics;
import io.aviary.capability.Declaration;
import io.aviary.capability.HostedService;
import io.aviary.service.BusRequests;
import io.aviary.service.OperatorRequests;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The group chat rooms and pubsub nodes of the server's hosted services ({@code conference.<domain>},
 * {@code pubsub.<domain>}), as an administrator sees and removes them: asked of the service that holds them over the
 * bus, from the server's domain, in {@link OperatorRequests#NAMESPACE}. The services' addresses come from the
 * capability catalogue of the whole server, so this works wherever the services run. Removals are audited.
 */
public final class HostedServices {

    /** A room with what its configuration says and how many occupants are in it now. */
    public record Room(String jid, String name, String description, boolean publicRoom, boolean persistent,
                       boolean membersOnly, boolean moderated, boolean passwordProtected, boolean locked,
                       int occupants, Instant created) {
    }

    /** A node of the pubsub service, with its owner, access model, number of items and subscribers. */
    public record Node(String name, String owner, String accessModel, int items, int subscribers) {
    }

    private final AdminOperations operations;
    private final BusRequests requests;
    private final Supplier<List<Declaration>> catalogue;

    public HostedServices(AdminOperations operations, BusRequests requests, Supplier<List<Declaration>> catalogue) {
        this.operations = operations;
        this.requests = requests;
        this.catalogue = catalogue;
    }

    /** The address of the service hosted on {@code topic} ({@link Topics#MUC}, {@link Topics#PUBSUB}), if it runs. */
    public Optional<String> address(String topic) {
        return catalogue.get().stream().filter(d -> d.topic().equals(topic))
                .flatMap(d -> d.services().stream()).map(HostedService::address).map(Object::toString).findFirst();
    }

    public CompletableFuture<List<Room>> rooms() {
        return ask(Topics.MUC, null, "get", XmlElement.empty("rooms", OperatorRequests.NAMESPACE))
                .thenApply(result -> children(result, "room").map(r -> new Room(r.attributeOrNull("jid"),
                        r.attributeOrNull("name"), r.attributeOrNull("description"), flag(r, "public"),
                        flag(r, "persistent"), flag(r, "members-only"), flag(r, "moderated"),
                        flag(r, "password-protected"), flag(r, "locked"), Integer.parseInt(r.attributeOrNull("occupants")),
                        Instant.parse(r.attributeOrNull("created")))).toList());
    }

    /** Destroys the room {@code name} (its local part) with the reason given to its occupants (XEP-0045 §10.9). */
    public CompletableFuture<Stanza> destroyRoom(String actor, String name, String reason) {
        XmlElement destroy = XmlElement.builder("destroy", OperatorRequests.NAMESPACE).attribute("reason", reason).build();
        return operations.audited(actor, "destroy-room", name, ask(Topics.MUC, name, "set", destroy));
    }

    public CompletableFuture<List<Node>> nodes() {
        return ask(Topics.PUBSUB, null, "get", XmlElement.empty("nodes", OperatorRequests.NAMESPACE))
                .thenApply(result -> children(result, "node").map(n -> new Node(n.attributeOrNull("name"),
                        n.attributeOrNull("owner"), n.attributeOrNull("access-model"),
                        Integer.parseInt(n.attributeOrNull("items")), Integer.parseInt(n.attributeOrNull("subscribers"))))
                        .toList());
    }

    /** Deletes the node, telling its subscribers (XEP-0060 §8.4). */
    public CompletableFuture<Stanza> deleteNode(String actor, String node) {
        XmlElement delete = XmlElement.builder("delete", OperatorRequests.NAMESPACE).attribute("node", node).build();
        return operations.audited(actor, "delete-node", node, ask(Topics.PUBSUB, null, "set", delete));
    }

    /** The request to the service on {@code topic}, or to its room {@code local}; unavailable when it does not run. */
    private CompletableFuture<Stanza> ask(String topic, String local, String type, XmlElement request) {
        Optional<String> service = address(topic);
        if (service.isEmpty()) {
            return CompletableFuture.failedFuture(new BusRequests.Unanswered("service-unavailable",
                    "the server runs no service on " + topic));
        }
        return requests.request(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", type)
                .attribute("from", operations.domain().toString())
                .attribute("to", local == null ? service.get() : local + "@" + service.get())
                .child(request).build());
    }

    private static Stream<XmlElement> children(Stanza result, String name) {
        return result.payload().stream().flatMap(XmlElement::elements)
                .filter(e -> e.is(name, OperatorRequests.NAMESPACE));
    }

    private static boolean flag(XmlElement element, String attribute) {
        return Boolean.parseBoolean(element.attributeOrNull(attribute));
    }
}
