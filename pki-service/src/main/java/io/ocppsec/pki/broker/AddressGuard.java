package io.ocppsec.pki.broker;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The SSRF guard on resolved addresses: refuses everything that is not a public unicast address
 * (loopback, unspecified, link-local incl. 169.254.169.254, private and unique-local, shared
 * CGNAT space, multicast, broadcast, reserved and documentation ranges) and looks through IPv6
 * forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4
 * 2002::/16). Networks listed in {@code allowed-networks} are let through.
 */
public final class AddressGuard {

    /** A CIDR block. */
    public record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }

        static Network parse(String cidr) {
            String s = cidr.trim();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (!addr.matches("[0-9a-fA-F:.]+")) { // literals only: never a DNS lookup here
                throw new IllegalArgumentException("ocppsec.ocsp-broker.allowed-networks: '" + cidr + "' is not a CIDR block");
            }
            try {
                byte[] bytes = InetAddress.getByName(addr).getAddress();
                int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new NumberFormatException();
                }
                return new Network(bytes, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("ocppsec.ocsp-broker.allowed-networks: '" + cidr + "' is not a CIDR block");
            }
        }
    }

    private static final List<Network> REFUSED_V4 = List.of(
            Network.parse("0.0.0.0/8"), Network.parse("10.0.0.0/8"), Network.parse("100.64.0.0/10"),
            Network.parse("127.0.0.0/8"), Network.parse("169.254.0.0/16"), Network.parse("172.16.0.0/12"),
            Network.parse("192.0.0.0/24"), Network.parse("192.0.2.0/24"), Network.parse("192.88.99.0/24"),
            Network.parse("192.168.0.0/16"), Network.parse("198.18.0.0/15"), Network.parse("198.51.100.0/24"),
            Network.parse("203.0.113.0/24"), Network.parse("224.0.0.0/4"), Network.parse("240.0.0.0/4"));
    private static final List<Network> REFUSED_V6 = List.of(
            Network.parse("::/128"), Network.parse("::1/128"), Network.parse("100::/64"), Network.parse("2001:db8::/32"),
            Network.parse("fc00::/7"), Network.parse("fe80::/10"), Network.parse("fec0::/10"), Network.parse("ff00::/8"),
            Network.parse("2001::/23"));

    private final List<Network> allowed;

    public AddressGuard(List<String> allowedNetworks) {
        this.allowed = networks(allowedNetworks);
    }

    static List<Network> networks(List<String> cidrs) {
        List<Network> out = new ArrayList<>();
        for (String c : cidrs) {
            out.add(Network.parse(c));
        }
        return List.copyOf(out);
    }

    /** Why {@code address} must not be connected to, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        byte[] raw = address.getAddress();
        for (Network n : allowed) {
            if (n.contains(raw)) {
                return Optional.empty();
            }
        }
        return refusalOf(raw);
    }

    private static Optional<String> refusalOf(byte[] raw) {
        if (raw.length == 4) {
            for (Network n : REFUSED_V4) {
                if (n.contains(raw)) {
                    return Optional.of(describe(raw, n));
                }
            }
            return Optional.empty();
        }
        byte[] embedded = embeddedIpv4(raw);
        if (embedded != null) {
            return refusalOf(embedded).map(r -> "IPv6 form of " + r);
        }
        for (Network n : REFUSED_V6) {
            if (n.contains(raw)) {
                return Optional.of(describe(raw, n));
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address. */
    private static byte[] embeddedIpv4(byte[] v6) {
        boolean zero80 = true;
        for (int i = 0; i < 10; i++) {
            zero80 &= v6[i] == 0;
        }
        if (zero80 && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff) {
            return Arrays.copyOfRange(v6, 12, 16); // ::ffff:a.b.c.d
        }
        boolean zero96 = zero80 && v6[10] == 0 && v6[11] == 0;
        if (zero96 && !(v6[12] == 0 && v6[13] == 0 && v6[14] == 0 && (v6[15] == 0 || v6[15] == 1))) {
            return Arrays.copyOfRange(v6, 12, 16); // ::a.b.c.d (deprecated IPv4-compatible)
        }
        if ((v6[0] & 0xff) == 0x00 && (v6[1] & 0xff) == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b) {
            boolean zero = true;
            for (int i = 4; i < 12; i++) {
                zero &= v6[i] == 0;
            }
            if (zero) {
                return Arrays.copyOfRange(v6, 12, 16); // 64:ff9b::/96
            }
        }
        if ((v6[0] & 0xff) == 0x20 && (v6[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(v6, 2, 6); // 2002:AABB:CCDD::/48
        }
        return null;
    }

    private static String describe(byte[] raw, Network n) {
        try {
            return InetAddress.getByAddress(raw).getHostAddress() + " is in the non-public range "
                    + InetAddress.getByAddress(n.prefix()).getHostAddress() + "/" + n.bits();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address && !(a instanceof Inet4Address);
    }
}
