package dev.carafe.proxy;

import java.net.InetAddress;
import java.util.Arrays;

/** An address block in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}, or one address). */
record AddressRange(byte[] network, int bits) {
    static AddressRange parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash));
        if (address == null) throw new IllegalArgumentException("Not an IP address or CIDR block: '" + cidr + "'");
        byte[] net = address.getAddress();
        int bits = net.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > net.length * 8) throw new IllegalArgumentException("Bad prefix length in '" + cidr + "'");
        }
        return new AddressRange(net, bits);
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (network[i / 8] & mask)) return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.bits == bits && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + bits;
    }
}
