package lenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curves.png from metrics.csv: written whole, of its size, not blank, whatever the rows hold. */
class CurvesTest {
    private static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second,lr";

    @TempDir
    Path tmp;

    private Path csv(String... rows) throws Exception {
        Path f = tmp.resolve("metrics.csv");
        Files.writeString(f, HEADER + "\n" + String.join("\n", rows) + "\n");
        return f;
    }

    @Test
    void aMadeUpRunGivesAPictureOfTheStatedSize() throws Exception {
        Path csv = csv("1,2.314261,0.101067,2.314662,0.101000,8.5,7014.6,0.0455",
                "2,1.399200,0.479800,0.246800,0.923900,7.4,8136.5,0.13",
                "3,0.320000,0.899600,0.114700,0.962700,7.4,8136.5,0.3",
                "4,0.150000,0.955000,0.080000,0.975000,7.4,8136.5,0.2");
        Path png = tmp.resolve("curves.png");
        Curves.write(csv, png);
        Pictures.check(png, Curves.WIDTH, Curves.HEIGHT, 20);
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("curves.png", "metrics.csv"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp file left");
        }
    }

    @Test
    void oneEpochIsEnough() throws Exception {
        Path png = tmp.resolve("curves.png");
        Curves.write(csv("1,2.3,0.1,2.3,0.1,8.5,7014.6,0.04"), png, 15);
        Pictures.check(png, Curves.WIDTH, Curves.HEIGHT, 20);
    }

    @Test
    void theAxisForThePlannedEpochsLeavesRoomForTheRest() throws Exception {
        Path csv = csv("1,2.3,0.1,2.3,0.1,8.5,7014.6,0.04", "2,1.0,0.6,0.5,0.8,8.5,7014.6,0.04");
        BufferedImage own = Curves.draw(Curves.read(csv), 0);
        BufferedImage planned = Curves.draw(Curves.read(csv), 15);
        assertFalse(same(own, planned), "a 15-epoch axis draws the two points elsewhere");
    }

    @Test
    void nanAndUnreadableNumbersLeaveGapsNotErrors() throws Exception {
        Path png = tmp.resolve("curves.png");
        Curves.write(csv("1,NaN,0.1,2.3,0.1,8.5,7014.6,0.04", "2,1.5,,0.5,0.8,8.5,7014.6,0.04", "3,Infinity,0.7,0.5,oops,8,7,0.04"), png);
        Pictures.check(png, Curves.WIDTH, Curves.HEIGHT, 20);
        List<Curves.Row> rows = Curves.read(tmp.resolve("metrics.csv"));
        assertTrue(Double.isNaN(rows.get(0).trainLoss()) && Double.isNaN(rows.get(1).trainAccuracy()) && Double.isNaN(rows.get(2).testAccuracy()));
    }

    @Test
    void aColumnWithNoNumberAtAllStillDraws() throws Exception {
        Path png = tmp.resolve("curves.png");
        Curves.write(csv("1,2.3,0.1,2.3,NaN,8.5,7014.6,0.04", "2,1.0,0.6,0.5,NaN,8.5,7014.6,0.04"), png);
        Pictures.check(png, Curves.WIDTH, Curves.HEIGHT, 20);
    }

    @Test
    void rowsAreDrawnInEpochOrderWhateverTheFileOrder() throws Exception {
        List<Curves.Row> rows = Curves.read(csv("3,0.3,0.9,0.1,0.96,1,1,0.1", "1,2.3,0.1,2.3,0.1,1,1,0.1", "2,1.4,0.5,0.2,0.9,1,1,0.1"));
        assertEquals(List.of(1.0, 2.0, 3.0), rows.stream().map(Curves.Row::epoch).toList());
    }

    @Test
    void aFileWithoutRowsSaysToTrainFirst() throws Exception {
        LenetException e = assertThrows(LenetException.class, () -> Curves.write(csv(), tmp.resolve("curves.png")));
        assertTrue(e.getMessage().contains("metrics.csv") && e.getMessage().contains("train"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("curves.png")));
    }

    @Test
    void aFileWithoutTheColumnsNamesTheMissingOne() throws Exception {
        Path f = tmp.resolve("other.csv");
        Files.writeString(f, "epoch,loss\n1,2.3\n");
        LenetException e = assertThrows(LenetException.class, () -> Curves.write(f, tmp.resolve("curves.png")));
        assertTrue(e.getMessage().contains("other.csv") && e.getMessage().contains("'train_loss'"), e.getMessage());
    }

    @Test
    void aMissingFileIsOneLineNamingIt() {
        LenetException e = assertThrows(LenetException.class, () -> Curves.write(tmp.resolve("none.csv"), tmp.resolve("curves.png")));
        assertTrue(e.getMessage().contains("none.csv") && !e.getMessage().contains("\n"), e.getMessage());
    }

    private static boolean same(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) if (a.getRGB(x, y) != b.getRGB(x, y)) return false;
        }
        return true;
    }
}
