package lenet.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Dimension;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import lenet.train.Evaluation;

/**
 * report.html: one self-contained page (inline style, no script, no fonts or anything else from
 * the network) that shows the pictures, referenced by their file names beside it, with the numbers.
 */
final class ReportHtml {
    record Content(Report.Input in, Evaluation eval, List<ClassMetrics> perClass, List<Mistake> mistakes, List<FeatureMaps.Stage> stages,
                   int predicted, double confidence, List<Curves.Row> curves, String curvesNote, List<String> files,
                   Map<String, Dimension> sizes) {}

    private static final String STYLE = """
            body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1a1a1a;
                   max-width: 980px; margin: 2em auto; padding: 0 1em; }
            h1 { font-size: 1.7em; margin-bottom: 0.2em; }
            h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 0.8em 0; }
            th, td { padding: 0.2em 0.7em; border: 1px solid #ddd; text-align: right; font-variant-numeric: tabular-nums; }
            th { background: #f3f3f3; }
            table.facts th { text-align: left; }
            table.facts td { text-align: left; }
            table.stages td:first-child { text-align: left; }
            img { display: block; max-width: 100%; height: auto; margin: 0.8em 0; }
            nav a { margin-right: 1em; }
            .note { color: #555; }
            code { font-size: 0.95em; }
            """;

    private ReportHtml() {}

    static String page(Content c) {
        Report.Input in = c.in();
        Evaluation e = c.eval();
        StringBuilder h = new StringBuilder(16_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>LeNet report: ").append(esc(in.modelFile().toString())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>LeNet report</h1>\n");
        h.append("<table class=\"facts\">\n");
        fact(h, "model", "<code>" + esc(in.modelFile().toString()) + "</code>");
        fact(h, "network", esc(network(in)));
        fact(h, "data", esc(in.dataName()) + String.format(Locale.ROOT, ", %,d images", e.count()));
        fact(h, "accuracy", String.format(Locale.ROOT, "<b>%s</b> (%,d right, %,d wrong)", Curves.percent(e.accuracy()), e.correct(),
                e.count() - e.correct()));
        fact(h, "loss", String.format(Locale.ROOT, "%.4f (mean cross-entropy)", e.loss()));
        h.append("</table>\n");
        String noun = in.classes().noun();
        h.append("<nav>");
        if (c.curves() != null) h.append("<a href=\"#curves\">learning curves</a>");
        h.append("<a href=\"#confusion\">confusion matrix</a><a href=\"#per-class\">per ").append(noun).append("</a><a href=\"#mistakes\">mistakes</a>")
                .append("<a href=\"#filters\">filters</a><a href=\"#feature-maps\">feature maps</a></nav>\n");

        if (c.curves() != null) {
            h.append("<h2 id=\"curves\">Learning curves</h2>\n");
            h.append("<p>From the run's <code>metrics.csv</code>: loss and accuracy on the training images, averaged over each epoch while the ")
                    .append("weights changed (as d2l.ai plots them), and accuracy on the test images after each epoch.</p>\n");
            img(h, c, Report.CURVES, "learning curves: train loss, train accuracy and test accuracy by epoch");
            h.append("<table>\n<tr><th>epoch</th><th>train loss</th><th>train accuracy</th><th>test accuracy</th></tr>\n");
            for (Curves.Row r : c.curves()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td></tr>%n", (int) r.epoch(),
                        Curves.fixed(r.trainLoss(), 4), Curves.percent(r.trainAccuracy()), Curves.percent(r.testAccuracy())));
            }
            h.append("</table>\n");
        } else {
            h.append("<p class=\"note\">No learning curves: ").append(esc(c.curvesNote())).append(".</p>\n");
        }

        int k = e.confusion().length;
        h.append("<h2 id=\"confusion\">Confusion matrix</h2>\n");
        h.append("<p>Each row is a true " + noun + ", each column the " + noun + " the network answered; the diagonal holds the right answers. ")
                .append("The same counts as <code>lenet eval</code> prints.</p>\n");
        img(h, c, Report.CONFUSION, "confusion matrix heat map with counts");

        h.append("<h2 id=\"per-class\">Precision, recall and F1 by " + noun + "</h2>\n");
        h.append("<p><b>Precision</b>: of the images the network called <i>d</i>, the share that were <i>d</i>. ")
                .append("<b>Recall</b>: of the images of <i>d</i>, the share it recognised. <b>F1</b>: their harmonic mean.</p>\n");
        h.append("<table>\n<tr><th>" + noun + "</th><th>images</th><th>answered</th><th>right</th><th>precision</th><th>recall</th><th>F1</th></tr>\n");
        for (ClassMetrics m : c.perClass()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                    esc(in.classes().name(m.digit())), m.support(), m.predicted(), m.truePositives(), ratio(m.precision()), ratio(m.recall()), ratio(m.f1())));
        }
        h.append(String.format(Locale.ROOT, "<tr><th>mean</th><td></td><td></td><td></td><th>%s</th><th>%s</th><th>%s</th></tr>%n",
                ratio(ClassMetrics.macro(c.perClass(), ClassMetrics::precision)), ratio(ClassMetrics.macro(c.perClass(), ClassMetrics::recall)),
                ratio(ClassMetrics.macro(c.perClass(), ClassMetrics::f1))));
        h.append("</table>\n");
        img(h, c, Report.PER_CLASS, "precision, recall and F1 of each " + noun + " as bars");

        h.append("<h2 id=\"mistakes\">The most confident mistakes</h2>\n");
        h.append(String.format(Locale.ROOT, "<p>%,d of %,d images were classified wrong. These are the ones the network was surest about, ",
                        e.count() - e.correct(), e.count()))
                .append("each as the network saw it, with the probability it gave its answer and the image's index (<code>#</code>) in the data. ")
                .append("Some are badly written; some have a wrong label.</p>\n");
        img(h, c, Report.MISTAKES, "the most confidently wrong images with true and predicted " + noun + "s");

        h.append("<h2 id=\"filters\">What the first layer looks for</h2>\n");
        h.append("<p>conv1 slides each of its 5x5 kernels over the image and adds up weight times pixel under it ")
                .append("(cross-correlation), plus the bias. Red weights reward ink at that spot, blue ones punish it, so a kernel ")
                .append("answers most where the image looks like its red part: a stroke, an edge of some direction.</p>\n");
        img(h, c, Report.FILTERS, "the six 5x5 kernels of conv1 enlarged");

        h.append("<h2 id=\"feature-maps\">Feature maps</h2>\n");
        h.append(String.format(Locale.ROOT, "<p>Image #%d of the data (%s; the network answers %s with %s) run through the layers one by one. ",
                        in.imageIndex(), esc(in.classes().name(in.data().label(in.imageIndex()))), esc(in.classes().name(c.predicted())), Curves.percent(c.confidence())))
                .append("Each small picture is one channel's <b>feature map</b>: the output of one kernel at every position. Pooling halves ")
                .append("each map; the next convolution mixes all channels. A value deep in the network depends on a larger patch ")
                .append("of the input, its <b>receptive field</b>. Choose another image with <code>--image-index N</code>.</p>\n");
        h.append("<table class=\"stages\">\n<tr><th>stage</th><th>shape</th><th>receptive field</th><th>values from</th><th>to</th></tr>\n");
        for (FeatureMaps.Stage s : c.stages()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d x %dx%d</td><td>%dx%d</td><td>%.3f</td><td>%.3f</td></tr>%n", esc(s.name()),
                    s.channels(), s.size(), s.size(), s.receptiveField(), s.receptiveField(), s.min(), s.max()));
        }
        h.append("</table>\n");
        img(h, c, Report.FEATURE_MAPS, "feature maps of one image after each convolution and pooling");

        h.append("<h2>Files</h2>\n<p>");
        for (String f : c.files()) h.append("<a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a> ");
        h.append("<br><span class=\"note\">Written by <code>lenet report</code>; <code>metrics.json</code> holds the numbers above.</span></p>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** "sigmoid activation, avg pooling; epoch 15 of 15, recipe default, seed 1". */
    private static String network(Report.Input in) {
        var a = in.spec().architecture();
        String s = a.activation().cliName() + " activation, " + a.pooling().cliName() + " pooling" + (a.norm() == lenet.model.Norm.BATCH ? ", batch norm" : "");
        JsonNode meta = in.meta();
        if (meta == null) return s + "; no training record (a checkpoint without meta.json)";
        JsonNode cfg = meta.path("config");
        StringBuilder b = new StringBuilder(s);
        if (meta.has("epoch")) {
            b.append("; trained ").append(meta.path("epoch").asInt()).append(" epoch").append(meta.path("epoch").asInt() == 1 ? "" : "s");
            if (cfg.has("epochs")) b.append(" of ").append(cfg.path("epochs").asInt());
        }
        if (cfg.has("dataset")) b.append(" on ").append(cfg.path("dataset").asText());
        if (cfg.has("recipe")) b.append(", recipe ").append(cfg.path("recipe").asText());
        if (meta.has("seed")) b.append(", seed ").append(meta.path("seed").asLong());
        return b.toString();
    }

    private static void fact(StringBuilder h, String name, String valueHtml) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    /** An image at its natural size (when known), shrinking to the page on small screens. */
    private static void img(StringBuilder h, Content c, String file, String alt) {
        h.append("<img src=\"").append(esc(file)).append("\" alt=\"").append(esc(alt)).append('"');
        Dimension d = c.sizes().get(file);
        if (d != null) h.append(" width=\"").append(d.width).append("\" height=\"").append(d.height).append('"');
        h.append(">\n");
    }

    private static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
