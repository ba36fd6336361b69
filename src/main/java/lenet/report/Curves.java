package lenet.report;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import lenet.LenetException;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a run, as d2l.ai draws them while training: train loss, train accuracy and
 * test accuracy against the epoch, on one axis, from the run's {@code metrics.csv}.
 */
public final class Curves {
    public static final String FILE = "curves.png";
    static final int WIDTH = 800;
    static final int HEIGHT = 480;

    /** One row of metrics.csv; missing or unreadable numbers are NaN and leave a gap in their curve. */
    record Row(double epoch, double trainLoss, double trainAccuracy, double testAccuracy) {}

    private Curves() {}

    /** Draws {@code metricsCsv} into {@code png}; the epoch axis spans the epochs in the file. */
    public static void write(Path metricsCsv, Path png) {
        write(metricsCsv, png, 0);
    }

    /**
     * Draws {@code metricsCsv} into {@code png}, atomically. With {@code plannedEpochs > 0} the epoch
     * axis runs from 1 to that many epochs (as d2l's animator does), so the picture written after
     * each epoch fills in from the left instead of being rescaled.
     *
     * @throws LenetException when the file cannot be read, lacks a column, or has no rows
     */
    public static void write(Path metricsCsv, Path png, int plannedEpochs) {
        Png.write(draw(read(metricsCsv), plannedEpochs), png);
    }

    static List<Row> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LenetException(csv + ": no such file; the learning curves need a run's metrics.csv");
        } catch (IOException e) {
            throw new LenetException(csv + ": cannot read (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) throw new LenetException(csv + ": empty; expected a header and one row per epoch");
        List<String> header = Arrays.asList(lines.get(0).strip().split(","));
        int epoch = column(csv, header, "epoch");
        int trainLoss = column(csv, header, "train_loss");
        int trainAcc = column(csv, header, "train_accuracy");
        int testAcc = column(csv, header, "test_accuracy");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split(",", -1);
            Row r = new Row(number(f, epoch), number(f, trainLoss), number(f, trainAcc), number(f, testAcc));
            if (Double.isFinite(r.epoch())) rows.add(r);
        }
        if (rows.isEmpty()) throw new LenetException(csv + ": has no epoch rows yet; train at least one epoch");
        rows.sort(Comparator.comparingDouble(Row::epoch));
        return rows;
    }

    private static int column(Path csv, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) throw new LenetException(csv + ": no column '" + name + "' in the header; is it a lenet metrics.csv?");
        return i;
    }

    private static double number(String[] fields, int i) {
        if (i >= fields.length) return Double.NaN;
        try {
            return Double.parseDouble(fields[i].strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static BufferedImage draw(List<Row> rows, int plannedEpochs) {
        Row last = rows.get(rows.size() - 1);
        String title = String.format(Locale.ROOT, "After epoch %d: train loss %s, test accuracy %s",
                (int) last.epoch(), fixed(last.trainLoss(), 4), percent(last.testAccuracy()));
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle("loss, accuracy").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setMarkerSize(7);
        add(chart, "train loss", rows, Row::trainLoss, Charts.BLUE, SeriesLines.SOLID);
        add(chart, "train accuracy", rows, Row::trainAccuracy, Charts.MAGENTA, dashes(9f, 5f));
        add(chart, "test accuracy", rows, Row::testAccuracy, Charts.GREEN, dashes(11f, 4f, 2.5f, 4f));

        // Epochs are whole numbers: an axis from 1 to at least 2, labels only on whole epochs.
        double lastEpoch = Math.max(Math.max(plannedEpochs, last.epoch()), rows.get(0).epoch() + 1);
        chart.getStyler().setXAxisMin(Math.min(1.0, rows.get(0).epoch()));
        chart.getStyler().setXAxisMax(lastEpoch);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.abs(x - Math.rint(x)) < 1e-9 ? Long.toString(Math.round(x)) : "");
        // Accuracy lives in [0, 1]; the loss starts near ln 10 = 2.3 for ten classes.
        double top = 1.0;
        for (Row r : rows) {
            for (double v : new double[] {r.trainLoss(), r.trainAccuracy(), r.testAccuracy()}) {
                if (Double.isFinite(v)) top = Math.max(top, v);
            }
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.ceil(top * 10) / 10);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        return Charts.render(chart);
    }

    /** One curve of finite points; a curve with none is still named in the legend. */
    private static void add(XYChart chart, String name, List<Row> rows, java.util.function.ToDoubleFunction<Row> value,
                            java.awt.Color colour, BasicStroke line) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Row r : rows) {
            double y = value.applyAsDouble(r);
            if (Double.isFinite(y)) {
                xs.add(r.epoch());
                ys.add(y);
            }
        }
        XYSeries s;
        if (xs.isEmpty()) {
            s = chart.addSeries(name + " (no values)", new double[] {rows.get(0).epoch()}, new double[] {0});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.NONE);
            s.setShowInLegend(true);
        } else {
            s = chart.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(line);
        }
        s.setLineColor(colour);
        s.setMarkerColor(colour);
    }

    /** A line of the given dash pattern (pixels on, off, ...), as matplotlib's '--' and '-.'. */
    private static BasicStroke dashes(float... pattern) {
        return new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, pattern, 0f);
    }

    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", 100 * fraction) : "n/a";
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }
}
