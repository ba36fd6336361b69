package lenet.serve;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.engine.reference.ConvArithmetic;
import lenet.engine.reference.Explanation;
import lenet.model.Pooling;
import lenet.model.Window;

/**
 * The convolution arithmetic playground: {@code POST /api/conv} runs a cross-correlation or a
 * pooling on a small input through the reference engine's own layers ({@link ConvArithmetic}) and
 * says why the output has its size (floor((n + 2p - k) / s) + 1 per axis, by {@link Window#outputSize});
 * {@code GET /api/conv/examples} runs d2l's worked examples (chapter 7) through the same code and
 * sets each beside the book's answer.
 */
final class Playground {
    /**
     * @param op      {@code conv}, {@code max} or {@code avg}
     * @param input   [C][H][W]
     * @param weight  [OC][C][KH][KW] for {@code conv}
     * @param bias    [OC] for {@code conv}; zeros when absent
     * @param kernel  [KH, KW] for the poolings (a conv's comes from its weight)
     * @param stride  [strideH, strideW]; [1, 1] for conv and the kernel for pooling when absent, as PyTorch
     * @param padding [padH, padW]; [0, 0] when absent
     * @param cell    (channel, row, col) of the output whose arithmetic to show; none when absent
     */
    record ConvRequest(String op, double[][][] input, double[][][][] weight, double[] bias, int[] kernel, int[] stride, int[] padding, int[] cell) {}

    void run(Exchange ex) throws IOException {
        ConvRequest q = ex.jsonBody(ConvRequest.class);
        try {
            ex.sendJson(200, compute(q));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    static Map<String, Object> compute(ConvRequest q) {
        if (q.op() == null) throw new IllegalArgumentException("say which operation: op conv, max or avg");
        if (q.input() == null || q.input().length == 0 || q.input()[0].length == 0 || q.input()[0][0] == null) {
            throw new IllegalArgumentException("the input is empty; it needs at least one channel, row and column");
        }
        boolean conv = q.op().equals("conv");
        if (!conv && !q.op().equals("max") && !q.op().equals("avg")) throw new IllegalArgumentException("op must be conv, max or avg, was '" + q.op() + "'");
        int[] k;
        if (conv) {
            if (q.weight() == null || q.weight().length == 0 || q.weight()[0].length == 0 || q.weight()[0][0].length == 0 || q.weight()[0][0][0] == null) {
                throw new IllegalArgumentException("a convolution needs a weight [OC][C][KH][KW]");
            }
            k = new int[] {q.weight()[0][0].length, q.weight()[0][0][0].length};
        } else {
            k = pair(q.kernel(), null, "kernel");
        }
        int[] s = pair(q.stride(), conv ? new int[] {1, 1} : k, "stride");
        int[] p = pair(q.padding(), new int[] {0, 0}, "padding");
        Window window = new Window(k[0], k[1], s[0], s[1], p[0], p[1]);
        int h = q.input()[0].length, w = q.input()[0][0].length;

        Map<String, Object> answer = new LinkedHashMap<>();
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("height", axis(h, k[0], s[0], p[0]));
        sizes.put("width", axis(w, k[1], s[1], p[1]));
        answer.put("sizes", sizes);
        double[][][] out = conv
                ? ConvArithmetic.conv2d(q.input(), q.weight(), q.bias(), window)
                : ConvArithmetic.pool2d(q.input(), pooling(q.op()), window);
        answer.put("output_shape", new int[] {out.length, out[0].length, out[0][0].length});
        answer.put("output", out);
        if (q.cell() != null) {
            int[] c = q.cell();
            if (c.length != 3) throw new IllegalArgumentException("cell is (channel, row, column)");
            Explanation e = conv
                    ? ConvArithmetic.explainConv2d(q.input(), q.weight(), q.bias(), window, c[0], c[1], c[2])
                    : ConvArithmetic.explainPool2d(q.input(), pooling(q.op()), window, c[0], c[1], c[2]);
            answer.put("explanation", Exchange.tree(e));
        }
        return answer;
    }

    /** How one axis gets its size: n cells, kernel k, stride s, padding p give floor((n + 2p - k) / s) + 1. */
    static Map<String, Object> axis(int n, int k, int s, int p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("kernel", k);
        m.put("stride", s);
        m.put("padding", p);
        m.put("output", Window.outputSize(n, k, s, p));
        return m;
    }

    private static Pooling pooling(String op) {
        return op.equals("max") ? Pooling.MAX : Pooling.AVG;
    }

    private static int[] pair(int[] v, int[] fallback, String name) {
        if (v == null) {
            if (fallback == null) throw new IllegalArgumentException("give the " + name + " as [height, width]");
            return fallback;
        }
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length != 2) throw new IllegalArgumentException("give the " + name + " as [height, width]");
        return v;
    }

    // ---------------------------------------------------------------------------------------------
    // d2l's worked examples

    /**
     * One of d2l's examples: the request it makes, and the book's answer (its values, or only the
     * shape it prints when its input is random).
     */
    record Example(String id, String section, String title, String what, ConvRequest request, double[][][] book, int[] bookShape) {}

    void examples(Exchange ex) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Example e : EXAMPLES) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("section", e.section());
            m.put("title", e.title());
            m.put("what", e.what());
            m.put("request", e.request());
            Map<String, Object> result = compute(e.request());
            double[][][] output = (double[][][]) result.get("output");
            int[] shape = (int[]) result.get("output_shape");
            m.put("output", output);
            m.put("output_shape", shape);
            m.put("book", e.book());
            m.put("book_shape", e.bookShape());
            m.put("same", e.book() != null ? java.util.Arrays.deepEquals(e.book(), output) : java.util.Arrays.equals(e.bookShape(), shape));
            out.add(m);
        }
        ex.sendJson(200, Map.of("examples", out));
    }

    static final double[][] X = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}};
    static final double[][] K = {{0, 1}, {2, 3}};

    private static double[][] plus(double[][] m, double v) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
            for (int j = 0; j < r[i].length; j++) r[i][j] += v;
        }
        return r;
    }

    private static double[][] minus(double v, double[][] m) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = new double[m[i].length];
            for (int j = 0; j < r[i].length; j++) r[i][j] = v - m[i][j];
        }
        return r;
    }

    private static double[][] arange(int h, int w) {
        double[][] x = new double[h][w];
        for (int i = 0; i < h * w; i++) x[i / w][i % w] = i;
        return x;
    }

    private static double[][] ones(int h, int w) {
        double[][] x = new double[h][w];
        for (double[] row : x) java.util.Arrays.fill(row, 1);
        return x;
    }

    private static ConvRequest conv(double[][][] x, double[][][][] w, int[] stride, int[] padding) {
        return new ConvRequest("conv", x, w, null, null, stride, padding, null);
    }

    private static ConvRequest pool(String op, double[][][] x, int[] kernel, int[] stride, int[] padding) {
        return new ConvRequest(op, x, null, null, kernel, stride, padding, null);
    }

    /** The edge detector's input: 6x8 ones with columns 2-5 black (d2l 7.2.3). */
    private static double[][] edges() {
        double[][] x = ones(6, 8);
        for (double[] row : x) for (int j = 2; j < 6; j++) row[j] = 0;
        return x;
    }

    /** A 1x1 convolution is the matrix product W [2, 3] by X [3, 9] at every pixel (d2l 7.4.3; the book's input is random, this one is fixed). */
    private static final double[][][] X3 = {arange(3, 3), ones(3, 3), minus(8, arange(3, 3))};
    private static final double[][][][] W1X1 = {{{{1}}, {{0}}, {{-1}}}, {{{0.5}}, {{-1}}, {{0.25}}}};

    private static double[][][] matmul1x1() {
        double[][][] y = new double[2][3][3];
        for (int o = 0; o < 2; o++) for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int c = 0; c < 3; c++) s += W1X1[o][c][0][0] * X3[c][i][j];
            y[o][i][j] = s;
        }
        return y;
    }

    private static final double[][] EDGE_ROW = {{0, 1, 0, 0, 0, -1, 0}};

    static final List<Example> EXAMPLES = List.of(
            new Example("corr2d", "7.2.1", "Cross-correlation",
                    "X = 0..8 as 3x3 and the 2x2 kernel K = [[0, 1], [2, 3]]: the top-left output is 0*0 + 1*1 + 3*2 + 4*3 = 19.",
                    conv(new double[][][] {X}, new double[][][][] {{K}}, null, null), new double[][][] {{{19, 25}, {37, 43}}}, null),
            new Example("edges", "7.2.3", "Edge detection",
                    "A 6x8 image, white with a black band in columns 2-5, and K = [[1, -1]]: 1 where white turns black, -1 where black turns white.",
                    conv(new double[][][] {edges()}, new double[][][][] {{{{1, -1}}}}, null, null),
                    new double[][][] {{EDGE_ROW[0], EDGE_ROW[0], EDGE_ROW[0], EDGE_ROW[0], EDGE_ROW[0], EDGE_ROW[0]}}, null),
            new Example("pad1", "7.3.1", "Padding keeps the size",
                    "An 8x8 input, a 3x3 kernel and padding 1 on each side: (8 + 2 - 3) / 1 + 1 = 8.",
                    conv(new double[][][] {arange(8, 8)}, new double[][][][] {{ones(3, 3)}}, null, new int[] {1, 1}), null, new int[] {1, 8, 8}),
            new Example("pad21", "7.3.1", "Padding per axis",
                    "A 5x3 kernel with padding 2 rows and 1 column keeps 8x8: (8 + 4 - 5) + 1 = 8 and (8 + 2 - 3) + 1 = 8.",
                    conv(new double[][][] {arange(8, 8)}, new double[][][][] {{ones(5, 3)}}, null, new int[] {2, 1}), null, new int[] {1, 8, 8}),
            new Example("stride2", "7.3.2", "Stride 2 halves the size",
                    "A 3x3 kernel, padding 1, stride 2 on an 8x8 input: floor((8 + 2 - 3) / 2) + 1 = 4.",
                    conv(new double[][][] {arange(8, 8)}, new double[][][][] {{ones(3, 3)}}, new int[] {2, 2}, new int[] {1, 1}), null, new int[] {1, 4, 4}),
            new Example("stride34", "7.3.2", "Stride and padding per axis",
                    "A 3x5 kernel, padding (0, 1), stride (3, 4): floor((8 - 3) / 3) + 1 = 2 rows and floor((8 + 2 - 5) / 4) + 1 = 2 columns.",
                    conv(new double[][][] {arange(8, 8)}, new double[][][][] {{ones(3, 5)}}, new int[] {3, 4}, new int[] {0, 1}), null, new int[] {1, 2, 2}),
            new Example("multi-in", "7.4.1", "Two input channels",
                    "X and X + 1 as two channels, K and K + 1 as their kernels: each channel is correlated with its own kernel and the two are added, 19 + 37 = 56.",
                    conv(new double[][][] {X, plus(X, 1)}, new double[][][][] {{K, plus(K, 1)}}, null, null), new double[][][] {{{56, 72}, {104, 120}}}, null),
            new Example("multi-out", "7.4.2", "Three output channels",
                    "The two-channel kernel stacked three times as K, K + 1, K + 2: one output channel per kernel.",
                    conv(new double[][][] {X, plus(X, 1)}, new double[][][][] {{K, plus(K, 1)}, {plus(K, 1), plus(K, 2)}, {plus(K, 2), plus(K, 3)}}, null, null),
                    new double[][][] {{{56, 72}, {104, 120}}, {{76, 100}, {148, 172}}, {{96, 128}, {192, 224}}}, null),
            new Example("conv1x1", "7.4.3", "1x1 convolution",
                    "A 1x1 kernel mixes the channels at each pixel: the same as the matrix product W [2x3] times X [3x9] (the book's numbers are random; these are fixed).",
                    conv(X3, W1X1, null, null), matmul1x1(), null),
            new Example("max2", "7.5.1", "Max pooling 2x2",
                    "The largest value of each 2x2 window of X = 0..8.",
                    pool("max", new double[][][] {X}, new int[] {2, 2}, new int[] {1, 1}, null), new double[][][] {{{4, 5}, {7, 8}}}, null),
            new Example("avg2", "7.5.1", "Average pooling 2x2",
                    "The mean of each 2x2 window of X = 0..8.",
                    pool("avg", new double[][][] {X}, new int[] {2, 2}, new int[] {1, 1}, null), new double[][][] {{{2, 3}, {5, 6}}}, null),
            new Example("max3", "7.5.2", "Pooling's stride defaults to its window",
                    "A 3x3 max pool on X = 0..15 as 4x4 moves 3 at a time: one window fits.",
                    pool("max", new double[][][] {arange(4, 4)}, new int[] {3, 3}, null, null), new double[][][] {{{10}}}, null),
            new Example("max3p1s2", "7.5.2", "Max pooling with padding and stride",
                    "3x3 windows, padding 1, stride 2 on the 4x4 X; the padding never wins a max.",
                    pool("max", new double[][][] {arange(4, 4)}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}), new double[][][] {{{5, 7}, {13, 15}}}, null),
            new Example("max23", "7.5.2", "A rectangular pooling window",
                    "2x3 windows, padding (0, 1), stride (2, 3) on the 4x4 X.",
                    pool("max", new double[][][] {arange(4, 4)}, new int[] {2, 3}, new int[] {2, 3}, new int[] {0, 1}), new double[][][] {{{5, 7}, {13, 15}}}, null),
            new Example("max-multi", "7.5.3", "Pooling keeps the channels",
                    "X and X + 1 as two channels: each is pooled on its own, the output has two channels too.",
                    pool("max", new double[][][] {arange(4, 4), plus(arange(4, 4), 1)}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}),
                    new double[][][] {{{5, 7}, {13, 15}}, {{6, 8}, {14, 16}}}, null));
}
