package lenet.nn;

/**
 * Convolution and pooling written the slow, obvious way: plain loops over doubles, straight from the
 * definitions, with nothing shared with the layers under test (not even the output-size helper).
 *
 * <pre>
 *   x [N][C][H][W]    w [OC][C][KH][KW]    b [OC] or null
 *   OH = (H + 2*padH - KH) / strideH + 1   (integer division, rounds down), likewise OW
 *   xpad[n][c][i][j] = x[n][c][i - padH][j - padW] inside the image, 0 outside
 * </pre>
 */
final class ReferenceOps {
    private ReferenceOps() {}

    /** y[n][o][i][j] = b[o] + sum over c, u, v of w[o][c][u][v] * xpad[n][c][i*sH + u][j*sW + v]: cross-correlation, no kernel flip. */
    static double[][][][] conv2d(double[][][][] x, double[][][][] w, double[] b, int strideH, int strideW, int padH, int padW) {
        int n = x.length, c = x[0].length, h = x[0][0].length, wd = x[0][0][0].length;
        int oc = w.length, kh = w[0][0].length, kw = w[0][0][0].length;
        int oh = (h + 2 * padH - kh) / strideH + 1;
        int ow = (wd + 2 * padW - kw) / strideW + 1;
        double[][][][] y = new double[n][oc][oh][ow];
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int row = i * strideH + u - padH;
                                    int col = j * strideW + v - padW;
                                    if (row >= 0 && row < h && col >= 0 && col < wd) {
                                        sum += w[o][ch][u][v] * x[img][ch][row][col];
                                    }
                                }
                            }
                        }
                        y[img][o][i][j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** The largest input in each window; padding cells are left out (as -infinity). */
    static double[][][][] maxPool2d(double[][][][] x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        return pool(x, kh, kw, strideH, strideW, padH, padW, true);
    }

    /** The sum of each window divided by KH*KW, padding cells counting as zeros (PyTorch's count_include_pad=True). */
    static double[][][][] avgPool2d(double[][][][] x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        return pool(x, kh, kw, strideH, strideW, padH, padW, false);
    }

    private static double[][][][] pool(double[][][][] x, int kh, int kw, int strideH, int strideW, int padH, int padW, boolean max) {
        int n = x.length, c = x[0].length, h = x[0][0].length, wd = x[0][0][0].length;
        int oh = (h + 2 * padH - kh) / strideH + 1;
        int ow = (wd + 2 * padW - kw) / strideW + 1;
        double[][][][] y = new double[n][c][oh][ow];
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double largest = Double.NEGATIVE_INFINITY;
                        double sum = 0;
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int row = i * strideH + u - padH;
                                int col = j * strideW + v - padW;
                                if (row >= 0 && row < h && col >= 0 && col < wd) {
                                    largest = Math.max(largest, x[img][ch][row][col]);
                                    sum += x[img][ch][row][col];
                                }
                            }
                        }
                        y[img][ch][i][j] = max ? largest : sum / (kh * kw);
                    }
                }
            }
        }
        return y;
    }
}
