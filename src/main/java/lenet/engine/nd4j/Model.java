package lenet.engine.nd4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.TensorSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A spec's layers as ND4J modules over the model's numbers: every parameter in one {@link ParamBlock},
 * every buffer (batch norm's running statistics) an array of its own, all outside any workspace.
 * The modules only read these arrays; a training step ({@link Nd4jTrainable}) writes them.
 */
final class Model {
    final ModelSpec spec;
    final DataType type;
    final ParamBlock params;
    /** Buffers by PyTorch name, in the spec's order. */
    final Map<String, INDArray> buffers;
    final List<Module> layers;

    private Model(ModelSpec spec, DataType type, ParamBlock params, Map<String, INDArray> buffers, List<Module> layers) {
        this.spec = spec;
        this.type = type;
        this.params = params;
        this.buffers = buffers;
        this.layers = layers;
    }

    /**
     * The model of {@code spec} holding {@code state}'s arrays (checked against the spec) in {@code type},
     * its kernels chosen by {@link Layers#build}.
     */
    static Model of(ModelSpec spec, ModelState state, DataType type, boolean vectorApi, boolean inputGradient) {
        ModelState checked = ModelState.of(spec, state.all());
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            ParamBlock params = new ParamBlock(spec.parameters(), type);
            for (TensorSpec t : spec.parameters()) params.value(t.name()).assign(array(checked.parameters().get(t.name()), type));
            Map<String, INDArray> buffers = new LinkedHashMap<>();
            for (TensorSpec t : spec.buffers()) buffers.put(t.name(), array(checked.buffers().get(t.name()), type));
            Map<String, INDArray> fixed = Collections.unmodifiableMap(buffers);
            return new Model(spec, type, params, fixed, Layers.build(spec, params, fixed, type, vectorApi, inputGradient));
        }
    }

    /** The output of every layer in turn for tape.n samples x [N, ...]; the last is the logits [N, classes]. */
    INDArray forward(Tape tape, INDArray x) {
        for (Module layer : layers) x = layer.forward(tape, x);
        return x;
    }

    /**
     * Backward from dL/dLogits after a forward on the same tape, adding every parameter's gradient;
     * returns dL/dInput, or null when the model was built without it ({@link Layers#build}).
     */
    INDArray backward(Tape tape, INDArray dLogits) {
        INDArray d = dLogits;
        for (int k = layers.size() - 1; k >= 0 && d != null; k--) d = layers.get(k).backward(tape, d);
        return d;
    }

    /** Writes the buffers a TRAIN-mode forward on {@code tape} computed into the model's own. */
    void applyNewBuffers(Tape tape) {
        for (Map.Entry<String, INDArray> e : tape.newBuffers().entrySet()) buffers.get(e.getKey()).assign(e.getValue());
    }

    /** A copy of the current parameters and buffers as plain float arrays. */
    ModelState state() {
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (TensorSpec t : spec.parameters()) params.put(t.name(), new NdArray(t.shape(), Arena.floats(this.params.value(t.name()))));
        Map<String, NdArray> bufs = new LinkedHashMap<>();
        for (TensorSpec t : spec.buffers()) bufs.put(t.name(), new NdArray(t.shape(), Arena.floats(buffers.get(t.name()))));
        return new ModelState(params, bufs);
    }

    /** {@code a} as an ND4J array of {@code type} (a scalar for shape []). */
    static INDArray array(NdArray a, DataType type) {
        INDArray f = a.shape().length == 0 ? Nd4j.scalar(DataType.FLOAT, a.data()[0]) : Nd4j.create(a.data(), a.shape(), 'c');
        return f.castTo(type);
    }
}
