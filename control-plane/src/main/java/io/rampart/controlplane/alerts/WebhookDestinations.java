package io.rampart.controlplane.alerts;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses a webhook may be called at. A webhook is a request the control plane makes from
 * inside its own network, so by default only public unicast addresses are reached: loopback
 * (127/8, ::1), link-local (169.254/16 with the cloud metadata address 169.254.169.254, fe80::/10),
 * private (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT (100.64/10), unspecified (0.0.0.0/8, ::),
 * multicast and reserved ranges, and IPv6 forms that carry one of these IPv4 addresses (IPv4-mapped
 * ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are refused unless
 * the operator allows private destinations or lists the network (rampart.webhooks.*).
 *
 * <p>A URL is checked as written ({@link #checkUrl}: https only, no user name or password, the host a DNS name or
 * a plainly written address: {@code http://2130706433/}, {@code http://0x7f.1/}, {@code http://127.1/} or
 * {@code http://0177.0.0.1/}, which libraries read differently, are refused as written), and every address its
 * name resolves to is checked at save time and again at each call ({@link #resolve}), and the call connects
 * to the address checked, so a name that resolves elsewhere later (DNS rebinding) cannot move it.
 */
public final class WebhookDestinations {

    /** The most characters of a webhook URL. */
    public static final int MAX_URL = 2000;
    /** A last label that is a number (decimal, octal or hex): not a DNS name, an address written unusually. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(0x[0-9a-f]*|[0-9]+)");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    private static final List<Cidr> NOT_PUBLIC = Cidr.all("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10",
            "fec0::/10", "ff00::/8");

    private final boolean allowPrivate;
    private final List<Cidr> allowed;

    /** {@code allowedNetworks}: CIDRs reachable though not public; throws IllegalArgumentException for one that is not a CIDR. */
    public WebhookDestinations(boolean allowPrivate, List<String> allowedNetworks) {
        this.allowPrivate = allowPrivate;
        this.allowed = allowedNetworks.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    /** Why the URL as written may not be a webhook (a sentence for under the url field), or empty when it may. */
    public Optional<String> checkUrl(String url) {
        if (url.isEmpty() || url.length() > MAX_URL) {
            return Optional.of("an https:// address of at most " + MAX_URL + " characters");
        }
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.of("only plain ASCII without spaces: write an international domain name in its xn-- form");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid address: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowPrivate)) {
            return Optional.of("an https:// address (http:// only where the operator allows private destinations)");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            return Optional.of("no user name or password before the host (put credentials in the path or a token the tool gives you)");
        }
        String host = uri.getHost();
        if (host == null) {
            return Optional.of("an address with a host, e.g. https://hooks.example.com/rampart");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return Optional.empty(); // an IPv6 literal: checked with the resolved addresses
        }
        String[] labels = host.split("\\.");
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            return Optional.of("write an IPv4 address as four decimal numbers (e.g. 203.0.113.7), or use the host's name");
        }
        if (!DOTTED_QUAD.matcher(host).matches() && !HOST_NAME.matcher(host).matches()) {
            return Optional.of("the host is not a valid DNS name");
        }
        return Optional.empty();
    }

    /**
     * The addresses of the URL's host that may be called, in the resolver's order; throws {@link Refused} when the
     * name does not resolve or any of its addresses is not allowed (all of them: a name with one public and one
     * internal address is refused, since which one is used is the resolver's choice).
     */
    public List<InetAddress> resolve(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.endsWith(".")) {
            bare = bare.substring(0, bare.length() - 1); // the same name, written fully qualified
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new Refused("the address could not be resolved", true);
        }
        List<InetAddress> usable = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw new Refused("the destination is not a public address (loopback, link-local, private or reserved)", false);
            }
            usable.add(address);
        }
        return usable;
    }

    /** Whether one resolved address may be called. */
    public boolean allowed(InetAddress address) {
        if (allowPrivate || isPublic(address)) {
            return true;
        }
        return allowed.stream().anyMatch(cidr -> cidr.contains(address));
    }

    /** Public unicast: none of the ranges above, nor an IPv6 address carrying an IPv4 address in them. */
    static boolean isPublic(InetAddress address) {
        if (NOT_PUBLIC.stream().anyMatch(cidr -> cidr.contains(address))) {
            return false;
        }
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Optional<byte[]> embedded = embeddedIpv4(b);
            if (embedded.isPresent()) {
                try {
                    return isPublic(InetAddress.getByAddress(embedded.get()));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The IPv4 address inside ::a.b.c.d, ::ffff:a.b.c.d, 64:ff9b::a.b.c.d (NAT64) and 2002:aabb:ccdd::/48 (6to4). */
    private static Optional<byte[]> embeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;
        boolean mapped = zeroPrefix && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
        if (compatible || mapped || nat64) {
            return Optional.of(new byte[] { b[12], b[13], b[14], b[15] });
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Optional.of(new byte[] { b[2], b[3], b[4], b[5] });
        }
        return Optional.empty();
    }

    /** A destination the call will not be made to; {@code retryable} when a later attempt may find it different. */
    public static final class Refused extends RuntimeException {
        private final boolean retryable;

        public Refused(String reason, boolean retryable) {
            super(reason);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    /** A network as address/prefix length. */
    record Cidr(byte[] network, int prefix) {

        static List<Cidr> all(String... cidrs) {
            return List.of(cidrs).stream().map(Cidr::parse).toList();
        }

        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException(cidr + " is not a CIDR like 10.20.0.0/16");
            }
            String ip = cidr.substring(0, slash);
            if (!ip.contains(":") && !DOTTED_QUAD.matcher(ip).matches()) {
                throw new IllegalArgumentException(cidr + " is not a CIDR like 10.20.0.0/16");
            }
            try {
                byte[] network = InetAddress.getByName(ip).getAddress();
                if (ip.contains(":") && network.length == 4) {
                    throw new IllegalArgumentException(cidr + ": write IPv4 networks in IPv4 form");
                }
                int prefix = Integer.parseInt(cidr.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException(cidr + ": the prefix length is out of range");
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException(cidr + " is not a CIDR like 10.20.0.0/16", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[whole] & mask) == (network[whole] & mask);
        }
    }
}
