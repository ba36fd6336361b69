package lenet.cli;

/**
 * What each {@code train} flag defaults to under each recipe, as the help shows it. Annotation
 * texts must be constants, so these are written out; {@code TrainHelpTest} checks them against
 * {@link lenet.train.Recipe}, so they cannot drift from what a run does.
 */
final class RecipeHelp {
    private RecipeHelp() {}

    static final String EPOCHS = "12 (default recipe), 10 (d2l)";
    static final String BATCH = "128 (default recipe; halved down to 8 while the run would have fewer than 150 steps), 256 (d2l)";
    static final String LR = "0.5 for sigmoid, 0.1 for relu (default recipe; times the square root of batch/128 for a halved batch, and halved again for sigmoid when it picks batch 8), 0.9 (d2l)";
    static final String SCHEDULE = "one-cycle (default recipe), constant (d2l)";
    static final String MOMENTUM = "0.9 (default recipe), 0 (d2l)";
    static final String WEIGHT_DECAY = "0.0001 (default recipe), 0 (d2l)";
    static final String SHIFT = "2 (default recipe), 0 (d2l)";
    static final String DISTORT = "none (default recipe), none (d2l)";
    static final String SHIFT_FROM = "2 (default recipe), 1 (d2l)";
    static final String INIT_GAIN = "4 for sigmoid, 1 for relu (default recipe; 12 for sigmoid when it picks batch 8), 1 (d2l)";
}
