package io.aviary.bus;

/** Topic names of design.md's stanza path. */
public final class Topics {

    /** Stanzas from clients, keyed by the bare JID whose state they touch. */
    public static final String ROUTE = "xmpp.route";
    /** Requests addressed to the server itself, for the services that answer them. */
    public static final String SERVICE = "xmpp.service";
    /**
     * The archive service's topic (XEP-0313, XEP-0357): {@link io.aviary.archive.ArchiveRecord}s from the router and
     * the IQs of the capabilities that declare this topic, keyed by the archive owner's bare JID.
     */
    public static final String ARCHIVE = "xmpp.archive";

    /**
     * The upload service's topic (files and calls: XEP-0363, XEP-0065, XEP-0215): the stanzas for its hosted services
     * ({@code upload.<domain>}, {@code proxy.<domain>}) and the IQs of the capabilities that declare this topic, keyed
     * by the {@code to} bare JID.
     */
    public static final String UPLOAD = "xmpp.upload";

    /**
     * The group chat service's topic (XEP-0045 at {@code conference.<domain>}): every stanza for the service or one of
     * its rooms, keyed by the {@code to} bare JID, so that one room's stanzas are handled one at a time by the
     * muc-service instance that owns its partition.
     */
    public static final String MUC = "xmpp.muc";

    /**
     * The publish-subscribe service's topic (XEP-0060 at {@code pubsub.<domain>}, XEP-0163 PEP at each account): the
     * stanzas for the service and the PEP requests to accounts, keyed by the node owner's JID (the service, or the
     * account's bare JID), so that one owner's nodes are changed one request at a time.
     */
    public static final String PUBSUB = "xmpp.pubsub";

    /**
     * The federation tier's topic (RFC 6120 server-to-server, XEP-0114 components): every stanza for another domain,
     * keyed by that domain, so that one remote domain's outgoing stream has one owner, which sends its stanzas in the
     * order the router handled them.
     */
    public static final String S2S = "xmpp.s2s";

    /**
     * The admin service's topic: the IQs of the capabilities it serves (XEP-0050 ad-hoc commands with the XEP-0133
     * service administration at the domain), keyed like the route topic.
     */
    public static final String ADMIN = "xmpp.admin";

    /**
     * Server-wide events ({@link io.aviary.capability.Events#serverWide}), keyed by the account they are about: every
     * service of a cluster reads them with a consumer group of its own, so each service hears each event once.
     */
    public static final String EVENTS = "xmpp.events";

    /**
     * Replies to the IQs a service instance sends and waits for ({@link io.aviary.service.BusRequests}: the admin API's
     * questions to the roster, group chat and pubsub services). Every instance reads all of it in a consumer group of
     * its own and takes the replies whose ids it is waiting for, so a reply reaches the instance that asked.
     */
    public static final String REPLIES = "xmpp.replies";

    /** Separates a service topic from the rest of the id of an IQ a service sends ({@link #replyId}). */
    private static final char REPLY_MARK = '~';

    private Topics() {
    }

    /**
     * The id for an IQ a service sends from an account's bare JID or the domain (a XEP-0357 notification), such that
     * the router sends the result or error back to {@code topic}: replies to an account or the domain would otherwise
     * go to the roster service, which drops them.
     */
    public static String replyId(String topic, String localId) {
        return topic + REPLY_MARK + localId;
    }

    /** The topic {@link #replyId} put in an IQ id, or null. */
    public static String replyTopic(String id) {
        int mark = id == null ? -1 : id.indexOf(REPLY_MARK);
        return mark <= 0 ? null : id.substring(0, mark);
    }

    /** Deliveries for the connections of one gateway instance. */
    public static String gateway(String gatewayId) {
        return "xmpp.gateway." + gatewayId;
    }
}
