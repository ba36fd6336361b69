package lenet.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import lenet.data.Dataset;

/**
 * Makes the stand-in real-world test sets in {@code src/test/resources/realworld/}, deterministically
 * (fixed seeds), from MNIST's test digits and the fonts Java finds (DejaVu on Debian):
 *
 * <ul>
 *   <li>{@code multi/}: 120 lines of 2-5 digits (30 of each length), half MNIST handwriting and half
 *       fonts, as a clean page, a photo of paper on a table under uneven light, white on black, and
 *       with a hard shadow; one in eight written with the digits touching.
 *   <li>{@code photos/}: 120 single digits photographed the ways issue 13 lists: paper on a dark
 *       wooden table, a hard diagonal shadow, a white digit on a screen with a glare spot, circled,
 *       underlined (apart and touching), faint pencil, a thick marker, bold fonts, an ink blot
 *       beside the digit, a blue ballpoint; half MNIST, half fonts.
 *   <li>{@code nondigits/}: 48 pictures that hold no digit: letters in the fonts (on paper and in
 *       photos), scribbles, and blank paper with shadows. Every one should be answered {@code
 *       unsure} or "no digit".
 * </ul>
 *
 * The truth is the last part of each file name ({@code 017-table-731.jpg} holds 731; "none" for no
 * digit). MNIST test digits are used from index 5000 on. Make them again with
 *
 * <pre>
 *   scripts/fetch-data.sh mnist
 *   mvn -q -DskipTests test-compile
 *   java -Djava.awt.headless=true -cp "target/classes:target/test-classes:target/lib/*" lenet.image.RealWorldSets
 * </pre>
 */
public final class RealWorldSets {
    static final Path ROOT = Path.of("src/test/resources/realworld");

    private static final String[] FONTS = {"DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "DejaVu Sans Condensed", "DejaVu Serif Condensed", "DejaVu Sans Light"};

    /**
     * Fonts of the held-apart sets, none of them used by the tuning sets (Debian's fonts-liberation
     * and fonts-urw-base35, which the generator checks for).
     */
    private static final String[] HELD_APART_FONTS = {"Liberation Sans", "Liberation Serif", "Liberation Mono", "Liberation Sans Narrow",
        "Nimbus Sans Narrow", "URW Gothic", "URW Bookman", "C059", "P052", "Nimbus Mono PS"};

    private final Dataset mnist;
    private final Random rng;
    private final String[] fonts;
    /** MNIST test digits are drawn from [mnistFrom, mnistFrom + 5000). */
    private final int mnistFrom;

    private RealWorldSets(Dataset mnist, long seed) {
        this(mnist, seed, FONTS, 5000);
    }

    private RealWorldSets(Dataset mnist, long seed, String[] fonts, int mnistFrom) {
        this.mnist = mnist;
        this.rng = new Random(seed);
        this.fonts = fonts;
        this.mnistFrom = mnistFrom;
    }

    public static void main(String[] args) throws IOException {
        Dataset test = Dataset.loadSplit(Path.of("data/mnist"), "test");
        java.util.Set<String> installed = java.util.Set.of(java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
        for (String f : Stream.concat(Stream.of(FONTS), Stream.of(HELD_APART_FONTS)).toList()) {
            if (!installed.contains(f)) throw new IllegalStateException("font " + f + " is not installed (Debian: fonts-dejavu, fonts-liberation, fonts-urw-base35)");
        }
        List<String> wanted = args.length > 0 ? List.of(args) : List.of("multi", "photos", "nondigits", "touching", "lookalikes", "heldout/multi",
                "heldout/photos", "heldout/nondigits", "singles/fonts", "singles/handwriting", "singles/thin-pen",
                "heldout/singles/fonts", "heldout/singles/handwriting", "heldout/singles/thin-pen");
        for (String set : wanted) {
            Path dir = ROOT.resolve(set);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path f : old.toList()) Files.delete(f);
                }
            }
            Files.createDirectories(dir);
        }
        if (wanted.contains("multi")) new RealWorldSets(test, 131).multi(ROOT.resolve("multi"));
        if (wanted.contains("photos")) new RealWorldSets(test, 137).photos(ROOT.resolve("photos"));
        if (wanted.contains("nondigits")) new RealWorldSets(test, 139).nondigits(ROOT.resolve("nondigits"));
        // Harder tuning sets, added in the second round: touching digits in every scene, and
        // letters and symbols that look like digits.
        if (wanted.contains("touching")) new RealWorldSets(test, 149).touching(ROOT.resolve("touching"));
        if (wanted.contains("lookalikes")) new RealWorldSets(test, 151).lookalikes(ROOT.resolve("lookalikes"));
        // Held apart: other seeds, other fonts, MNIST digits 0-4999, and scenes the tuning sets do
        // not have (dim light, a sticky note, ruled paper, out of focus). Never tuned on.
        if (wanted.contains("heldout/multi")) new RealWorldSets(test, 1009, HELD_APART_FONTS, 0).heldOutMulti(ROOT.resolve("heldout/multi"));
        if (wanted.contains("heldout/photos")) new RealWorldSets(test, 1013, HELD_APART_FONTS, 0).heldOutPhotos(ROOT.resolve("heldout/photos"));
        if (wanted.contains("heldout/nondigits")) new RealWorldSets(test, 1019, HELD_APART_FONTS, 0).heldOutNondigits(ROOT.resolve("heldout/nondigits"));
        // Third round: one digit a picture, to measure single digits as the issue's held-out
        // handwriting and font sets do: every font installed in four styles and three pen widths
        // (the wide pen is where the first round's fonts failed), and MNIST test digits 0-4999
        // written thicker and narrower.
        if (wanted.contains("singles/fonts")) new RealWorldSets(test, 1031, HELD_APART_FONTS, 0).singleFonts(ROOT.resolve("singles/fonts"));
        if (wanted.contains("singles/handwriting")) new RealWorldSets(test, 1033, HELD_APART_FONTS, 0).singleHandwriting(ROOT.resolve("singles/handwriting"));
        // Fourth round: MNIST test digits 0-4999 redrawn with a ballpoint's thin line, as a phone
        // photographs a digit written on paper (MNIST's own strokes are about an eighth of the height).
        if (wanted.contains("singles/thin-pen")) new RealWorldSets(test, 1039, HELD_APART_FONTS, 0).singleThinPen(ROOT.resolve("singles/thin-pen"));
        // Fifth round: the three single-digit sets drawn again with other seeds, after the round's
        // changes were made, and only scored: the sets above had been looked at while tuning (a
        // fresh draw of singles/fonts read 90%, where the committed one read 95%).
        if (wanted.contains("heldout/singles/fonts")) new RealWorldSets(test, 2031, HELD_APART_FONTS, 0).singleFonts(ROOT.resolve("heldout/singles/fonts"));
        if (wanted.contains("heldout/singles/handwriting")) new RealWorldSets(test, 2033, HELD_APART_FONTS, 0).singleHandwriting(ROOT.resolve("heldout/singles/handwriting"));
        if (wanted.contains("heldout/singles/thin-pen")) new RealWorldSets(test, 2039, HELD_APART_FONTS, 0).singleThinPen(ROOT.resolve("heldout/singles/thin-pen"));
    }

    /** Every family Debian's fonts-dejavu, fonts-liberation and fonts-urw-base35 give, including the script Z003. */
    private static final String[] ALL_FONTS = {"DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "DejaVu Sans Condensed", "DejaVu Serif Condensed",
        "DejaVu Sans Light", "Liberation Sans", "Liberation Serif", "Liberation Mono", "Liberation Sans Narrow", "Nimbus Sans", "Nimbus Roman",
        "Nimbus Sans Narrow", "Nimbus Mono PS", "URW Gothic", "URW Bookman", "C059", "P052", "Z003"};

    /**
     * 200 single digits in fonts, 20 of each: a random family of {@link #ALL_FONTS}, plain, bold,
     * italic or bold italic, and a pen of none, a thin one (2-4% of the height) or a wide one
     * (6-12%) around the outline; on a clean page (PNG), a table or white on black.
     */
    private void singleFonts(Path dir) throws IOException {
        String[] scenes = {"page", "page", "table", "white-on-black"};
        String[] pens = {"plain", "thin-pen", "wide-pen"};
        String[] styles = {"regular", "bold", "italic", "bold-italic"};
        for (int i = 0; i < 200; i++) {
            int digit = i % 10;
            String font = ALL_FONTS[rng.nextInt(ALL_FONTS.length)];
            int style = rng.nextInt(4);
            String pen = pens[(i / 10) % 3];
            int height = 40 + rng.nextInt(80);
            double extra = switch (pen) {
                case "thin-pen" -> height * (0.02 + 0.02 * rng.nextDouble());
                case "wide-pen" -> height * (0.06 + 0.06 * rng.nextDouble());
                default -> 0;
            };
            GreyImage glyph = fontGlyph(Character.forDigit(digit, 10), font, style, height, extra);
            String scene = scenes[rng.nextInt(scenes.length)];
            BufferedImage img = scene(scene, glyph.padded(2), height);
            String name = String.format("%03d-%s-%s-%s-%s-%d", i, scene, font.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'), styles[style], pen, digit);
            write(img, dir, name, !scene.equals("page"));
        }
    }

    /**
     * 200 MNIST test digits (from 0-4999), 20 of each: as written, with a pen 3-6% of the height
     * thicker, or scaled 70-85% wide (narrow writing); on a clean page, a table, in pencil or in blue pen.
     */
    private void singleHandwriting(Path dir) throws IOException {
        String[] scenes = {"page", "table", "pencil", "blue-pen"};
        String[] kinds = {"as-written", "thick-pen", "narrow"};
        for (int i = 0; i < 200; i++) {
            int digit = i % 10;
            int height = 50 + rng.nextInt(80);
            String kind = kinds[(i / 10) % 3];
            GreyImage glyph = mnistGlyph(digit, height);
            if (kind.equals("thick-pen")) glyph = thicker(glyph, height * (0.03 + 0.03 * rng.nextDouble()));
            if (kind.equals("narrow")) {
                glyph = Resample.areaAverage(glyph, Math.max(4, (int) Math.round(glyph.width() * (0.7 + 0.15 * rng.nextDouble()))), glyph.height());
            }
            String scene = scenes[rng.nextInt(scenes.length)];
            BufferedImage img = scene(scene, glyph.padded(2), height);
            write(img, dir, String.format("%03d-%s-%s-%d", i, scene, kind, digit), !scene.equals("page"));
        }
    }

    /**
     * 200 single MNIST test digits (0-4999), 20 of each, redrawn with a thin pen: the glyph's
     * skeleton drawn 2-5% of the height wide, on a page, a table, in pencil or in blue pen.
     */
    private void singleThinPen(Path dir) throws IOException {
        String[] scenes = {"page", "table", "pencil", "blue-pen"};
        for (int i = 0; i < 200; i++) {
            int digit = i % 10;
            int height = 60 + rng.nextInt(80);
            GreyImage glyph = mnistGlyph(digit, height);
            float[] solid = new float[glyph.v().length];
            for (int k = 0; k < solid.length; k++) solid[k] = glyph.v()[k] >= 0.5f ? 1 : 0;
            GreyImage skeleton = Thinning.skeleton(new GreyImage(glyph.width(), glyph.height(), solid));
            GreyImage thin = thicker(skeleton, height * (0.01 + 0.015 * rng.nextDouble()));
            String scene = scenes[rng.nextInt(scenes.length)];
            BufferedImage img = scene(scene, thin.padded(2), height);
            write(img, dir, String.format("%03d-%s-%d", i, scene, digit), !scene.equals("page"));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The three sets.

    private void multi(Path dir) throws IOException {
        String[] scenes = {"page", "table", "white-on-black", "shadow"};
        for (int i = 0; i < 120; i++) {
            int length = 2 + i % 4;
            boolean handwriting = i % 2 == 0;
            boolean touching = i % 8 == 5;
            StringBuilder truth = new StringBuilder();
            List<GreyImage> glyphs = new ArrayList<>();
            int height = 40 + rng.nextInt(50);
            String font = fonts[rng.nextInt(fonts.length)];
            boolean bold = rng.nextInt(3) == 0;
            for (int k = 0; k < length; k++) {
                int digit = rng.nextInt(10);
                truth.append(digit);
                glyphs.add(handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), font, bold, height, 0));
            }
            GreyImage line = line(glyphs, touching ? -0.06 : 0.1 + 0.25 * rng.nextDouble(), height);
            String scene = scenes[(i / 2) % scenes.length];
            BufferedImage img = scene(scene, line, height);
            write(img, dir, String.format("%03d-%s%s-%s", i, scene, touching ? "-touching" : "", truth), !scene.equals("page"));
        }
    }

    private void photos(Path dir) throws IOException {
        String[] scenes = {"table", "shadow", "glare", "circled", "underlined", "underline-touching", "pencil", "marker", "bold-font", "blot", "blue-pen", "table-sideways"};
        for (int i = 0; i < 120; i++) {
            String scene = scenes[i % scenes.length];
            int digit = rng.nextInt(10);
            boolean handwriting = (i / scenes.length) % 2 == 0;
            int height = 70 + rng.nextInt(60);
            GreyImage glyph;
            if (scene.equals("bold-font")) {
                glyph = fontGlyph(Character.forDigit(digit, 10), fonts[rng.nextInt(3)], true, height, height * (0.04 + 0.05 * rng.nextDouble()));
            } else if (scene.equals("marker")) {
                GreyImage g = handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), fonts[rng.nextInt(fonts.length)], false, height, 0);
                glyph = thicker(g, height * (0.05 + 0.04 * rng.nextDouble()));
            } else {
                glyph = handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), fonts[rng.nextInt(fonts.length)], rng.nextBoolean(), height, 0);
            }
            BufferedImage img = scene(scene, glyph.padded(2), height);
            write(img, dir, String.format("%03d-%s-%d", i, scene, digit), true);
        }
    }

    private void nondigits(Path dir) throws IOException {
        String letters = "AxBKMWehgkmrsvwyQRZNFHPTUu";
        String[] scenes = {"page", "table", "shadow", "white-on-black"};
        int n = 0;
        for (int i = 0; i < letters.length(); i++) {
            int height = 70 + rng.nextInt(50);
            GreyImage glyph = fontGlyph(letters.charAt(i), fonts[rng.nextInt(fonts.length)], rng.nextBoolean(), height, 0);
            String scene = scenes[i % scenes.length];
            write(scene(scene, glyph.padded(2), height), dir, String.format("%03d-letter-%s-%s-none", n++, scene, Character.isUpperCase(letters.charAt(i)) ? "upper" + letters.charAt(i) : "lower" + letters.charAt(i)), true);
        }
        for (int i = 0; i < 16; i++) {
            int height = 80 + rng.nextInt(40);
            GreyImage scribble = scribble(height);
            String scene = scenes[i % scenes.length];
            write(scene(scene, scribble, height), dir, String.format("%03d-scribble-%s-none", n++, scene), true);
        }
        for (int i = 0; i < 6; i++) {
            GreyImage nothing = GreyImage.zeros(100, 100);
            String scene = i % 2 == 0 ? "shadow" : "table";
            write(scene(scene, nothing, 100), dir, String.format("%03d-blank-%s-none", n++, scene), true);
        }
    }

    /**
     * 64 lines of 2-5 digits in which neighbours touch: each pair of handwritten (MNIST) digits is
     * pushed together until their ink meets, then by up to 6% of the height further (strokes cross);
     * font digits by up to 3% (a stroke's edge runs into the next digit). Half handwriting, half fonts; a page, a table,
     * white on black, a shadow. One pair in five is left apart, as people write.
     */
    private void touching(Path dir) throws IOException {
        String[] scenes = {"page", "table", "white-on-black", "shadow"};
        for (int i = 0; i < 64; i++) {
            int length = 2 + i % 4;
            boolean handwriting = i % 2 == 0;
            int height = 40 + rng.nextInt(50);
            String font = fonts[rng.nextInt(fonts.length)];
            boolean bold = rng.nextInt(3) == 0;
            StringBuilder truth = new StringBuilder();
            List<GreyImage> glyphs = new ArrayList<>();
            for (int k = 0; k < length; k++) {
                int digit = rng.nextInt(10);
                truth.append(digit);
                glyphs.add(handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), font, bold, height, 0));
            }
            GreyImage line = touchingLine(glyphs, height, 0.8, handwriting ? 0.06 : 0.03);
            String scene = scenes[(i / 2) % scenes.length];
            write(scene(scene, line, height), dir, String.format("%03d-%s-%s-%s", i, scene, handwriting ? "hand" : "font", truth), !scene.equals("page"));
        }
    }

    /** Letters and signs that a digit reader could take for digits, and symbols drawn by hand. */
    private void lookalikes(Path dir) throws IOException {
        String letters = "BSsZzgqbGTAaeyJLDPREFHKMNVWXYhkmnrtuvwx&$%#@?+";
        String[] scenes = {"page", "table", "shadow", "white-on-black"};
        int n = 0;
        for (int i = 0; i < letters.length(); i++) {
            int height = 60 + rng.nextInt(60);
            char c = letters.charAt(i);
            GreyImage glyph = fontGlyph(c, fonts[rng.nextInt(fonts.length)], rng.nextBoolean(), height, 0);
            String scene = scenes[i % scenes.length];
            write(scene(scene, glyph.padded(2), height), dir, String.format("%03d-letter-%s-%s-none", n++, scene, charName(c)), true);
        }
        String[] symbols = {"star", "check", "arrow", "cross", "triangle", "square", "spiral", "zigzag", "wave", "heart", "plus", "hash", "smile"};
        for (int i = 0; i < symbols.length; i++) {
            int height = 60 + rng.nextInt(60);
            String scene = scenes[i % scenes.length];
            write(scene(scene, symbol(symbols[i], height), height), dir, String.format("%03d-symbol-%s-%s-none", n++, scene, symbols[i]), true);
        }
    }

    /**
     * Held apart, like {@code multi/}: 120 lines of 2-5 digits, half MNIST digits 0-4999, half the
     * held-apart fonts, in eight scenes (four of them new); a quarter of the lines touching.
     */
    private void heldOutMulti(Path dir) throws IOException {
        String[] scenes = {"page", "table", "white-on-black", "shadow", "dim", "sticky", "lined", "blur"};
        for (int i = 0; i < 120; i++) {
            int length = 2 + i % 4;
            boolean handwriting = i % 2 == 0;
            boolean touching = i % 4 == 3;
            int height = 40 + rng.nextInt(50);
            String font = fonts[rng.nextInt(fonts.length)];
            boolean bold = rng.nextInt(3) == 0;
            StringBuilder truth = new StringBuilder();
            List<GreyImage> glyphs = new ArrayList<>();
            for (int k = 0; k < length; k++) {
                int digit = rng.nextInt(10);
                truth.append(digit);
                glyphs.add(handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), font, bold, height, 0));
            }
            GreyImage line = touching ? touchingLine(glyphs, height, 0.7, handwriting ? 0.06 : 0.08) : line(glyphs, 0.08 + 0.27 * rng.nextDouble(), height);
            String scene = scenes[(i / 2) % scenes.length];
            write(scene(scene, line, height), dir, String.format("%03d-%s%s-%s", i, scene, touching ? "-touching" : "", truth), !scene.equals("page"));
        }
    }

    /** Held apart, like {@code photos/}: 128 single digits, the photos' twelve scenes and four new ones. */
    private void heldOutPhotos(Path dir) throws IOException {
        String[] scenes = {"table", "shadow", "glare", "circled", "underlined", "underline-touching", "pencil", "marker", "bold-font", "blot",
            "blue-pen", "table-sideways", "dim", "sticky", "lined", "blur"};
        for (int i = 0; i < 128; i++) {
            String scene = scenes[i % scenes.length];
            int digit = rng.nextInt(10);
            boolean handwriting = (i / scenes.length) % 2 == 0;
            int height = 70 + rng.nextInt(60);
            GreyImage glyph;
            if (scene.equals("bold-font")) {
                glyph = fontGlyph(Character.forDigit(digit, 10), fonts[rng.nextInt(fonts.length)], true, height, height * (0.03 + 0.05 * rng.nextDouble()));
            } else if (scene.equals("marker")) {
                GreyImage g = handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), fonts[rng.nextInt(fonts.length)], false, height, 0);
                glyph = thicker(g, height * (0.05 + 0.04 * rng.nextDouble()));
            } else {
                glyph = handwriting ? mnistGlyph(digit, height) : fontGlyph(Character.forDigit(digit, 10), fonts[rng.nextInt(fonts.length)], rng.nextBoolean(), height, 0);
            }
            write(scene(scene, glyph.padded(2), height), dir, String.format("%03d-%s-%d", i, scene, digit), true);
        }
    }

    /** Held apart, like {@code nondigits/} and {@code lookalikes/}: letters in the held-apart fonts, symbols, scribbles, blank paper. */
    private void heldOutNondigits(Path dir) throws IOException {
        String letters = "AaBbDdEeFfGgHhJKkLMmNnPpQqRrSsTtUuVvWwXxYyZz";
        String[] scenes = {"page", "table", "shadow", "white-on-black", "dim", "sticky"};
        int n = 0;
        for (int i = 0; i < letters.length(); i++) {
            int height = 60 + rng.nextInt(60);
            char c = letters.charAt(i);
            GreyImage glyph = fontGlyph(c, fonts[rng.nextInt(fonts.length)], rng.nextBoolean(), height, 0);
            String scene = scenes[i % scenes.length];
            write(scene(scene, glyph.padded(2), height), dir, String.format("%03d-letter-%s-%s-none", n++, scene, charName(c)), true);
        }
        String[] symbols = {"star", "check", "arrow", "cross", "triangle", "square", "spiral", "zigzag", "wave", "heart", "plus", "hash", "smile"};
        for (int i = 0; i < symbols.length; i++) {
            int height = 60 + rng.nextInt(60);
            String scene = scenes[(i + 1) % scenes.length];
            write(scene(scene, symbol(symbols[i], height), height), dir, String.format("%03d-symbol-%s-%s-none", n++, scene, symbols[i]), true);
        }
        for (int i = 0; i < 10; i++) {
            int height = 70 + rng.nextInt(50);
            String scene = scenes[(i + 2) % scenes.length];
            write(scene(scene, scribble(height), height), dir, String.format("%03d-scribble-%s-none", n++, scene), true);
        }
        String[] blank = {"shadow", "table", "dim", "lined", "sticky", "blur"};
        for (String scene : blank) write(scene(scene, GreyImage.zeros(100, 100), 100), dir, String.format("%03d-blank-%s-none", n++, scene), true);
    }

    /** "upperB", "lowerg", or the sign's name. */
    private static String charName(char c) {
        if (Character.isUpperCase(c)) return "upper" + c;
        if (Character.isLowerCase(c)) return "lower" + c;
        return switch (c) {
            case '&' -> "ampersand";
            case '$' -> "dollar";
            case '%' -> "percent";
            case '#' -> "hash";
            case '@' -> "at";
            case '?' -> "question";
            case '+' -> "plus";
            default -> "sign" + (int) c;
        };
    }

    /**
     * A symbol drawn by hand: a polyline's corners jittered by 4% of the height (a curve's points by 1%, plus a smooth wobble), a pen of MNIST-like
     * width (9% of the height), round caps. {@code height} px tall plus the pen.
     */
    GreyImage symbol(String kind, int height) {
        double s = height;
        List<double[][]> strokes = new ArrayList<>();
        switch (kind) {
            case "star" -> {
                double[][] p = new double[6][];
                for (int k = 0; k < 6; k++) {
                    double a = -Math.PI / 2 + k * 4 * Math.PI / 5;
                    p[k] = new double[] {0.5 + 0.5 * Math.cos(a), 0.5 + 0.5 * Math.sin(a)};
                }
                strokes.add(p);
            }
            case "check" -> strokes.add(new double[][] {{0, 0.55}, {0.3, 1}, {0.85, 0}});
            case "arrow" -> {
                strokes.add(new double[][] {{0, 0.5}, {1.2, 0.5}});
                strokes.add(new double[][] {{0.8, 0.15}, {1.2, 0.5}, {0.8, 0.85}});
            }
            case "cross" -> {
                strokes.add(new double[][] {{0, 0}, {0.9, 1}});
                strokes.add(new double[][] {{0.9, 0}, {0, 1}});
            }
            case "triangle" -> strokes.add(new double[][] {{0.5, 0}, {1, 1}, {0, 1}, {0.5, 0}});
            case "square" -> strokes.add(new double[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}});
            case "spiral" -> {
                double[][] p = new double[40][];
                for (int k = 0; k < 40; k++) {
                    double a = k * 0.45, r = 0.04 + 0.46 * k / 39.0;
                    p[k] = new double[] {0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a)};
                }
                strokes.add(p);
            }
            case "zigzag" -> strokes.add(new double[][] {{0, 0.2}, {0.25, 0.8}, {0.5, 0.2}, {0.75, 0.8}, {1, 0.2}, {1.25, 0.8}});
            case "wave" -> {
                double[][] p = new double[30][];
                for (int k = 0; k < 30; k++) p[k] = new double[] {1.4 * k / 29.0, 0.5 + 0.4 * Math.sin(k / 29.0 * 3 * Math.PI)};
                strokes.add(p);
            }
            case "heart" -> {
                double[][] p = new double[40][];
                for (int k = 0; k < 40; k++) {
                    double t = 2 * Math.PI * k / 39.0;
                    double x = 16 * Math.pow(Math.sin(t), 3), y = 13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t);
                    p[k] = new double[] {0.5 + x / 34, 0.45 - y / 34};
                }
                strokes.add(p);
            }
            case "plus" -> {
                strokes.add(new double[][] {{0.5, 0}, {0.5, 1}});
                strokes.add(new double[][] {{0, 0.5}, {1, 0.5}});
            }
            case "hash" -> {
                strokes.add(new double[][] {{0.35, 0}, {0.25, 1}});
                strokes.add(new double[][] {{0.75, 0}, {0.65, 1}});
                strokes.add(new double[][] {{0, 0.33}, {1, 0.33}});
                strokes.add(new double[][] {{0, 0.67}, {1, 0.67}});
            }
            case "smile" -> {
                double[][] face = new double[40][];
                for (int k = 0; k < 40; k++) face[k] = new double[] {0.5 + 0.5 * Math.cos(2 * Math.PI * k / 39.0), 0.5 + 0.5 * Math.sin(2 * Math.PI * k / 39.0)};
                strokes.add(face);
                strokes.add(new double[][] {{0.33, 0.35}, {0.34, 0.37}});
                strokes.add(new double[][] {{0.66, 0.35}, {0.67, 0.37}});
                double[][] mouth = new double[12][];
                for (int k = 0; k < 12; k++) mouth[k] = new double[] {0.5 + 0.25 * Math.cos(Math.PI * (0.15 + 0.7 * k / 11.0)), 0.55 + 0.2 * Math.sin(Math.PI * (0.15 + 0.7 * k / 11.0))};
                strokes.add(mouth);
            }
            default -> throw new IllegalArgumentException(kind);
        }
        int pad = (int) Math.ceil(0.1 * s) + 4;
        BufferedImage img = new BufferedImage((int) (1.4 * s) + 2 * pad, (int) s + 2 * pad, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) (0.09 * s), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double[][] stroke : strokes) {
            java.awt.geom.Path2D.Double path = new java.awt.geom.Path2D.Double();
            // Corners of a polyline move independently; a curve's points move together (a smooth wobble).
            double jitter = stroke.length < 10 ? 0.04 : 0.01, dx = 0.03 * rng.nextGaussian(), dy = 0.03 * rng.nextGaussian(), phase = 6 * rng.nextDouble();
            for (int k = 0; k < stroke.length; k++) {
                double wobble = stroke.length < 10 ? 0 : Math.sin(phase + 4.0 * k / stroke.length);
                double x = pad + s * (stroke[k][0] + jitter * rng.nextGaussian() + dx * wobble), y = pad + s * (stroke[k][1] + jitter * rng.nextGaussian() + dy * wobble);
                if (k == 0) path.moveTo(x, y);
                else path.lineTo(x, y);
            }
            g.draw(path);
        }
        g.dispose();
        return cropAbove(Luma.brightness(img), 0.05f).padded(2);
    }

    /**
     * Glyphs side by side, each pair touching with probability {@code pTouch}: the next glyph is
     * pushed left from just beside the line until its ink (over half strength) meets the line's,
     * then by up to {@code extra} times the height further; the other pairs get a gap of 5-20% of
     * the height. A little vertical jitter, as in {@link #line}.
     */
    GreyImage touchingLine(List<GreyImage> glyphs, int height, double pTouch, double extra) {
        int jitter = Math.max(1, height / 12);
        int widest = 0;
        for (GreyImage g : glyphs) widest += g.width() + height / 4;
        GreyImage out = GreyImage.zeros(widest + 4, height + 3 * jitter);
        int right = 2; // one past the rightmost column holding ink
        for (int k = 0; k < glyphs.size(); k++) {
            GreyImage gl = glyphs.get(k);
            int oy = jitter + rng.nextInt(jitter + 1) - jitter / 2;
            int ox;
            if (k == 0) {
                ox = 2;
            } else if (rng.nextDouble() < pTouch) {
                ox = right;
                while (ox > right - gl.width() / 2 && !meets(out, gl, ox, oy)) ox--;
                ox -= (int) Math.round(extra * height * rng.nextDouble());
            } else {
                ox = right + (int) Math.round(height * (0.05 + 0.15 * rng.nextDouble()));
            }
            for (int y = 0; y < gl.height(); y++) {
                for (int x = 0; x < gl.width(); x++) {
                    int px = ox + x, py = oy + y;
                    if (px >= 0 && px < out.width() && py < out.height()) out.set(px, py, Math.max(out.get(px, py), gl.get(x, y)));
                }
            }
            right = Math.max(right, ox + gl.width());
        }
        return out.crop(0, 0, Math.min(out.width(), right + 2), out.height());
    }

    /** True when glyph {@code gl} placed at (ox, oy) has ink over half strength on or beside (8-neighbours) ink of {@code out}. */
    private static boolean meets(GreyImage out, GreyImage gl, int ox, int oy) {
        for (int y = 0; y < gl.height(); y++) {
            for (int x = 0; x < gl.width(); x++) {
                if (gl.get(x, y) < 0.5f) continue;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int px = ox + x + dx, py = oy + y + dy;
                        if (px >= 0 && py >= 0 && px < out.width() && py < out.height() && out.get(px, py) >= 0.5f) return true;
                    }
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // Ink: glyphs and lines (values 0 paper to 1 ink).

    /** A random MNIST test digit of the given label (from index 5000, or 0 for the held-apart sets), cropped to its ink and scaled so it is {@code height} px tall. */
    GreyImage mnistGlyph(int label, int height) {
        int i;
        do i = mnistFrom + rng.nextInt(5000); while (mnist.label(i) != label);
        float[] v = new float[784];
        for (int k = 0; k < 784; k++) v[k] = (mnist.pixels()[i * 784 + k] & 0xFF) / 255f;
        GreyImage big = Resample.bilinear(new GreyImage(28, 28, v), 28 * 8, 28 * 8);
        GreyImage crop = cropAbove(big, 0.05f);
        int w = Math.max(1, (int) Math.round(crop.width() * (double) height / crop.height()));
        return Resample.areaAverage(crop, w, height);
    }

    /** A character in a font, filled (and its outline stroked {@code extra} px wide when above 0), {@code height} px tall. */
    static GreyImage fontGlyph(char c, String font, boolean bold, int height, double extra) {
        return fontGlyph(c, font, bold ? Font.BOLD : Font.PLAIN, height, extra);
    }

    /** As {@link #fontGlyph(char, String, boolean, int, double)} in a {@link Font} style (PLAIN, BOLD, ITALIC or both). */
    static GreyImage fontGlyph(char c, String font, int style, int height, double extra) {
        int size = 200;
        BufferedImage img = new BufferedImage(3 * size, 3 * size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        FontRenderContext frc = g.getFontRenderContext();
        Shape outline = new TextLayout(String.valueOf(c), new Font(font, style, size), frc)
                .getOutline(AffineTransform.getTranslateInstance(size, 2 * size));
        g.setColor(Color.WHITE);
        g.fill(outline);
        if (extra > 0) {
            // extra is in output pixels; the drawing is size/height times larger
            g.setStroke(new BasicStroke((float) (2 * extra * outline.getBounds2D().getHeight() / height), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(outline);
        }
        g.dispose();
        GreyImage grey = Luma.brightness(img);
        GreyImage crop = cropAbove(grey, 0.05f);
        int w = Math.max(1, (int) Math.round(crop.width() * (double) height / crop.height()));
        return Resample.areaAverage(crop, w, height);
    }

    /** Random smooth strokes, {@code height} px tall: two to four cubic curves with a pen of MNIST-like width. */
    GreyImage scribble(int height) {
        int w = (int) (height * (0.6 + 0.8 * rng.nextDouble()));
        BufferedImage img = new BufferedImage(w + 20, height + 20, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(height * 0.09f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int curves = 2 + rng.nextInt(3);
        double x = 10 + rng.nextDouble() * w, y = 10 + rng.nextDouble() * height;
        for (int k = 0; k < curves; k++) {
            double x2 = 10 + rng.nextDouble() * w, y2 = 10 + rng.nextDouble() * height;
            g.draw(new CubicCurve2D.Double(x, y, 10 + rng.nextDouble() * w, 10 + rng.nextDouble() * height,
                    10 + rng.nextDouble() * w, 10 + rng.nextDouble() * height, x2, y2));
            x = x2;
            y = y2;
        }
        g.dispose();
        return cropAbove(Luma.brightness(img), 0.05f).padded(2);
    }

    /** Glyphs side by side, {@code gap} times the height apart (negative: overlapping, so they touch), with a little vertical jitter. */
    GreyImage line(List<GreyImage> glyphs, double gap, int height) {
        int jitter = Math.max(1, height / 12);
        int width = 0;
        int[] xs = new int[glyphs.size()], ys = new int[glyphs.size()];
        for (int k = 0; k < glyphs.size(); k++) {
            xs[k] = width;
            ys[k] = jitter + rng.nextInt(jitter + 1) - jitter / 2;
            width += glyphs.get(k).width() + (int) Math.round(gap * height * (0.8 + 0.4 * rng.nextDouble()));
        }
        int total = xs[glyphs.size() - 1] + glyphs.get(glyphs.size() - 1).width();
        GreyImage out = GreyImage.zeros(total + 4, height + 3 * jitter);
        for (int k = 0; k < glyphs.size(); k++) {
            GreyImage gl = glyphs.get(k);
            for (int y = 0; y < gl.height(); y++) {
                for (int x = 0; x < gl.width(); x++) {
                    int ox = xs[k] + x + 2, oy = ys[k] + y;
                    if (ox < out.width() && oy < out.height()) out.set(ox, oy, Math.max(out.get(ox, oy), gl.get(x, y)));
                }
            }
        }
        return out;
    }

    /** The ink made {@code r} px thicker on each side (a marker instead of a pen), kept anti-aliased at its edge. */
    static GreyImage thicker(GreyImage ink, double r) {
        int pad = (int) Math.ceil(r) + 1;
        GreyImage p = ink.padded(pad);
        float[] solid = new float[p.v().length];
        for (int i = 0; i < solid.length; i++) solid[i] = p.v()[i] >= 0.5f ? 1 : 0;
        double[] d2 = DistanceTransform.squaredToInk(new GreyImage(p.width(), p.height(), solid));
        float[] out = new float[solid.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.max(0, Math.min(1, r + 0.5 - Math.sqrt(d2[i])));
        return new GreyImage(p.width(), p.height(), out);
    }

    static GreyImage cropAbove(GreyImage img, float t) {
        int x0 = img.width(), y0 = img.height(), x1 = -1, y1 = -1;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (img.get(x, y) <= t) continue;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        return x1 < 0 ? img : img.crop(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    // ---------------------------------------------------------------------------------------------
    // Scenes: ink on something, photographed.

    /** Colour per pixel, 0-1, as three planes. */
    private record Rgb(int w, int h, float[] r, float[] g, float[] b) {
        static Rgb filled(int w, int h, double r, double g, double b) {
            Rgb c = new Rgb(w, h, new float[w * h], new float[w * h], new float[w * h]);
            java.util.Arrays.fill(c.r, (float) r);
            java.util.Arrays.fill(c.g, (float) g);
            java.util.Arrays.fill(c.b, (float) b);
            return c;
        }

        /** Pen of colour (pr, pg, pb) with opacity a at pixel i: the surface's colour times (1 - a) plus the pen's. */
        void ink(int i, double a, double pr, double pg, double pb) {
            r[i] = (float) (r[i] * (1 - a) + a * pr * r[i]);
            g[i] = (float) (g[i] * (1 - a) + a * pg * g[i]);
            b[i] = (float) (b[i] * (1 - a) + a * pb * b[i]);
        }

        void scale(int i, double f) {
            r[i] *= (float) f;
            g[i] *= (float) f;
            b[i] *= (float) f;
        }

        void add(int i, double v) {
            r[i] += (float) v;
            g[i] += (float) v;
            b[i] += (float) v;
        }

        /** Out of focus: three passes of a (2r+1)-wide box blur along rows and columns (close to a Gaussian of sigma r). */
        void blur(int r) {
            for (float[] plane : new float[][] {this.r, g, b}) {
                for (int pass = 0; pass < 3; pass++) {
                    boxBlur(plane, w, h, r, true);
                    boxBlur(plane, w, h, r, false);
                }
            }
        }

        private static void boxBlur(float[] v, int w, int h, int r, boolean rows) {
            int n = rows ? w : h, lines = rows ? h : w;
            float[] line = new float[n];
            for (int l = 0; l < lines; l++) {
                for (int k = 0; k < n; k++) line[k] = v[rows ? l * w + k : k * w + l];
                for (int k = 0; k < n; k++) {
                    double sum = 0;
                    for (int d = -r; d <= r; d++) sum += line[Math.max(0, Math.min(n - 1, k + d))];
                    v[rows ? l * w + k : k * w + l] = (float) (sum / (2 * r + 1));
                }
            }
        }

        BufferedImage image(double noise, Random rng) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < w * h; i++) {
                double n = noise * rng.nextGaussian();
                img.setRGB(i % w, i / w, channel(r[i] + n) << 16 | channel(g[i] + n) << 8 | channel(b[i] + n));
            }
            return img;
        }
    }

    /**
     * The ink line (height {@code h} of a digit) in a scene. The picture is the ink plus margins of
     * 0.4-1.2 digit heights, so the digits fill a random part of it.
     */
    BufferedImage scene(String scene, GreyImage ink, int h) {
        int mx = (int) (h * (0.4 + 0.8 * rng.nextDouble())), my = (int) (h * (0.4 + 0.8 * rng.nextDouble()));
        if (scene.startsWith("table")) {
            mx += 0.8 * h;
            my += 0.8 * h;
        }
        int w = ink.width() + 2 * mx, ht = ink.height() + 2 * my;
        int ox = mx + rng.nextInt(Math.max(1, mx / 2)) - mx / 4, oy = my + rng.nextInt(Math.max(1, my / 2)) - my / 4;
        float[] a = new float[w * ht];
        for (int y = 0; y < ink.height(); y++) {
            for (int x = 0; x < ink.width(); x++) {
                int px = ox + x, py = oy + y;
                if (px >= 0 && py >= 0 && px < w && py < ht) a[py * w + px] = ink.get(x, y);
            }
        }
        double paper = 0.82 + 0.14 * rng.nextDouble();
        double[] pen = pens[rng.nextInt(pens.length)];
        Rgb c = Rgb.filled(w, ht, paper, paper * 0.98, paper * 0.93);
        double noise = 0.01;
        switch (scene) {
            case "page" -> noise = 0;
            case "table", "table-sideways" -> {
                // A sheet covering the middle of the picture on a dark wooden table, lit unevenly.
                int px0 = Math.max(2, ox - (int) (h * (0.4 + 0.8 * rng.nextDouble()))), py0 = Math.max(2, oy - (int) (h * (0.4 + 0.8 * rng.nextDouble())));
                int px1 = Math.min(w - 3, ox + ink.width() + (int) (h * (0.4 + 0.8 * rng.nextDouble())));
                int py1 = Math.min(ht - 3, oy + ink.height() + (int) (h * (0.4 + 0.8 * rng.nextDouble())));
                double wood = 0.25 + 0.2 * rng.nextDouble(), phase = rng.nextDouble() * 6;
                double tilt = (rng.nextDouble() - 0.5) * 0.06;
                for (int y = 0; y < ht; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = y * w + x;
                        double edge = (y - py0) - tilt * (x - px0);
                        boolean onPaper = x >= px0 + tilt * (y - py0) && x <= px1 + tilt * (y - py0) && edge >= 0 && y <= py1 + tilt * (x - px0);
                        double light = 1.05 - 0.3 * ((double) x / w) * ((double) y / ht);
                        if (onPaper) {
                            c.scale(i, light);
                        } else {
                            double grain = 0.85 + 0.15 * Math.sin(y * 0.35 + 4 * Math.sin(x * 0.02 + phase)) + 0.05 * rng.nextGaussian();
                            c.r[i] = (float) (wood * grain * light);
                            c.g[i] = (float) (wood * 0.62 * grain * light);
                            c.b[i] = (float) (wood * 0.38 * grain * light);
                            a[i] = 0;
                        }
                    }
                }
            }
            case "shadow" -> {
                // A hard-edged shadow (a hand, a phone) across the picture: a half-plane at a random angle through the digits.
                double angle = rng.nextDouble() * Math.PI, depth = 0.4 + 0.2 * rng.nextDouble(), soft = 1 + rng.nextInt(4);
                double cx = ox + ink.width() * (0.3 + 0.4 * rng.nextDouble()), cy = oy + ink.height() * (0.3 + 0.4 * rng.nextDouble());
                double nx = Math.cos(angle), ny = Math.sin(angle);
                for (int y = 0; y < ht; y++) {
                    for (int x = 0; x < w; x++) {
                        double d = (x - cx) * nx + (y - cy) * ny;
                        double t = Math.max(0, Math.min(1, 0.5 + d / (2 * soft)));
                        c.scale(y * w + x, 1 - depth * t);
                    }
                }
            }
            case "glare" -> {
                // A white digit on a dark screen, a bright glare spot partly over it.
                c = Rgb.filled(w, ht, 0.1, 0.12, 0.16);
                double gx = ox + ink.width() * rng.nextDouble(), gy = oy + ink.height() * rng.nextDouble();
                double sigma = h * (0.3 + 0.4 * rng.nextDouble()), amp = 0.35 + 0.3 * rng.nextDouble();
                for (int y = 0; y < ht; y++) {
                    for (int x = 0; x < w; x++) {
                        int i = y * w + x;
                        double v = a[i] * 0.85;
                        c.add(i, v + amp * Math.exp(-((x - gx) * (x - gx) + (y - gy) * (y - gy)) / (2 * sigma * sigma)));
                    }
                }
                return c.image(0.02, rng);
            }
            case "white-on-black" -> {
                c = Rgb.filled(w, ht, 0.05, 0.05, 0.05);
                for (int i = 0; i < a.length; i++) c.add(i, a[i] * 0.9);
                return c.image(0.01, rng);
            }
            case "circled", "underlined", "underline-touching" -> {
                BufferedImage over = new BufferedImage(w, ht, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = over.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(h * (0.06f + 0.04f * rng.nextFloat()), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                if (scene.equals("circled")) {
                    double m = 0.25 + 0.25 * rng.nextDouble();
                    g.draw(new Ellipse2D.Double(ox - m * h, oy - m * h * 0.8, ink.width() + 2 * m * h, ink.height() + 1.6 * m * h));
                } else {
                    double y = oy + ink.height() + (scene.equals("underlined") ? h * (0.12 + 0.12 * rng.nextDouble()) : -h * 0.02);
                    double ext = h * (0.2 + 0.3 * rng.nextDouble());
                    g.draw(new java.awt.geom.Line2D.Double(ox - ext, y, ox + ink.width() + ext, y + h * 0.05 * (rng.nextDouble() - 0.5)));
                }
                g.dispose();
                GreyImage o = Luma.brightness(over);
                for (int i = 0; i < a.length; i++) a[i] = Math.max(a[i], o.v()[i]);
            }
            case "pencil" -> {
                // Faint graphite: a light grey, grainy, on white paper.
                double strength = 0.25 + 0.15 * rng.nextDouble();
                for (int i = 0; i < a.length; i++) a[i] = (float) (a[i] * strength * (0.7 + 0.3 * rng.nextDouble()));
                pen = new double[] {0.35, 0.35, 0.38};
            }
            case "blot" -> {
                double bx = rng.nextBoolean() ? ox - h * 0.35 : ox + ink.width() + h * 0.35, by = oy + ink.height() * rng.nextDouble();
                double br = h * (0.08 + 0.08 * rng.nextDouble());
                for (int y = 0; y < ht; y++) {
                    for (int x = 0; x < w; x++) {
                        double d = Math.hypot(x - bx, y - by) * (1 + 0.2 * Math.sin(7 * Math.atan2(y - by, x - bx)));
                        if (d < br) a[y * w + x] = 1;
                    }
                }
            }
            case "blue-pen" -> pen = new double[] {0.15, 0.2, 0.65};
            case "dim" -> {
                // A badly lit room: the paper at a third to a half of its brightness, a noisy sensor.
                double dim = 0.3 + 0.2 * rng.nextDouble();
                for (int i = 0; i < a.length; i++) c.scale(i, dim);
                noise = 0.035;
            }
            case "sticky" -> {
                // A yellow sticky note.
                c = Rgb.filled(w, ht, paper, paper * 0.92, paper * 0.45);
            }
            case "lined" -> {
                // Ruled notebook paper: light blue lines 1.1-1.4 digit heights apart, one just under
                // the digits (written on the line), across the whole picture.
                double gap = h * (1.1 + 0.3 * rng.nextDouble()), base = oy + ink.height() + h * 0.06 * rng.nextDouble();
                double thick = Math.max(1, h * (0.02 + 0.015 * rng.nextDouble()));
                for (int y = 0; y < ht; y++) {
                    double d = Math.abs(((y - base) % gap + gap) % gap);
                    d = Math.min(d, gap - d);
                    double line = Math.max(0, Math.min(1, thick / 2 + 0.5 - d));
                    if (line <= 0) continue;
                    for (int x = 0; x < w; x++) c.ink(y * w + x, 0.7 * line, 0.55, 0.7, 1.0);
                }
            }
            default -> { }
        }
        for (int i = 0; i < a.length; i++) if (a[i] > 0) c.ink(i, a[i], pen[0], pen[1], pen[2]);
        if (scene.equals("blur")) c.blur(Math.max(1, (int) Math.round(h * (0.02 + 0.02 * rng.nextDouble()))));
        BufferedImage img = c.image(noise, rng);
        if (scene.equals("table-sideways")) img = ImageFiles.Orientation.ANTICLOCKWISE.apply(img); // stored turned; the EXIF tag in write() turns it back
        return img;
    }

    /** Pen colours as the fraction of the paper's light they let through. */
    private static final double[][] pens = {{0.1, 0.1, 0.1}, {0.15, 0.2, 0.6}, {0.12, 0.12, 0.3}, {0.25, 0.25, 0.25}};

    // ---------------------------------------------------------------------------------------------
    // Files.

    /** As a JPEG (quality 0.85) for photos, PNG for clean pages; a "-sideways" picture gets EXIF orientation 6. */
    private static void write(BufferedImage img, Path dir, String name, boolean photo) throws IOException {
        if (!photo) {
            ImageIO.write(img, "png", dir.resolve(name + ".png").toFile());
            return;
        }
        Path f = dir.resolve(name + ".jpg");
        SampleImages.writeJpeg(img, f, 0.75f);
        if (name.contains("sideways")) Files.write(f, withExifOrientation(Files.readAllBytes(f), 6));
    }

    /** A JPEG with an APP1 EXIF segment right after its start marker holding only the orientation tag (274). */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        int length = 2 + 6 + tiff.length;
        byte[] out = new byte[jpeg.length + 2 + length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
        System.arraycopy(exif, 0, out, 6, 6);
        System.arraycopy(tiff, 0, out, 12, tiff.length);
        System.arraycopy(jpeg, 2, out, 12 + tiff.length, jpeg.length - 2);
        return out;
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    /** The files of one set with their truth ("" for none), sorted by name. */
    static List<Object[]> truths(String set) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(set))) {
            return files.sorted(Comparator.comparing(Path::toString)).map(f -> {
                String n = f.getFileName().toString();
                String t = n.substring(n.lastIndexOf('-') + 1, n.lastIndexOf('.'));
                return new Object[] {f, t.equals("none") ? "" : t};
            }).toList();
        }
    }
}
