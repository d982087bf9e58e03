package io.aviary.s2s;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** SRV lookups through the JDK's DNS provider (the system's resolvers). */
final class JndiDns implements RemoteAddresses.Dns {

    @Override
    public List<RemoteAddresses.Srv> srv(String name) {
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        environment.put("com.sun.jndi.dns.timeout.initial", "2000");
        environment.put("com.sun.jndi.dns.timeout.retries", "2");
        List<RemoteAddresses.Srv> records = new ArrayList<>();
        try {
            DirContext context = new InitialDirContext(environment);
            try {
                Attribute srv = context.getAttributes(name, new String[] {"SRV"}).get("SRV");
                if (srv == null) {
                    return records;
                }
                NamingEnumeration<?> values = srv.getAll();
                while (values.hasMore()) {
                    String[] fields = values.next().toString().trim().split("\\s+");
                    if (fields.length == 4) {
                        records.add(new RemoteAddresses.Srv(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]),
                                Integer.parseInt(fields[2]), fields[3]));
                    }
                }
            } finally {
                context.close();
            }
        } catch (NamingException | NumberFormatException e) {
            // No such name or no SRV record: the caller falls back to the domain on 5269.
        }
        return records;
    }
}
