package lenet.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page's files: a fixed list of resources inside the jar, each read once at start. A request
 * path is looked up in that list and nowhere else (no file system, no class-path lookup by a name
 * the client chose), so {@code /../} and its encodings find nothing.
 */
final class Web {
    private static final String BASE = "/lenet/serve/web/";

    /** URL path to resource name and media type. */
    private static final String[][] FILES = {
        {"/", "index.html", "text/html; charset=utf-8"},
        {"/style.css", "style.css", "text/css; charset=utf-8"},
        {"/favicon.svg", "favicon.svg", "image/svg+xml"},
        {"/js/main.js", "js/main.js", "text/javascript; charset=utf-8"},
        {"/js/api.js", "js/api.js", "text/javascript; charset=utf-8"},
        {"/js/colours.js", "js/colours.js", "text/javascript; charset=utf-8"},
        {"/js/draw.js", "js/draw.js", "text/javascript; charset=utf-8"},
        {"/js/layers.js", "js/layers.js", "text/javascript; charset=utf-8"},
        {"/js/arithmetic.js", "js/arithmetic.js", "text/javascript; charset=utf-8"},
        {"/js/playground.js", "js/playground.js", "text/javascript; charset=utf-8"},
        {"/js/runs.js", "js/runs.js", "text/javascript; charset=utf-8"},
        {"/js/chart.js", "js/chart.js", "text/javascript; charset=utf-8"},
        {"/js/mistakes.js", "js/mistakes.js", "text/javascript; charset=utf-8"},
    };

    record File(String type, byte[] bytes) {}

    private final Map<String, File> files = new LinkedHashMap<>();

    Web() {
        for (String[] f : FILES) files.put(f[0], new File(f[2], read(f[1])));
    }

    /** The file served at {@code path}, or null. */
    File get(String path) {
        return files.get(path);
    }

    /** The paths served, in order. */
    java.util.Set<String> paths() {
        return files.keySet();
    }

    private static byte[] read(String name) {
        try (InputStream in = Web.class.getResourceAsStream(BASE + name)) {
            if (in == null) throw new IllegalStateException("the jar has no " + BASE + name + "; rebuild lenet");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
