package lenet.engine;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import lenet.io.NdArray;
import lenet.io.Npz;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;

/**
 * One PyTorch fixture of {@code src/test/resources/golden} (made by {@code make_lenet_golden.py}
 * beside it), read with lenet's own .npz reader: the network it was made for, its arrays by name.
 * Shared by the engines' golden tests.
 */
public record Golden(ModelSpec spec, Map<String, NdArray> arrays) {
    public static Golden load(Activation activation, Pooling pooling, Norm norm) {
        String file = "lenet_" + (norm == Norm.BATCH ? "bn_" : "") + activation.cliName() + "_" + pooling.cliName() + ".npz";
        URL url = Golden.class.getResource("/golden/" + file);
        assertNotNull(url, "missing test fixture golden/" + file + "; make it with /usr/bin/python3 src/test/resources/golden/make_lenet_golden.py");
        try {
            return new Golden(Architecture.lenet(activation, pooling, norm).spec(), Npz.read(Path.of(url.toURI())).arrays());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public NdArray get(String name) {
        NdArray a = arrays.get(name);
        assertNotNull(a, "the fixture has no array " + name);
        return a;
    }

    /** The initial parameters and buffers, checked against the spec. */
    public ModelState initialState() {
        return ModelState.of(spec, arrays);
    }

    /** The arrays saved under {@code prefix + name} (e.g. {@code step3.}) as a model state. */
    public ModelState state(String prefix) {
        Map<String, NdArray> renamed = new HashMap<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            if (e.getKey().startsWith(prefix)) renamed.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return ModelState.of(spec, renamed);
    }

    public float[] input() {
        return get("input").data();
    }

    public int batch() {
        return (int) get("input").shape()[0];
    }

    public int[] labels() {
        float[] f = get("labels").data();
        int[] labels = new int[f.length];
        for (int i = 0; i < f.length; i++) labels[i] = (int) f[i];
        return labels;
    }
}
