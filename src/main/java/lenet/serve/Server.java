package lenet.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import lenet.LenetException;

/**
 * {@code lenet serve}: a local web server (the JDK's own {@code com.sun.net.httpserver}) for one
 * page that draws a digit, shows LeNet computing it layer by layer, explains any cell's arithmetic,
 * runs d2l's convolution examples, follows training runs live and lists the test set's mistakes.
 *
 * <p>Everything goes through one handler, so every request meets the same checks first
 * ({@link Guard}: Host and Origin), then a fixed table of routes; the page's files come from a
 * fixed list of resources ({@link Web}). Run folders are only read. The model is shared, read-only,
 * by every request (the reference engine keeps each call's state apart), so requests run in
 * parallel on a small pool of threads.
 */
public final class Server implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService pool;
    private final Guard guard;
    private final Web web = new Web();
    private final RunsView runs;
    private final ModelApi models;
    private final Playground playground = new Playground();
    private final Mistakes mistakes;
    private final Events events;
    private final Path scratch;
    private final PrintWriter log;
    private final URI address;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private Server(ServeConfig config, PrintWriter log) throws IOException {
        this.log = log;
        InetAddress bind;
        try {
            bind = InetAddress.getByName(config.host());
        } catch (UnknownHostException e) {
            throw new LenetException("{host} " + config.host() + ": no such address on this machine; use 127.0.0.1 (the default) or one of its own addresses");
        }
        runs = new RunsView(config.runs());
        scratch = Files.createTempDirectory("lenet-serve-");
        models = new ModelApi(new DigitReader(scratch), runs, config.runs(), config.dataDir());
        mistakes = new Mistakes(config.dataDir());
        events = new Events(runs, () -> Optional.ofNullable(models.currentOrNull()).map(ServedModel::file).orElse(null));
        loadFirstModel(config);
        try {
            http = HttpServer.create(new InetSocketAddress(bind, config.port()), 128);
        } catch (BindException e) {
            deleteScratch();
            throw new LenetException("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "); choose another {port}, or {port} 0 for a free one");
        }
        int port = http.getAddress().getPort();
        guard = new Guard(config.host(), bind, port);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "lenet-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        String host = bind.isAnyLocalAddress() ? "127.0.0.1"
                : bind.isLoopbackAddress() && bind.getHostAddress().contains(":") ? "[::1]"
                : bind.getHostAddress().contains(":") ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
        address = URI.create("http://" + host + ":" + port + "/");
        http.start();
    }

    /** Starts serving; problems the user can fix (a bad model, a port in use) are {@link LenetException}s. */
    public static Server start(ServeConfig config, PrintWriter log) {
        try {
            return new Server(config, log);
        } catch (IOException e) {
            throw new LenetException("cannot start the server (" + e.getMessage() + ")");
        }
    }

    private void loadFirstModel(ServeConfig config) {
        if (config.model() != null) {
            models.use(ServedModel.of(config.model(), config.dataDir()));
        } else {
            models.none(config.noModel() != null ? config.noModel()
                    : "no finished run under " + config.runs() + "; train one, or choose a run's checkpoint in the runs panel");
        }
    }

    /** Where the page is: {@code http://127.0.0.1:PORT/}. */
    public URI address() {
        return address;
    }

    /** Blocks until {@link #close} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        events.stop();
        http.stop(0);
        pool.shutdownNow();
        deleteScratch();
        stopped.countDown();
    }

    private void deleteScratch() {
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // the temp folder is cleaned by the system
        }
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange h) {
        Exchange ex = new Exchange(h);
        try {
            String refused = guard.refuse(ex.method(), ex.path(), ex.header("Host"), ex.header("Origin"), ex.header("Sec-Fetch-Site"), ex.header("Sec-Fetch-Mode"));
            if (refused != null) {
                ex.sendError(403, refused);
                return;
            }
            route(ex);
        } catch (HttpError e) {
            answerError(ex, e.status, e.getMessage());
        } catch (LenetException e) {
            answerError(ex, 400, e.getMessage());
        } catch (IOException e) {
            h.close(); // the client went away
        } catch (RuntimeException e) {
            log.println("lenet serve: " + ex.method() + " " + ex.path() + " failed: " + e);
            log.flush();
            answerError(ex, 500, "the server failed on this request (" + e.getClass().getSimpleName() + "); see the server's output");
        }
    }

    private static void answerError(Exchange ex, int status, String message) {
        if (ex.http.getResponseCode() != -1) {
            ex.http.close(); // headers already gone (an event stream): nothing more to say
            return;
        }
        try {
            ex.sendError(status, message);
        } catch (IOException e) {
            ex.http.close();
        }
    }

    private void route(Exchange ex) throws IOException {
        String path = ex.path();
        String method = ex.method();
        if (!path.startsWith("/api/")) {
            Web.File f = web.get(path);
            if (f == null) throw HttpError.notFound("no page at " + path);
            allow(ex, "GET", "HEAD");
            ex.send(200, f.type(), f.bytes(), "no-cache");
            return;
        }
        switch (path) {
            case "/api/model" -> {
                if (method.equals("POST")) models.chooseModel(ex);
                else {
                    allow(ex, "GET", "HEAD", "POST");
                    models.getModel(ex);
                }
            }
            case "/api/predict" -> {
                allow(ex, "POST");
                models.predict(ex);
            }
            case "/api/explain" -> {
                allow(ex, "POST");
                models.explain(ex);
            }
            case "/api/conv" -> {
                allow(ex, "POST");
                playground.run(ex);
            }
            case "/api/conv/examples" -> {
                allow(ex, "GET", "HEAD");
                playground.examples(ex);
            }
            case "/api/runs" -> {
                allow(ex, "GET", "HEAD");
                ServedModel m = models.currentOrNull();
                ex.sendJson(200, Map.of("root", runs.root().toString(), "runs", runs.list(m == null ? null : m.file())));
            }
            case "/api/events" -> {
                allow(ex, "GET");
                events.open(ex);
            }
            case "/api/mistakes" -> {
                allow(ex, "GET", "HEAD");
                mistakes.list(ex, models.model());
            }
            case "/api/test-image" -> {
                allow(ex, "GET", "HEAD");
                mistakes.image(ex, models.model());
            }
            default -> {
                if (path.startsWith("/api/runs/")) {
                    allow(ex, "GET", "HEAD");
                    String name = ex.uri().getPath().substring("/api/runs/".length());
                    if (name.isEmpty() || name.contains("/")) throw HttpError.notFound("no run named '" + name + "'");
                    ex.sendJson(200, runs.detail(name));
                } else {
                    throw HttpError.notFound("no API at " + path);
                }
            }
        }
    }

    private static void allow(Exchange ex, String... methods) {
        for (String m : methods) if (m.equals(ex.method())) return;
        ex.http.getResponseHeaders().set("Allow", String.join(", ", methods));
        throw new HttpError(405, ex.method() + " is not allowed here; use " + String.join(" or ", methods));
    }
}
