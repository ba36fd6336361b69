package lenet.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers applied one after another; backward visits them in reverse order. */
public class Sequential implements Layer {
    private final List<Layer> layers;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public INDArray forward(INDArray x) {
        for (Layer layer : layers) x = layer.forward(x);
        return x;
    }

    @Override
    public INDArray backward(INDArray dOut) {
        for (int i = layers.size() - 1; i >= 0; i--) dOut = layers.get(i).backward(dOut);
        return dOut;
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer layer : layers) all.addAll(layer.params());
        return Collections.unmodifiableList(all);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) s.append(i == 0 ? "" : ", ").append(layers.get(i).describe());
        return s.append(")").toString();
    }
}
