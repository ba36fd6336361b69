package lenet.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import lenet.data.Datasets;
import lenet.image.Preprocessing;
import lenet.model.Activation;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.optim.LearningRateSchedule;
import lenet.train.Distortion;
import lenet.train.Recipe;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The lower-case names of every option with a fixed set of values: the candidates shown in help
 * ({@code ${COMPLETION-CANDIDATES}}) and offered by shell completion, and the converters that
 * read them, each refusing other values with a message that lists the known ones.
 */
final class Choices {
    private Choices() {}

    /** A fixed list of names, as picocli's completion candidates. */
    abstract static class Names implements Iterable<String> {
        private final List<String> names;

        Names(String... names) {
            this.names = List.of(names);
        }

        @Override
        public Iterator<String> iterator() {
            return names.iterator();
        }

        /** {@code sigmoid or relu}; {@code a, b or c}. */
        String alternatives() {
            if (names.size() == 1) return names.get(0);
            return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        }

        String check(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (!names.contains(v)) throw new TypeConversionException("expected " + alternatives() + ", was '" + value + "'");
            return v;
        }
    }

    static final class Activations extends Names {
        Activations() {
            super(Arrays.stream(Activation.values()).map(Activation::cliName).toArray(String[]::new));
        }
    }

    static final class Poolings extends Names {
        Poolings() {
            super(Arrays.stream(Pooling.values()).map(Pooling::cliName).toArray(String[]::new));
        }
    }

    static final class Norms extends Names {
        Norms() {
            super(Arrays.stream(Norm.values()).map(Norm::cliName).toArray(String[]::new));
        }
    }

    static final class Distortions extends Names {
        Distortions() {
            super(Arrays.stream(Distortion.values()).map(Distortion::cliName).toArray(String[]::new));
        }
    }

    static final class Schedules extends Names {
        Schedules() {
            super(Arrays.stream(LearningRateSchedule.values()).map(LearningRateSchedule::cliName).toArray(String[]::new));
        }
    }

    static final class Recipes extends Names {
        Recipes() {
            super(Arrays.stream(Recipe.values()).map(Recipe::cliName).toArray(String[]::new));
        }
    }

    static final class DatasetNames extends Names {
        DatasetNames() {
            super(Datasets.NAMES.toArray(String[]::new));
        }
    }

    static final class Splits extends Names {
        Splits() {
            super("test", "train");
        }
    }

    static final class InvertModes extends Names {
        InvertModes() {
            super(Arrays.stream(Preprocessing.Invert.values()).map(Preprocessing.Invert::cliName).toArray(String[]::new));
        }
    }

    static final class ActivationConverter implements ITypeConverter<Activation> {
        @Override
        public Activation convert(String s) {
            return Activation.valueOf(new Activations().check(s).toUpperCase(Locale.ROOT));
        }
    }

    static final class PoolingConverter implements ITypeConverter<Pooling> {
        @Override
        public Pooling convert(String s) {
            return Pooling.valueOf(new Poolings().check(s).toUpperCase(Locale.ROOT));
        }
    }

    static final class NormConverter implements ITypeConverter<Norm> {
        @Override
        public Norm convert(String s) {
            return Norm.valueOf(new Norms().check(s).toUpperCase(Locale.ROOT));
        }
    }

    static final class DistortionConverter implements ITypeConverter<Distortion> {
        @Override
        public Distortion convert(String s) {
            return Distortion.parse(new Distortions().check(s));
        }
    }

    static final class ScheduleConverter implements ITypeConverter<LearningRateSchedule> {
        @Override
        public LearningRateSchedule convert(String s) {
            return LearningRateSchedule.fromCli(new Schedules().check(s));
        }
    }

    static final class RecipeConverter implements ITypeConverter<Recipe> {
        @Override
        public Recipe convert(String s) {
            return Recipe.valueOf(new Recipes().check(s).toUpperCase(Locale.ROOT));
        }
    }

    static final class DatasetConverter implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            return new DatasetNames().check(s);
        }
    }

    static final class SplitConverter implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            return new Splits().check(s);
        }
    }

    static final class InvertConverter implements ITypeConverter<Preprocessing.Invert> {
        @Override
        public Preprocessing.Invert convert(String s) {
            return Preprocessing.Invert.valueOf(new InvertModes().check(s).toUpperCase(Locale.ROOT));
        }
    }
}
