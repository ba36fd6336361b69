package lenet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the server takes to answer a drawn digit, measured over HTTP on this machine:
 * {@code mvn -o test -Dtest=ServeLatencyBench -Dlenet.latency=true} (off otherwise; it asserts no
 * speed, only that every answer is the same). A 280x280 PNG of a 7, as the page's canvas sends,
 * goes to {@code /api/predict} without and with the trace, and a conv1 cell to {@code /api/explain},
 * the three kinds alternating, after a warm-up; medians and 90th percentiles of the time the server
 * reports (server_ms) and of the whole round trip as a client sees it.
 */
@EnabledIfSystemProperty(named = "lenet.latency", matches = "true")
class ServeLatencyBench {
    private static final ObjectMapper JSON = lenet.io.Json.MAPPER;

    @TempDir
    Path tmp;

    /** A 7 in dark ink on white, drawn as the page's pad draws it (a round pen of 1/16 the width). */
    static byte[] canvasSeven() throws Exception {
        BufferedImage img = new BufferedImage(280, 280, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 280, 280);
        g.setColor(new Color(0x11, 0x11, 0x11));
        g.setStroke(new BasicStroke(17.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawPolyline(new int[] {70, 210, 120}, new int[] {55, 55, 240}, 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void latency() throws Exception {
        int warmup = Integer.getInteger("lenet.warmup", 100), reps = Integer.getInteger("lenet.reps", 200);
        byte[] seven = canvasSeven();
        try (Server server = Fixture.server(Fixture.MODEL, Fixture.runs(tmp, "run"), new StringWriter())) {
            int port = server.address().getPort();
            JsonNode first = JSON.readTree(Raw.request(port, "POST", "/api/predict", "image/png", seven).body());
            assertEquals(7, first.path("digit").asInt());
            StringBuilder pixels = new StringBuilder();
            for (JsonNode v : first.path("seen")) pixels.append(pixels.length() == 0 ? "" : ",").append(v.asInt());
            String explain = "{\"pixels\": [" + pixels + "], \"stage\": \"conv1\", \"index\": [2, 9, 15]}";
            String[] names = {"predict", "predict?trace=1", "explain conv1"};
            List<List<double[]>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            String expected = null;
            for (int i = 0; i < warmup + reps; i++) {
                for (int k = 0; k < 3; k++) {
                    long t = System.nanoTime();
                    Raw.Answer a = switch (k) {
                        case 0 -> Raw.request(port, "POST", "/api/predict", "image/png", seven);
                        case 1 -> Raw.request(port, "POST", "/api/predict?trace=1", "image/png", seven);
                        default -> Raw.postJson(port, "/api/explain", explain);
                    };
                    double roundTrip = (System.nanoTime() - t) / 1e6;
                    assertEquals(200, a.status(), a.text());
                    JsonNode j = JSON.readTree(a.body());
                    if (k == 0) {
                        String probabilities = j.path("probabilities").toString();
                        if (expected == null) expected = probabilities;
                        assertEquals(expected, probabilities, "the same answer every time");
                    }
                    if (i >= warmup) times.get(k).add(new double[] {j.path("server_ms").asDouble(), roundTrip, a.body().length});
                }
            }
            System.out.printf(Locale.ROOT, "%d requests of each kind after %d warm-up rounds, alternating; %d cores%n", reps, warmup,
                    Runtime.getRuntime().availableProcessors());
            for (int k = 0; k < 3; k++) {
                double[] serverMs = times.get(k).stream().mapToDouble(x -> x[0]).sorted().toArray();
                double[] trip = times.get(k).stream().mapToDouble(x -> x[1]).sorted().toArray();
                System.out.printf(Locale.ROOT, "%-16s server %6.1f ms median, %6.1f p90   round trip %6.1f ms median, %6.1f p90   %,d bytes%n",
                        names[k], serverMs[serverMs.length / 2], serverMs[serverMs.length * 9 / 10], trip[trip.length / 2], trip[trip.length * 9 / 10],
                        (long) times.get(k).get(0)[2]);
            }
        }
    }

}
