package lenet.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lenet.engine.Trace;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.Pooling;
import lenet.model.Window;

/**
 * What one image looks like inside the network: from the model's trace of it (every layer's
 * output), the output after each convolution (with its batch norm and activation) and each
 * pooling, up to the flatten; for LeNet:
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

    /** What a layer is, as far as the picture cares. */
    private enum Kind { CONV, POOL, ACT, NORM, OTHER, END }

    private static final LayerSpec.Visitor<Kind> KIND = new LayerSpec.Visitor<>() {
        public Kind conv2d(LayerSpec.Conv2d l) { return Kind.CONV; }
        public Kind pool2d(LayerSpec.Pool2d l) { return Kind.POOL; }
        public Kind act(LayerSpec.Act l) { return Kind.ACT; }
        public Kind flatten(LayerSpec.Flatten l) { return Kind.END; }
        public Kind linear(LayerSpec.Linear l) { return Kind.END; }
        public Kind batchNorm(LayerSpec.BatchNorm l) { return Kind.NORM; }
    };

    private static final LayerSpec.Visitor<Window> WINDOW = new LayerSpec.Visitor<>() {
        public Window conv2d(LayerSpec.Conv2d l) { return l.window(); }
        public Window pool2d(LayerSpec.Pool2d l) { return l.window(); }
        public Window act(LayerSpec.Act l) { return null; }
        public Window flatten(LayerSpec.Flatten l) { return null; }
        public Window linear(LayerSpec.Linear l) { return null; }
        public Window batchNorm(LayerSpec.BatchNorm l) { return null; }
    };

    private static final LayerSpec.Visitor<Pooling> POOLING = new LayerSpec.Visitor<>() {
        public Pooling conv2d(LayerSpec.Conv2d l) { return null; }
        public Pooling pool2d(LayerSpec.Pool2d l) { return l.kind(); }
        public Pooling act(LayerSpec.Act l) { return null; }
        public Pooling flatten(LayerSpec.Flatten l) { return null; }
        public Pooling linear(LayerSpec.Linear l) { return null; }
        public Pooling batchNorm(LayerSpec.BatchNorm l) { return null; }
    };

    /** The stages of {@code trace} (one image through {@code spec}) up to the flatten, each convolution with what follows it before the pooling. */
    static List<Stage> compute(ModelSpec spec, Trace trace) {
        int[] in = spec.inputShape();
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("input", in[0], in[1], trace.input(), 1));
        List<Trace.StageOutput> outs = trace.stages();
        int receptive = 1, jump = 1;
        for (int i = 0; i < outs.size(); i++) {
            LayerSpec layer = outs.get(i).stage().layer();
            Kind kind = layer.accept(KIND);
            if (kind == Kind.END) break;
            Window w = layer.accept(WINDOW);
            if (w != null) {
                receptive += (w.kernelH() - 1) * jump;
                jump *= w.strideH();
            }
            if (kind == Kind.CONV) {
                StringBuilder name = new StringBuilder(layer.name());
                // The batch norm and activation that follow belong to this stage: show their output.
                while (i + 1 < outs.size() && (outs.get(i + 1).stage().layer().accept(KIND) == Kind.ACT
                        || outs.get(i + 1).stage().layer().accept(KIND) == Kind.NORM)) {
                    i++;
                    LayerSpec next = outs.get(i).stage().layer();
                    name.append(" + ").append(next.accept(KIND) == Kind.NORM ? "batch norm" : next.describe().toLowerCase(Locale.ROOT));
                }
                stages.add(stage(name.toString(), outs.get(i), receptive));
            } else if (kind == Kind.POOL) {
                String name = layer.name() + " (" + (layer.accept(POOLING) == Pooling.AVG ? "average" : "max") + " " + w.kernelH() + "x" + w.kernelW() + ")";
                stages.add(stage(name, outs.get(i), receptive));
            }
        }
        return stages;
    }

    private static Stage stage(String name, Trace.StageOutput out, int receptive) {
        int[] shape = out.shape();
        return new Stage(name, shape[0], shape[1], out.values(), receptive);
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
