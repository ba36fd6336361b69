package lenet.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import lenet.data.Datasets;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/** Precision, recall and F1 of each digit as grouped bars. */
final class PerClassChart {
    static final int WIDTH = 800;
    static final int HEIGHT = 420;

    private PerClassChart() {}

    static BufferedImage draw(List<ClassMetrics> metrics, Datasets.Classes classes) {
        List<String> digits = new ArrayList<>();
        List<Double> precision = new ArrayList<>(), recall = new ArrayList<>(), f1 = new ArrayList<>();
        double lowest = 1;
        for (ClassMetrics m : metrics) {
            digits.add(classes.name(m.digit()));
            precision.add(orZero(m.precision()));
            recall.add(orZero(m.recall()));
            f1.add(orZero(m.f1()));
            lowest = Math.min(lowest, Math.min(orZero(m.precision()), orZero(m.recall())));
        }
        // Good models score 0.97-1.0 everywhere: start the axis a little below the lowest bar so the
        // differences show, and say so in the title.
        double bottom = Math.max(0, Math.floor((lowest - 0.01) * 50) / 50);
        String title = "Precision, recall and F1 by " + classes.noun() + (bottom > 0 ? " (axis from " + trim(bottom) + ")" : "");
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(classes.noun()).yAxisTitle("").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setYAxisMin(bottom);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern(bottom > 0.9 ? "0.00" : "0.0");
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        CategorySeries p = chart.addSeries("precision", digits, precision);
        CategorySeries r = chart.addSeries("recall", digits, recall);
        CategorySeries f = chart.addSeries("F1", digits, f1);
        p.setFillColor(Charts.BLUE);
        r.setFillColor(Charts.ORANGE);
        f.setFillColor(Charts.GREEN);
        return Charts.render(chart);
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String trim(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
