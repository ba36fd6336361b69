package lenet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import lenet.engine.reference.Explanation;
import lenet.io.Json;

/**
 * One request and its answer: the body read within a cap, answers as JSON or bytes, errors as
 * one-line {@code {"error": "..."}} objects. Every answer carries the same safety headers.
 */
final class Exchange {
    /**
     * The content security policy of every answer: the page may load and connect to this server
     * only (no other host, no inline script or style), may not be framed, and submits nowhere else.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** After refusing an oversized body, at most this much more of it is read and dropped, so the client sees the 413 and not a reset connection. */
    static final long DRAIN_LIMIT = 64L << 20;

    final HttpExchange http;
    final long startNanos = System.nanoTime();

    Exchange(HttpExchange http) {
        this.http = http;
    }

    String method() {
        return http.getRequestMethod();
    }

    String path() {
        return http.getRequestURI().getRawPath();
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** The query's parameters, decoded; the first value of each name. */
    Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = http.getRequestURI().getRawQuery();
        if (raw == null) return q;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            q.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("the query is not validly encoded");
        }
    }

    /** The media type of the body, lower case, without parameters; "" when there is none. */
    String contentType() {
        String ct = header("Content-Type");
        if (ct == null) return "";
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The whole body, refused with 413 when it is over {@code limit} bytes: at once when
     * Content-Length says so, or as soon as more arrives. (The rest of a refused body is read and
     * dropped after the answer has gone out, see {@link #send}.)
     */
    byte[] body(long limit, String what) throws IOException {
        String length = header("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("Content-Length '" + length + "' is not a number");
            }
            if (declared > limit) throw tooLarge(what, limit);
        }
        InputStream in = http.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) throw tooLarge(what, limit);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static HttpError tooLarge(String what, long limit) {
        return new HttpError(413, what + " is larger than the " + Limits.describe(limit) + " this server takes");
    }

    /**
     * Reads and drops what is left of the request body, up to {@link #DRAIN_LIMIT}. Called after an
     * answer has been written (and before the exchange is closed): a client still sending a body
     * the server refused then reads the refusal instead of finding its connection reset, and one
     * that stopped sending reads it at once.
     */
    private void drainBody() {
        InputStream in = http.getRequestBody();
        byte[] buffer = new byte[64 * 1024];
        long dropped = 0;
        try {
            for (int n; dropped < DRAIN_LIMIT && (n = in.read(buffer)) > 0; ) dropped += n;
        } catch (IOException e) {
            // the client gave up
        }
    }

    /** lenet's one mapper, reading requests strictly: a field the endpoint does not know, or a missing number, is refused. */
    private static final ObjectReader STRICT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * An explanation as a JSON tree with its {@code kind} ({@code conv}, {@code max_pool}, ...): written
     * as the interface type, which carries the type name, whatever map or list holds it.
     */
    static JsonNode tree(Explanation e) {
        try {
            return Json.MAPPER.readTree(Json.MAPPER.writerFor(Explanation.class).writeValueAsBytes(e));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The body as JSON of type {@code type}, within {@link Limits#JSON_BODY}. */
    <T> T jsonBody(Class<T> type) throws IOException {
        if (!contentType().equals("application/json")) {
            throw new HttpError(415, "send the request as JSON (Content-Type: application/json), not " + (contentType().isEmpty() ? "no type" : contentType()));
        }
        byte[] body = body(Limits.JSON_BODY, "the request");
        try {
            T value = STRICT.forType(type).readValue(body);
            if (value == null) throw HttpError.badRequest("the request is empty; send a JSON object");
            return value;
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "" : " (field " + e.getPath().get(e.getPath().size() - 1).getFieldName() + ")";
            throw HttpError.badRequest("the request does not have the expected fields or types" + field);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("the request is not valid JSON");
        }
    }

    /** Milliseconds since the request reached its handler. */
    double elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    void sendJson(int status, Object value) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(value);
        send(status, "application/json; charset=utf-8", bytes, "no-store");
    }

    void sendError(int status, String message) throws IOException {
        sendJson(status, Map.of("error", message));
    }

    /**
     * Answers with {@code bytes}: headers, body, flushed; then the rest of the request body is
     * drained ({@link #drainBody}) and the exchange closed.
     */
    void send(int status, String contentType, byte[] bytes, String cacheControl) throws IOException {
        var h = http.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Cache-Control", cacheControl);
        safetyHeaders();
        h.set("Server-Timing", String.format(Locale.ROOT, "app;dur=%.1f", elapsedMillis()));
        boolean head = "HEAD".equals(method());
        try {
            http.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
            OutputStream out = http.getResponseBody();
            if (!head && bytes.length > 0) out.write(bytes);
            out.flush();
            drainBody();
        } finally {
            http.close();
        }
    }

    void safetyHeaders() {
        var h = http.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
    }

    URI uri() {
        return http.getRequestURI();
    }
}
