package lenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import lenet.model.Activation;
import lenet.model.Pooling;
import org.junit.jupiter.api.Test;

/** How the default recipe sizes a run's batch, rate and initial gain from its length. */
class RecipeTest {
    private static final Activation SIGMOID = Activation.SIGMOID, RELU = Activation.RELU;
    private static final Pooling AVG = Pooling.AVG, MAX = Pooling.MAX;

    private static Recipe.Sizing size(Activation a, int images, int epochs) {
        return Recipe.DEFAULT.sizing(a, AVG, images, epochs, null, null, null);
    }

    @Test
    void aRunOfAtLeast150StepsAtTheRecipesBatchKeepsItsSettings() {
        assertEquals(new Recipe.Sizing(128, 0.5, 4, false), size(SIGMOID, 60_000, 12));
        assertEquals(new Recipe.Sizing(128, 0.5, 4, false), size(SIGMOID, 20_000, 1));
        assertEquals(new Recipe.Sizing(128, 0.1, 1, false), Recipe.DEFAULT.sizing(RELU, MAX, 20_000, 1, null, null, null));
    }

    @Test
    void aShortRunHalvesTheBatchAndScalesTheRateByItsSquareRoot() {
        // The table's 5,000-image runs: batch 32, 157 steps, gains unchanged.
        assertEquals(new Recipe.Sizing(32, 0.25, 4, true), size(SIGMOID, 5000, 1));
        assertEquals(new Recipe.Sizing(32, 0.05, 1, true), size(RELU, 5000, 1));
        assertEquals(new Recipe.Sizing(16, 0.177, 4, true), size(SIGMOID, 2400, 1));
        assertEquals(new Recipe.Sizing(16, 0.177, 4, true), size(SIGMOID, 1200, 2));
    }

    @Test
    void aRunShortEvenAtBatch16GetsBatch8AndASigmoidNetworkAlsoGain12AndHalfTheRate() {
        assertEquals(new Recipe.Sizing(8, 0.0625, 12, true), size(SIGMOID, 2000, 1));
        assertEquals(new Recipe.Sizing(8, 0.0625, 12, true), size(SIGMOID, 1000, 1));
        assertEquals(new Recipe.Sizing(8, 0.0625, 12, true), size(SIGMOID, 500, 1));
        assertEquals(new Recipe.Sizing(8, 0.025, 1, true), size(RELU, 2000, 1));
        assertEquals(new Recipe.Sizing(8, 0.025, 1, true), size(RELU, 500, 1));
    }

    @Test
    void flagsWin() {
        // A batch given keeps the recipe's gain, and its rate scaled by the square root alone.
        assertEquals(new Recipe.Sizing(8, 0.125, 4, false), Recipe.DEFAULT.sizing(SIGMOID, AVG, 60_000, 12, 8, null, null));
        assertEquals(new Recipe.Sizing(16, 0.3, 2, false), Recipe.DEFAULT.sizing(SIGMOID, AVG, 1000, 1, 16, 0.3, 2.0));
        assertEquals(new Recipe.Sizing(8, 0.2, 12, true), Recipe.DEFAULT.sizing(SIGMOID, AVG, 1000, 1, null, 0.2, null));
        assertEquals(new Recipe.Sizing(8, 0.0625, 6, true), Recipe.DEFAULT.sizing(SIGMOID, AVG, 1000, 1, null, null, 6.0));
    }
}
