package io.ocppsec.pki.server;

import io.ocppsec.pki.store.Refusal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;

/** A server certificate name: a DNS name (lower case) or an IP address (canonical), as a SAN. */
record ServerNames(String text, GeneralName generalName) {
    private static final Pattern DNS = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Parses a configured or requested name; {@code what} names the source in the error. */
    static ServerNames parse(String raw, String what) {
        String s = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (IPV4.matcher(s).matches() || s.contains(":")) {
            byte[] address = ipLiteral(s, what);
            try {
                return new ServerNames(InetAddress.getByAddress(address).getHostAddress(),
                        new GeneralName(GeneralName.iPAddress, new DEROctetString(address)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(what + ": not an IP address: " + raw);
            }
        }
        if (!DNS.matcher(s).matches()) {
            throw new IllegalArgumentException(what + ": not a DNS name or IP address: "
                    + (raw == null ? "" : raw.substring(0, Math.min(raw.length(), 80))));
        }
        return new ServerNames(s, new GeneralName(GeneralName.dNSName, s));
    }

    /** From a CSR's SAN entry: a DNS name or an IP address; anything else is refused. */
    static ServerNames of(GeneralName requested) {
        if (requested.getTagNo() == GeneralName.dNSName) {
            try {
                return parse(requested.getName().toString(), "requested name");
            } catch (IllegalArgumentException e) {
                throw Refusal.badRequest("SERVER_NAME_INVALID", e.getMessage());
            }
        }
        if (requested.getTagNo() == GeneralName.iPAddress) {
            byte[] a = DEROctetString.getInstance(requested.getName()).getOctets();
            if (a.length != 4 && a.length != 16) {
                throw Refusal.badRequest("SERVER_NAME_INVALID", "requested name: an IP address of " + a.length + " bytes");
            }
            try {
                return new ServerNames(InetAddress.getByAddress(a).getHostAddress(),
                        new GeneralName(GeneralName.iPAddress, new DEROctetString(a)));
            } catch (UnknownHostException e) {
                throw Refusal.badRequest("SERVER_NAME_INVALID", "requested name: not an IP address");
            }
        }
        throw Refusal.badRequest("SERVER_NAME_INVALID", "a server certificate carries DNS names and IP addresses only");
    }

    private static byte[] ipLiteral(String s, String what) {
        // Only literals: InetAddress.getByName on a literal does no lookup.
        if (!s.matches("[0-9a-f:.]+")) {
            throw new IllegalArgumentException(what + ": not an IP address: " + s);
        }
        if (IPV4.matcher(s).matches()) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException(what + ": not an IP address: " + s);
                }
            }
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(what + ": not an IP address: " + s);
        }
    }
}
