package lenet.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look shared by the report's XChart charts: white background, light grid, and text large
 * enough to read at the PNG's natural size (tick labels 13 px, axis titles 14 px, title 16 px).
 */
final class Charts {
    /** matplotlib's first colours, as in d2l's plots. */
    static final Color BLUE = new Color(0x1f77b4);
    static final Color MAGENTA = new Color(0xc0309a);
    static final Color GREEN = new Color(0x2ca02c);
    static final Color ORANGE = new Color(0xff7f0e);

    private Charts() {}

    static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(Color.BLACK);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsColor(Color.BLACK);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setAntiAlias(true);
    }

    /** The chart drawn at its own size. */
    static BufferedImage render(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }
}
