package lenet.engine.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lenet.engine.Trace;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.api.Test;

/**
 * One network, many callers at once: 8 threads trace, score and explain 64 different images on the
 * same {@link ReferenceNetwork}, released together; every answer equals, bit for bit, the one a
 * single caller got for the same image beforehand. (Per-call state lives in a Context; a layer
 * that kept its activations in a field would mix the images up here.)
 */
class ConcurrencyTest {
    private static final int THREADS = 8, IMAGES = 64;

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.BATCH).spec();
        ReferenceNetwork network = new ReferenceEngine().network(spec, LeNetGradientTest.randomState(spec, new Random(41), 1));
        Random rng = new Random(42);
        float[][] images = new float[IMAGES][spec.inputSize()];
        for (float[] image : images) for (int i = 0; i < image.length; i++) image[i] = rng.nextFloat();

        List<Trace> sequential = new ArrayList<>();
        List<Double> explained = new ArrayList<>();
        for (float[] image : images) {
            sequential.add(network.trace(image));
            explained.add(network.explain(image, "conv2", 5, 3, 4).finalValue());
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Trace>> traces = new ArrayList<>();
            List<Future<float[]>> logits = new ArrayList<>();
            List<Future<Double>> explanations = new ArrayList<>();
            for (float[] image : images) {
                traces.add(pool.submit(waiting(start, () -> network.trace(image))));
                logits.add(pool.submit(waiting(start, () -> network.logits(image, 1))));
                explanations.add(pool.submit(waiting(start, () -> network.explain(image, "conv2", 5, 3, 4).finalValue())));
            }
            start.countDown();
            for (int k = 0; k < IMAGES; k++) {
                Trace t = traces.get(k).get();
                for (int s = 0; s < t.stages().size(); s++) {
                    assertArrayEquals(sequential.get(k).stages().get(s).values(), t.stages().get(s).values(), "image " + k + ", " + t.stages().get(s).name());
                }
                assertArrayEquals(sequential.get(k).logits(), logits.get(k).get(), "image " + k + " logits");
                assertEquals(explained.get(k), explanations.get(k).get(), "image " + k + " explanation");
            }
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
