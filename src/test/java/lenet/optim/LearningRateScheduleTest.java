package lenet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    /**
     * Values printed by PyTorch 1.13 for
     * {@code OneCycleLR(SGD(lr=0.3), max_lr=0.3, total_steps=100, cycle_momentum=False)}.
     */
    @Test
    void oneCycleMatchesPyTorchsOneCycleLR() {
        LearningRateSchedule s = LearningRateSchedule.ONE_CYCLE;
        assertEquals(0.012, s.rate(0.3, 0, 100), 1e-12, "starts at max_lr / 25");
        assertEquals(0.012844134169772203, s.rate(0.3, 1, 100), 1e-12);
        assertEquals(0.01536663997774751, s.rate(0.3, 2, 100), 1e-12);
        assertEquals(0.3, s.rate(0.3, 29, 100), 1e-12, "peaks at 30% of the steps");
        assertEquals(0.29984896058535726, s.rate(0.3, 30, 100), 1e-12);
        assertEquals(1.2e-6, s.rate(0.3, 99, 100), 1e-15, "ends at max_lr / 25 / 1e4");
    }

    @Test
    void constantIsTheSameAtEveryStep() {
        for (long step : new long[] {0, 1, 50, 99}) assertEquals(0.9, LearningRateSchedule.CONSTANT.rate(0.9, step, 100));
    }

    @Test
    void cliNamesRoundTrip() {
        for (LearningRateSchedule s : LearningRateSchedule.values()) assertEquals(s, LearningRateSchedule.fromCli(s.cliName()));
    }
}
