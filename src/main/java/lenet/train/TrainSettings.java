package lenet.train;

import java.nio.file.Path;
import java.util.Locale;
import lenet.SettingException;
import lenet.data.Datasets;
import lenet.model.Activation;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.optim.LearningRateSchedule;

/**
 * The settings a user gave for a run, each null when not given: the recipe fills the others
 * ({@link #resolve}). Every value is checked here, whichever front end it came from; an error names
 * the setting as {@code {lr}}, which the command line shows as {@code --lr}.
 *
 * @param shuffle null or true: shuffled; false: file order
 */
public record TrainSettings(
        String dataset,
        Path dataDir,
        Recipe recipe,
        Activation activation,
        Pooling pooling,
        Norm norm,
        Double initGain,
        Double lr,
        LearningRateSchedule schedule,
        Double momentum,
        Double weightDecay,
        Integer batchSize,
        Integer epochs,
        Integer shift,
        Integer shiftFrom,
        Distortion distort,
        Boolean shuffle,
        Integer limit,
        Long seed) {

    /** Nothing given: the default recipe throughout. */
    public static TrainSettings none() {
        return new TrainSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Refuses any given value outside its range, before anything is read. */
    public TrainSettings validated() {
        if (dataset != null && !Datasets.NAMES.contains(dataset)) throw new SettingException("dataset", "{dataset} must be "
                + String.join(" or ", Datasets.NAMES) + ", was '" + dataset + "'");
        if (initGain != null) positive("init-gain", initGain);
        if (lr != null) positive("lr", lr);
        if (momentum != null) fraction("momentum", momentum);
        if (weightDecay != null) nonNegative("weight-decay", weightDecay);
        if (batchSize != null) atLeastOne("batch-size", batchSize);
        if (epochs != null) atLeastOne("epochs", epochs);
        if (shift != null) range("shift", shift, 0, 8);
        if (shiftFrom != null) atLeastOne("shift-from", shiftFrom);
        if (limit != null) atLeastOne("limit", limit);
        return this;
    }

    /** The planned number of epochs: given, or the recipe's. */
    public int plannedEpochs() {
        return epochs != null ? epochs : recipeOrDefault().epochs;
    }

    public Recipe recipeOrDefault() {
        return recipe == null ? Recipe.DEFAULT : recipe;
    }

    public String datasetOrDefault() {
        return dataset == null ? Datasets.MNIST : dataset;
    }

    /**
     * A resolved run: the settings and, when the recipe sized a short run's batch and rate, a
     * sentence saying so (else null).
     */
    public record Resolved(TrainConfig config, String sizingNote) {}

    /**
     * Every setting: given, else the recipe's; {@code trainImages} (after --limit) lets the recipe size
     * a short run's batch and rate (see {@link Recipe#sizing}). {@code defaultDataDir} is where the data
     * set lives when no folder was given.
     */
    public Resolved resolve(int trainImages, Path defaultDataDir) {
        return resolve(trainImages, defaultDataDir, null);
    }

    /** As {@link #resolve(int, Path)}, the weights read from {@code init} ({@code --init}; null: drawn by Xavier's rule), so the gain is not set. */
    public Resolved resolve(int trainImages, Path defaultDataDir, Path init) {
        validated();
        Recipe r = recipeOrDefault();
        Activation act = activation != null ? activation : Activation.SIGMOID;
        Pooling pool = pooling != null ? pooling : Pooling.AVG;
        int planned = plannedEpochs();
        Recipe.Sizing size = r.sizing(act, pool, trainImages, planned, batchSize, lr, initGain);
        String note = null;
        if (size.shortened()) {
            long steps = (long) planned * ((trainImages + size.batchSize() - 1) / size.batchSize());
            boolean gainChanged = init == null && initGain == null && size.initGain() != r.initGain(act);
            if (lr == null && gainChanged) {
                note = String.format(Locale.ROOT, "a short run: batch %d, peak lr %s and Xavier init x%s (%d steps); the %s recipe's batch %d, lr %s and init x%s need at least %d steps",
                        size.batchSize(), Health.num(size.lr()), Health.num(size.initGain()), steps, r.cliName(), r.batchSize,
                        Health.num(r.lr(act, pool)), Health.num(r.initGain(act)), r.minSteps);
            } else if (lr == null) {
                note = String.format(Locale.ROOT, "a short run: batch %d and peak lr %s (%d steps); the %s recipe's batch %d and lr %s need at least %d steps",
                        size.batchSize(), Health.num(size.lr()), steps, r.cliName(), r.batchSize, Health.num(r.lr(act, pool)), r.minSteps);
            } else {
                note = String.format(Locale.ROOT, "a short run: batch %d%s (%d steps); the %s recipe's batch %d needs at least %d steps",
                        size.batchSize(), gainChanged ? " and Xavier init x" + Health.num(size.initGain()) : "", steps, r.cliName(), r.batchSize, r.minSteps);
            }
        }
        TrainConfig config = new TrainConfig(
                datasetOrDefault(),
                dataDir != null ? dataDir : defaultDataDir,
                act,
                pool,
                norm != null ? norm : Norm.NONE,
                size.initGain(),
                size.lr(),
                schedule != null ? schedule : r.schedule,
                momentum != null ? momentum : r.momentum,
                weightDecay != null ? weightDecay : r.weightDecay,
                size.batchSize(),
                planned,
                shift != null ? shift : r.maxShift,
                shiftFrom != null ? shiftFrom : r.shiftFrom,
                distort != null ? distort : r.distortion,
                shuffle == null || shuffle,
                limit == null ? 0 : limit,
                seed == null ? 1 : seed,
                r.cliName(),
                init == null ? null : init.toString());
        return new Resolved(config, note);
    }

    /**
     * A resumed run keeps its own settings: a given value that differs from the run's is refused,
     * naming the setting and the run's value (giving the same value is harmless). Only the number
     * of epochs (to extend the run) and the data folder (moved) may change, and are not checked here.
     */
    public void refuseContradictions(TrainConfig run, Path checkpoint) {
        contradiction("dataset", dataset, run.dataset(), checkpoint);
        contradiction("recipe", recipe == null ? null : recipe.cliName(), run.recipe(), checkpoint);
        contradiction("activation", activation == null ? null : activation.cliName(), run.activation().cliName(), checkpoint);
        contradiction("pool", pooling == null ? null : pooling.cliName(), run.pooling().cliName(), checkpoint);
        contradiction("norm", norm == null ? null : norm.cliName(), run.norm().cliName(), checkpoint);
        contradiction("init-gain", initGain, run.initGain(), checkpoint);
        contradiction("lr", lr, run.lr(), checkpoint);
        contradiction("schedule", schedule == null ? null : schedule.cliName(), run.schedule().cliName(), checkpoint);
        contradiction("momentum", momentum, run.momentum(), checkpoint);
        contradiction("weight-decay", weightDecay, run.weightDecay(), checkpoint);
        contradiction("batch-size", batchSize, run.batchSize(), checkpoint);
        contradiction("shift", shift, run.maxShift(), checkpoint);
        contradiction("shift-from", shiftFrom, run.shiftFrom(), checkpoint);
        contradiction("distort", distort == null ? null : distort.cliName(), run.distortion().cliName(), checkpoint);
        if (shuffle != null && shuffle != run.shuffle()) {
            throw new SettingException("no-shuffle", "{no-shuffle} contradicts the run being resumed, which is " + (run.shuffle() ? "" : "not ")
                    + "shuffled; {resume} continues a run with its own settings: leave {no-shuffle} out, or start a new run from its weights with {init} "
                    + checkpoint);
        }
        contradiction("limit", limit, run.limit(), checkpoint);
        contradiction("seed", seed, run.seed(), checkpoint);
    }

    private static void contradiction(String setting, Object given, Object runs, Path checkpoint) {
        if (given == null) return;
        boolean same = given instanceof Number g && runs instanceof Number r ? g.doubleValue() == r.doubleValue() : given.equals(runs);
        if (!same) {
            String name = setting.equals("pool") ? "pooling" : setting.replace('-', ' ');
            throw new SettingException(setting, "{" + setting + "} " + given + " contradicts the run being resumed, which has " + name + " "
                    + runs + "; {resume} continues a run with its own settings: leave {" + setting + "} out, or start a new run from its weights with {init} "
                    + checkpoint);
        }
    }

    /** A saved config's values must be ones a run could have: a meta.json edited and signed again is refused. */
    static void check(TrainConfig c) {
        if (!Datasets.NAMES.contains(c.dataset())) throw new SettingException("dataset", "dataset '" + c.dataset() + "' is not one lenet knows");
        positive("init-gain", c.initGain());
        positive("lr", c.lr());
        fraction("momentum", c.momentum());
        nonNegative("weight-decay", c.weightDecay());
        atLeastOne("batch-size", c.batchSize());
        atLeastOne("epochs", c.epochs());
        range("shift", c.maxShift(), 0, 8);
        atLeastOne("shift-from", c.shiftFrom());
        if (c.limit() < 0) throw new SettingException("limit", "limit " + c.limit() + " is negative");
        if (c.schedule() == null || c.activation() == null || c.pooling() == null) {
            throw new SettingException("schedule", "the settings lack the schedule, activation or pooling");
        }
    }

    private static void atLeastOne(String setting, int v) {
        if (v < 1) throw new SettingException(setting, "{" + setting + "} must be at least 1, was " + v);
    }

    private static void range(String setting, int v, int min, int max) {
        if (v < min || v > max) throw new SettingException(setting, "{" + setting + "} must be between " + min + " and " + max + ", was " + v);
    }

    private static void positive(String setting, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new SettingException(setting, "{" + setting + "} must be a positive number, was " + v);
    }

    private static void nonNegative(String setting, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new SettingException(setting, "{" + setting + "} must be zero or positive, was " + v);
    }

    private static void fraction(String setting, double v) {
        if (!(v >= 0 && v < 1)) throw new SettingException(setting, "{" + setting + "} must be at least 0 and below 1, was " + v);
    }
}
