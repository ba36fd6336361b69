package lenet.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import lenet.io.Json;

/**
 * {@code GET /api/events}: server-sent events over the run folders' files, so that the runs panel
 * follows a run being trained. Once a second each stream compares the folders' fingerprints
 * ({@link RunsView#fingerprint}) with the last ones it sent and, when something changed, sends
 * {@code event: runs} (the whole list) and one {@code event: run} per changed run (its metrics,
 * settings and progress). A comment line every 5 seconds keeps idle connections open (and finds the ones whose page has gone). Each stream
 * has a thread of its own, at most {@link Limits#EVENT_STREAMS} at once.
 */
final class Events {
    static final long TICK_MILLIS = 1000, KEEPALIVE_MILLIS = 5_000;

    private final RunsView runs;
    private final Supplier<java.nio.file.Path> modelInUse;
    private final Semaphore slots = new Semaphore(Limits.EVENT_STREAMS);
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lenet-serve-events");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    Events(RunsView runs, Supplier<java.nio.file.Path> modelInUse) {
        this.runs = runs;
        this.modelInUse = modelInUse;
    }

    void open(Exchange ex) throws IOException {
        if (!slots.tryAcquire()) throw new HttpError(503, "too many live views open (" + Limits.EVENT_STREAMS + "); close some of the page's tabs");
        try {
            var h = ex.http.getResponseHeaders();
            h.set("Content-Type", "text/event-stream; charset=utf-8");
            h.set("Cache-Control", "no-store");
            ex.safetyHeaders();
            ex.http.sendResponseHeaders(200, 0);
            threads.execute(() -> stream(ex));
        } catch (IOException | RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void stream(Exchange ex) {
        Map<String, String> sent = Map.of();
        long lastWrite = 0;
        try (OutputStream out = ex.http.getResponseBody()) {
            write(out, "retry: 2000\n\n");
            while (!stopping) {
                Map<String, String> now = runs.fingerprint();
                long t = System.currentTimeMillis();
                if (!now.equals(sent)) {
                    write(out, event("runs", Map.of("runs", runs.list(modelInUse.get()))));
                    for (String name : now.keySet()) {
                        if (!Objects.equals(now.get(name), sent.get(name))) {
                            try {
                                write(out, event("run", runs.detail(name)));
                            } catch (HttpError gone) {
                                // removed between the listing and now
                            }
                        }
                    }
                    sent = now;
                    lastWrite = t;
                } else if (t - lastWrite >= KEEPALIVE_MILLIS) {
                    write(out, ": still here\n\n");
                    lastWrite = t;
                }
                Thread.sleep(TICK_MILLIS);
            }
        } catch (IOException | RuntimeException e) {
            // the page went away (or the folder cannot be read): this stream ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.http.close();
            slots.release();
        }
    }

    private static String event(String name, Object data) throws IOException {
        return "event: " + name + "\ndata: " + Json.MAPPER.writeValueAsString(data) + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void stop() {
        stopping = true;
        threads.shutdownNow();
    }

    /** Streams open now (for tests). */
    int streams() {
        return Limits.EVENT_STREAMS - slots.availablePermits();
    }
}
