package lenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import lenet.SettingException;
import lenet.data.Dataset;
import lenet.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The training distortions: what they do to an image, and how runs keep them. */
class DistortionTest {
    /** Two 28x28 images: a thick "7"-like stroke and a ring. */
    private static Dataset images() {
        byte[] px = new byte[2 * 784];
        for (int x = 7; x < 21; x++) for (int y = 6; y < 9; y++) px[y * 28 + x] = (byte) 255;
        for (int y = 9; y < 23; y++) for (int x = 17 - (y - 9) / 2; x < 20 - (y - 9) / 2; x++) px[y * 28 + x] = (byte) 200;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double r = Math.hypot(x + 0.5 - 14, y + 0.5 - 14);
                if (r > 5 && r < 8) px[784 + y * 28 + x] = (byte) 255;
            }
        }
        return new Dataset(px, new byte[] {7, 0}, 2, 28, 28);
    }

    private static double[] massAndCentre(float[] v, int at) {
        double m = 0, cx = 0, cy = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float p = v[at + y * 28 + x];
                m += p;
                cx += p * x;
                cy += p * y;
            }
        }
        return new double[] {m, cx / m, cy / m};
    }

    @Test
    void noneLeavesTheImagesAsTheyAreAndShiftsThemWhole() {
        Dataset d = images();
        Batcher b = new Batcher(d);
        int[] order = {0, 1};
        float[] none = b.images(order, 0, 2, 0, Distortion.NONE, new Random(5)).clone();
        for (int i = 0; i < none.length; i++) assertEquals((d.pixels()[i] & 255) / 255f, none[i], "pixel " + i);
        // With shifts the ink moves by whole pixels: each image's ink is all there or cut at the border, never resampled.
        float[] shifted = b.images(order, 0, 2, 2, Distortion.NONE, new Random(5)).clone();
        java.util.Set<Float> levels = new java.util.HashSet<>();
        for (float v : shifted) levels.add(v);
        assertTrue(levels.stream().allMatch(v -> v == 0f || v == 200 / 255f || v == 1f), "only the images' own grey levels: " + levels);
    }

    @ParameterizedTest
    @EnumSource(value = Distortion.class, names = {"AFFINE", "ELASTIC", "BOTH"})
    void aDistortionMovesInkAroundButKeepsTheDigit(Distortion d) {
        Batcher b = new Batcher(images());
        int[] order = {0, 1};
        float[] plain = b.images(order, 0, 2, 0, null).clone();
        for (int seed = 0; seed < 50; seed++) {
            float[] once = b.images(order, 0, 2, 0, d, new Random(seed)).clone();
            float[] again = b.images(order, 0, 2, 0, d, new Random(seed)).clone();
            assertArrayEquals(once, again, "the same numbers give the same image");
            assertFalse(Arrays.equals(plain, once), d + " changed nothing (seed " + seed + ")");
            for (int image = 0; image < 2; image++) {
                double[] before = massAndCentre(plain, image * 784), after = massAndCentre(once, image * 784);
                // Scaling by up to 12% changes the ink by up to 25%; bilinear sampling blurs a little.
                assertEquals(before[0], after[0], 0.35 * before[0], "ink mass, seed " + seed);
                assertEquals(before[1], after[1], 3.0, "centre x, seed " + seed);
                assertEquals(before[2], after[2], 3.0, "centre y, seed " + seed);
                for (int i = 0; i < 784; i++) assertTrue(once[image * 784 + i] >= 0 && once[image * 784 + i] <= 1);
            }
        }
    }

    @Test
    void aRunSavedBeforeDistortionsReadsAsNoneAndKeepsItsOwnOnResume() throws Exception {
        TrainConfig c = TrainSettings.none().resolve(60000, Path.of("data/mnist")).config();
        assertEquals(Distortion.NONE, c.distortion());
        String json = Json.MAPPER.writeValueAsString(c);
        assertTrue(json.contains("\"distortion\":\"none\""), json);
        TrainConfig old = Json.MAPPER.readValue(json.replace(",\"distortion\":\"none\"", ""), TrainConfig.class);
        assertEquals(Distortion.NONE, old.distortion());
        TrainConfig both = Json.MAPPER.readValue(json.replace("\"distortion\":\"none\"", "\"distortion\":\"both\""), TrainConfig.class);
        assertEquals(Distortion.BOTH, both.distortion());
        TrainSettings given = new TrainSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                Distortion.AFFINE, null, null, null);
        SettingException e = assertThrows(SettingException.class, () -> given.refuseContradictions(c, Path.of("runs/x/last.npz")));
        assertTrue(e.getMessage().contains("{distort} affine contradicts"), e.getMessage());
    }

    @Test
    void thePenClosesANarrowGapAndKeepsAStrokesWidth() {
        // A "6"-like gap: two upright strokes 2 px apart, and one stroke alone.
        float[] v = new float[784];
        for (int y = 6; y < 22; y++) {
            for (int x = 8; x < 10; x++) v[y * 28 + x] = 1;  // left stroke
            for (int x = 12; x < 14; x++) v[y * 28 + x] = 1; // right stroke, a 2 px gap between
            v[y * 28 + 21] = 1;                              // a lone thin stroke far right
        }
        Distortion.close(v, 0, 28, 1.5);
        for (int y = 8; y < 20; y++) {
            assertEquals(1f, v[y * 28 + 10], "the gap closed at row " + y);
            assertEquals(1f, v[y * 28 + 11], "the gap closed at row " + y);
            assertEquals(1f, v[y * 28 + 21], "the lone stroke is kept");
            assertEquals(0f, v[y * 28 + 20], "the lone stroke is no wider");
            assertEquals(0f, v[y * 28 + 22], "the lone stroke is no wider");
            assertEquals(0f, v[y * 28 + 16], "paper between stays paper");
        }
        assertEquals(Distortion.PEN, Distortion.parse("pen"));
        // In training, half the images are closed: with a fixed seed, the same ones.
        Batcher b = new Batcher(images());
        float[] once = b.images(new int[] {0, 1}, 0, 2, 0, Distortion.PEN, new Random(3)).clone();
        assertArrayEquals(once, b.images(new int[] {0, 1}, 0, 2, 0, Distortion.PEN, new Random(3)));
    }
}
