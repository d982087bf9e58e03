package io.aviary.s2s;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where a remote domain's server listens (RFC 6120 §3.2, XEP-0368), in the order to try: a static route
 * ({@code aviary.s2s.routes}) first, the domain's own or else its nearest parent's (a server's services, such as
 * {@code conference.example.org}, usually live where {@code example.org} does); else the SRV records {@code _xmpps-server._tcp} (direct TLS) then
 * {@code _xmpp-server._tcp}, each by priority; else the domain itself on 5269 (its A/AAAA records, resolved when
 * connecting). A single SRV record with target "." means the domain offers no such service (RFC 2782).
 */
public final class RemoteAddresses {

    /** One place to connect to; {@code directTls} when TLS starts with the connection (XEP-0368). */
    public record Address(String host, int port, boolean directTls) {
    }

    /** One SRV record. */
    public record Srv(int priority, int weight, int port, String target) {
    }

    /** The DNS lookups, behind an interface so tests need no DNS. */
    public interface Dns {
        /** The SRV records of {@code name} ({@code _xmpp-server._tcp.example.org}); empty when none. */
        List<Srv> srv(String name);
    }

    static final int DEFAULT_PORT = 5269;

    private final Map<String, String> routes;
    private final Dns dns;

    public RemoteAddresses(Map<String, String> routes, Dns dns) {
        this.routes = routes;
        this.dns = dns;
    }

    /** The addresses of {@code domain}'s server, best first. May block on DNS: not for an event loop. */
    public List<Address> resolve(String domain) {
        String route = route(domain);
        if (route != null) {
            int colon = route.lastIndexOf(':');
            return colon < 0 ? List.of(new Address(route, DEFAULT_PORT, false))
                    : List.of(new Address(route.substring(0, colon), Integer.parseInt(route.substring(colon + 1)), false));
        }
        List<Address> addresses = new ArrayList<>();
        addSrv(addresses, dns.srv("_xmpps-server._tcp." + domain), true);
        addSrv(addresses, dns.srv("_xmpp-server._tcp." + domain), false);
        if (addresses.isEmpty()) {
            addresses.add(new Address(domain, DEFAULT_PORT, false));
        }
        return addresses;
    }

    /** The static route of {@code domain} or of its nearest parent domain that has one; null when none. */
    private String route(String domain) {
        for (String candidate = domain; candidate != null; ) {
            String route = routes.get(candidate);
            if (route != null) {
                return route;
            }
            int dot = candidate.indexOf('.');
            candidate = dot < 0 ? null : candidate.substring(dot + 1);
        }
        return null;
    }

    private static void addSrv(List<Address> addresses, List<Srv> records, boolean directTls) {
        if (records.size() == 1 && ".".equals(records.get(0).target())) {
            return;
        }
        records.stream().sorted(Comparator.comparingInt(Srv::priority).thenComparing(Comparator.comparingInt(Srv::weight).reversed()))
                .forEach(srv -> addresses.add(new Address(stripDot(srv.target()), srv.port(), directTls)));
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
