package lenet.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may talk to the server. A page on another site must not be able to drive it: not by DNS
 * rebinding (a name the attacker controls resolving to 127.0.0.1, so the browser sends
 * {@code Host: evil.example:2828}), not by a cross-site form or fetch (the browser sends that site's
 * {@code Origin}). So:
 *
 * <ul>
 *   <li>the {@code Host} header must name the address served: for a loopback address
 *       {@code 127.0.0.1}, {@code localhost} or {@code [::1]} with the port; for another address that
 *       address (and, bound to every interface, any IP literal or this machine's name), with the port.
 *       A name an attacker could point here is never accepted;</li>
 *   <li>an {@code Origin} header, when a request carries one, must be this server's own
 *       ({@code http://} + the Host), whatever the method;</li>
 *   <li>{@code Sec-Fetch-Site: cross-site} is refused except for a plain navigation to the page itself.</li>
 * </ul>
 *
 * Requests from programs (curl, scripts) send no Origin and pass on the Host check alone.
 */
final class Guard {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final int port;
    private final boolean anyAddress;
    private final Set<String> hosts = new LinkedHashSet<>();

    /** For a server bound to {@code bound} (as the user gave it) on {@code port}. */
    Guard(String bound, InetAddress address, int port) {
        this.port = port;
        this.anyAddress = address.isAnyLocalAddress();
        if (address.isLoopbackAddress() || anyAddress) {
            hosts.add("127.0.0.1");
            hosts.add("localhost");
            hosts.add("[::1]");
        }
        hosts.add(bracketed(bound.toLowerCase(Locale.ROOT)));
        hosts.add(bracketed(address.getHostAddress().toLowerCase(Locale.ROOT)));
        if (anyAddress) {
            try {
                InetAddress self = InetAddress.getLocalHost();
                hosts.add(self.getHostName().toLowerCase(Locale.ROOT));
                hosts.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
            } catch (UnknownHostException e) {
                // no name for this machine: IP literals and localhost still work
            }
        }
    }

    /** Null when the request may go on, else why it may not (for a 403). */
    String refuse(String method, String path, String host, String origin, String fetchSite, String fetchMode) {
        if (host == null || host.isBlank()) return "no Host header; open the address lenet serve printed";
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (!hostAllowed(h)) {
            return "Host '" + host + "' is not this server's address; open the address lenet serve printed (http://127.0.0.1:" + port + "/)";
        }
        if (origin != null && !origin.equalsIgnoreCase("http://" + h)) {
            return "requests from " + origin + " are not allowed; only this server's own page may use it";
        }
        if ("cross-site".equalsIgnoreCase(fetchSite)
                && !("GET".equals(method) && "navigate".equalsIgnoreCase(fetchMode) && "/".equals(path))) {
            return "cross-site requests are not allowed; only this server's own page may use it";
        }
        return null;
    }

    private boolean hostAllowed(String h) {
        String name;
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            if (!h.substring(colon + 1).equals(Integer.toString(port))) return false;
            name = h.substring(0, colon);
        } else {
            if (port != 80) return false;
            name = h;
        }
        if (hosts.contains(name)) return true;
        // Bound to every interface, the page is opened by any of the machine's addresses: an IP
        // literal cannot be rebound by an attacker's DNS, a name could.
        return anyAddress && (IPV4.matcher(name).matches() || (name.startsWith("[") && name.endsWith("]")));
    }

    private static String bracketed(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }
}
