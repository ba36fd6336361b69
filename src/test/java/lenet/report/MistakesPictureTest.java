package lenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mistakes grid: its title says how many there were and how many are shown; no mistakes, no grid. */
class MistakesPictureTest {
    @Test
    void theTitleCountsRight() {
        assertEquals("No mistakes: every image was classified right", MistakesPicture.title(0, 0));
        assertEquals("The one wrong image", MistakesPicture.title(1, 1));
        assertEquals("All 7 wrong images, most confident first", MistakesPicture.title(7, 7));
        assertEquals("The 24 most confidently wrong images (of 1,097)", MistakesPicture.title(24, 1097));
        assertEquals("97 wrong images, none asked to be shown", MistakesPicture.title(0, 97));
    }

    @Test
    void gridRowsFollowTheNumberShown(@TempDir Path tmp) throws Exception {
        var data = MadeUpDigits.of(20, 2);
        Png.write(MistakesPicture.draw(List.of(), data, 0, lenet.data.Datasets.classes("mnist")), tmp.resolve("none.png"));
        Pictures.check(tmp.resolve("none.png"), MistakesPicture.width(), MistakesPicture.TOP + MistakesPicture.MARGIN, 3);
        List<Mistake> seven = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) seven.add(new Mistake(i, i % 10, (i + 1) % 10, 0.9 - i * 0.1));
        Png.write(MistakesPicture.draw(seven, data, 7, lenet.data.Datasets.classes("mnist")), tmp.resolve("seven.png"));
        Pictures.check(tmp.resolve("seven.png"), MistakesPicture.width(), MistakesPicture.TOP + 2 * MistakesPicture.CELL_H + MistakesPicture.MARGIN, 20);
    }
}
