package lenet.report;

import lenet.model.Window;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lenet.nn.AvgPool2d;
import lenet.nn.Conv2d;
import lenet.nn.Flatten;
import lenet.nn.Layer;
import lenet.nn.LeNet;
import lenet.nn.MaxPool2d;
import lenet.nn.ReLU;
import lenet.nn.Sigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one image looks like inside the network: the layers of {@link LeNet} run one by one on it,
 * and the output kept after each convolution (with its activation) and each pooling, up to the
 * flatten:
 *
 * <pre>
 *   input                 1 x 28x28
 *   conv1 + activation    6 x 28x28   receptive field  5x5 input pixels
 *   pool1                 6 x 14x14                     6x6
 *   conv2 + activation   16 x 10x10                    14x14
 *   pool2                16 x  5x5                     16x16
 * </pre>
 *
 * The receptive field (the input pixels one value depends on) grows by (kernel - 1) times the
 * product of the strides before a layer: r = 1, then r += (k - 1) * jump and jump *= stride.
 */
final class FeatureMaps {
    /**
     * One stage's maps.
     *
     * @param values   [channels * size * size], channel by channel, row-major
     * @param receptiveField side of the square of input pixels one value depends on
     */
    record Stage(String name, int channels, int size, float[] values, int receptiveField) {
        double min() {
            double m = Double.POSITIVE_INFINITY;
            for (float v : values) m = Math.min(m, v);
            return m;
        }

        double max() {
            double m = Double.NEGATIVE_INFINITY;
            for (float v : values) m = Math.max(m, v);
            return m;
        }
    }

    private FeatureMaps() {}

    /** Runs {@code image} (bytes 0-255, side x side) through the network's layers up to the flatten. */
    static List<Stage> compute(LeNet net, byte[] image, int side) {
        float[] x0 = new float[image.length];
        // Exactly the training input: byte / 255 in float.
        for (int i = 0; i < image.length; i++) x0[i] = (image[i] & 0xFF) / 255f;
        INDArray x = Nd4j.create(x0, new long[] {1, 1, side, side}, 'c');
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("input", 1, side, x0, 1));
        List<Layer> layers = net.layers();
        int conv = 0, pool = 0, receptive = 1, jump = 1;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Flatten) break;
            x = layer.forward(x);
            Window w = layer instanceof Conv2d c ? c.window() : layer instanceof AvgPool2d a ? a.window()
                    : layer instanceof MaxPool2d m ? m.window() : null;
            if (w != null) {
                receptive += (w.kernelH() - 1) * jump;
                jump *= w.strideH();
            }
            String name = null;
            if (layer instanceof Conv2d) {
                conv++;
                Layer next = i + 1 < layers.size() ? layers.get(i + 1) : null;
                String act = next instanceof Sigmoid ? "sigmoid" : next instanceof ReLU ? "relu" : null;
                if (act != null) {
                    x = next.forward(x);
                    i++;
                }
                name = "conv" + conv + (act == null ? "" : " + " + act);
            } else if (w != null) {
                pool++;
                name = "pool" + pool + " (" + (layer instanceof AvgPool2d ? "average" : "max") + " " + w.kernelH() + "x" + w.kernelW() + ")";
            }
            if (name != null) {
                long[] s = x.shape();
                float[] values = x.dup('c').castTo(DataType.FLOAT).data().asFloat();
                stages.add(new Stage(name, (int) s[1], (int) s[2], values, receptive));
            }
        }
        return stages;
    }

    // Layout: every map of a stage drawn at about CELL pixels, channels in columns, MAX_COLUMNS a row,
    // so channel k of a convolution sits above channel k of the pooling after it.
    static final int CELL = 84;
    static final int GAP = 14;
    static final int MAX_COLUMNS = 8;
    static final int MARGIN = 16;
    static final int HEADING = 40;
    static final int LABEL = 18;

    static int scaleFor(int size) {
        return Math.max(1, CELL / size);
    }

    static int width() {
        return 2 * MARGIN + MAX_COLUMNS * (CELL + GAP) - GAP;
    }

    static int height(List<Stage> stages) {
        int h = 44;
        for (Stage s : stages) h += HEADING + rows(s) * (s.size() * scaleFor(s.size()) + LABEL) + 8;
        return h;
    }

    private static int rows(Stage s) {
        return (s.channels() + MAX_COLUMNS - 1) / MAX_COLUMNS;
    }

    /** @param caption what the image is, e.g. "test image #0: a 7, predicted 7 (99.9%)" */
    static BufferedImage draw(List<Stage> stages, String caption) {
        BufferedImage image = Drawing.canvas(width(), height(stages));
        Graphics2D g = Drawing.graphics(image);
        Drawing.centred(g, Drawing.TITLE, "Feature maps of " + caption, image.getWidth() / 2.0, 22);
        int y = 44;
        for (Stage s : stages) {
            int scale = scaleFor(s.size());
            int side = s.size() * scale;
            double lo = s.min(), hi = s.max();
            g.setColor(Color.BLACK);
            String what = s.name().equals("input")
                    ? String.format(Locale.ROOT, "input: 1 x %dx%d pixels, black 0 to white 1", s.size(), s.size())
                    : String.format(Locale.ROOT, "%s: %d x %dx%d, each value sees %dx%d input pixels", s.name(), s.channels(), s.size(), s.size(),
                            s.receptiveField(), s.receptiveField());
            Drawing.left(g, Drawing.HEADING, what, MARGIN, y + 22);
            if (!s.name().equals("input")) {
                Drawing.left(g, Drawing.TEXT, String.format(Locale.ROOT, "black %.2f to white %.2f", lo, hi), MARGIN, y + 38);
            }
            y += HEADING + (s.name().equals("input") ? 0 : 4);
            Drawing.Shade shade = s.name().equals("input") ? Drawing.grey(0, 1) : Drawing.grey(lo, hi);
            int plane = s.size() * s.size();
            for (int c = 0; c < s.channels(); c++) {
                int x = MARGIN + (c % MAX_COLUMNS) * (CELL + GAP) + (CELL - side) / 2;
                int top = y + (c / MAX_COLUMNS) * (side + LABEL);
                Drawing.pixels(g, s.values(), c * plane, s.size(), s.size(), x, top, scale, shade);
                if (s.channels() > 1) {
                    g.setColor(Color.DARK_GRAY);
                    Drawing.centred(g, Drawing.TEXT, Integer.toString(c + 1), x + side / 2.0, top + side + 9);
                }
            }
            y += rows(s) * (side + LABEL) + 4;
        }
        g.dispose();
        return image;
    }
}
