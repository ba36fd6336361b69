package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lenet.engine.Network;
import lenet.engine.Trace;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One network, many callers at once: 8 threads trace and score 64 different images (and batches of
 * them) on the same ND4J network, released together; every answer equals, bit for bit, the one a
 * single caller got beforehand. (Per-call state lives in a tape and a per-thread workspace; a layer
 * that kept its activations in a field, or an in-place sigmoid writing over a shared array, would
 * mix the images up here.)
 */
class ConcurrencyTest {
    private static final int THREADS = 8, IMAGES = 64, BATCH = 16;

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, BATCH"})
    void concurrentCallsGiveTheSequentialResults(Activation activation, Pooling pooling, Norm norm) throws Exception {
        ModelSpec spec = Architecture.lenet(activation, pooling, norm).spec();
        Network network = new Nd4jEngine().network(spec, States.random(spec, new Random(41), 1));
        Random rng = new Random(42);
        float[][] images = new float[IMAGES][];
        for (int k = 0; k < IMAGES; k++) images[k] = States.images(rng, spec, 1);
        float[][] batches = new float[IMAGES / BATCH][];
        for (int b = 0; b < batches.length; b++) batches[b] = States.images(rng, spec, BATCH);

        List<Trace> traces = new ArrayList<>();
        List<float[]> logits = new ArrayList<>(), batchLogits = new ArrayList<>();
        for (float[] image : images) {
            traces.add(network.trace(image));
            logits.add(network.logits(image, 1));
        }
        for (float[] batch : batches) batchLogits.add(network.logits(batch, BATCH));

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Trace>> concurrentTraces = new ArrayList<>();
            List<Future<float[]>> concurrentLogits = new ArrayList<>(), concurrentBatches = new ArrayList<>();
            for (float[] image : images) {
                concurrentTraces.add(pool.submit(waiting(start, () -> network.trace(image))));
                concurrentLogits.add(pool.submit(waiting(start, () -> network.logits(image, 1))));
            }
            for (float[] batch : batches) concurrentBatches.add(pool.submit(waiting(start, () -> network.logits(batch, BATCH))));
            start.countDown();
            for (int k = 0; k < IMAGES; k++) {
                Trace t = concurrentTraces.get(k).get();
                for (int s = 0; s < t.stages().size(); s++) {
                    assertArrayEquals(traces.get(k).stages().get(s).values(), t.stages().get(s).values(), "image " + k + ", " + t.stages().get(s).name());
                }
                assertArrayEquals(logits.get(k), concurrentLogits.get(k).get(), "image " + k + " logits");
            }
            for (int b = 0; b < batches.length; b++) assertArrayEquals(batchLogits.get(b), concurrentBatches.get(b).get(), "batch " + b);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> Callable<T> waiting(CountDownLatch start, Callable<T> work) {
        return () -> {
            start.await();
            return work.call();
        };
    }
}
