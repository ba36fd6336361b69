package lenet.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a test can send what a browser never would: any Host, any
 * Origin, a path with {@code ..}, a Content-Length that lies, no Host at all.
 */
final class Raw {
    /** An answer: the status, the headers (names lower case) and the body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private Raw() {}

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads the whole answer. */
    static Answer send(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            StringBuilder h = new StringBuilder(head);
            if (body != null && !head.toLowerCase(Locale.ROOT).contains("content-length:") && !head.toLowerCase(Locale.ROOT).contains("transfer-encoding:")) {
                h.append("\r\nContent-Length: ").append(body.length);
            }
            h.append("\r\nConnection: close\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException closedEarly) {
                    // the server answered before reading everything; its answer is still there to read
                }
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** A request with the usual headers: {@code Host: 127.0.0.1:port}, plus {@code extra} lines. */
    static Answer request(int port, String method, String path, String contentType, byte[] body, String... extra) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port);
        if (contentType != null) head.append("\r\nContent-Type: ").append(contentType);
        for (String e : extra) head.append("\r\n").append(e);
        return send(port, head.toString(), body);
    }

    static Answer get(int port, String path, String... extra) throws IOException {
        return request(port, "GET", path, null, null, extra);
    }

    static Answer postJson(int port, String path, String json, String... extra) throws IOException {
        return request(port, "POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8), extra);
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        int code = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; !(l = line(in)).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size; (size = Integer.parseInt(line(in).strip(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            in.transferTo(body);
        }
        return new Answer(code, headers, body.toByteArray());
    }

    static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) if (c != '\r') s.append((char) c);
        return s.toString();
    }
}
