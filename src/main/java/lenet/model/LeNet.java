package lenet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * LeNet-5 as d2l.ai builds it, the only place in lenet that names its layers. Without
 * normalisation (d2l's LeNet chapter; LeCun et al. 1998 with a dense output layer):
 *
 * <pre>
 *   input                                   [1, 28, 28]     pixel / 255
 *   conv1  5x5, 1->6, pad 2       act1      [6, 28, 28]
 *   pool1  2x2, stride 2                    [6, 14, 14]
 *   conv2  5x5, 6->16             act2      [16, 10, 10]
 *   pool2  2x2, stride 2                    [16, 5, 5]
 *   flatten                                 [400]           (C, H, W order, as PyTorch)
 *   fc1    400->120               act3      [120]
 *   fc2    120->84                act4      [84]
 *   fc3    84->10                           [10]            logits; softmax lives in the loss
 * </pre>
 *
 * With batch norm (d2l's batch-normalisation chapter, its {@code BNLeNet}): a BatchNorm after each
 * conv and hidden dense layer, before the activation, and conv1 WITHOUT padding, as the book has it:
 *
 * <pre>
 *   conv1  5x5, 1->6    bn1  act1   [6, 24, 24]    pool1 [6, 12, 12]
 *   conv2  5x5, 6->16   bn2  act2   [16, 8, 8]     pool2 [16, 4, 4]    flatten [256]
 *   fc1    256->120     bn3  act3   fc2 120->84  bn4  act4   fc3 84->10
 * </pre>
 *
 * Array names are PyTorch's ({@code conv1.weight} [6,1,5,5], ..., {@code bn1.running_var}, ...), so a
 * state_dict of a PyTorch module with these attribute names loads here unchanged, and back.
 */
public final class LeNet {
    public static final String NAME = "LeNet-5";
    /** One channel of 28x28 pixels, as MNIST and Fashion-MNIST. */
    public static final int[] INPUT_SHAPE = {1, 28, 28};
    public static final int CLASSES = 10;
    /** PyTorch's BatchNorm defaults. */
    static final double BN_EPS = 1e-5, BN_MOMENTUM = 0.1;

    private LeNet() {}

    static ModelSpec spec(Architecture a) {
        boolean bn = a.norm() == Norm.BATCH;
        Window pool = Window.square(2, 2, 0);
        int flat = bn ? 16 * 4 * 4 : 16 * 5 * 5;
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.Conv2d("conv1", 1, 6, Window.square(5, 1, bn ? 0 : 2)));
        if (bn) layers.add(new LayerSpec.BatchNorm("bn1", 6, BN_EPS, BN_MOMENTUM));
        layers.add(new LayerSpec.Act("act1", a.activation()));
        layers.add(new LayerSpec.Pool2d("pool1", a.pooling(), pool));
        layers.add(new LayerSpec.Conv2d("conv2", 6, 16, Window.square(5, 1, 0)));
        if (bn) layers.add(new LayerSpec.BatchNorm("bn2", 16, BN_EPS, BN_MOMENTUM));
        layers.add(new LayerSpec.Act("act2", a.activation()));
        layers.add(new LayerSpec.Pool2d("pool2", a.pooling(), pool));
        layers.add(new LayerSpec.Flatten("flatten"));
        layers.add(new LayerSpec.Linear("fc1", flat, 120));
        if (bn) layers.add(new LayerSpec.BatchNorm("bn3", 120, BN_EPS, BN_MOMENTUM));
        layers.add(new LayerSpec.Act("act3", a.activation()));
        layers.add(new LayerSpec.Linear("fc2", 120, 84));
        if (bn) layers.add(new LayerSpec.BatchNorm("bn4", 84, BN_EPS, BN_MOMENTUM));
        layers.add(new LayerSpec.Act("act4", a.activation()));
        layers.add(new LayerSpec.Linear("fc3", 84, CLASSES));
        return new ModelSpec(a, INPUT_SHAPE, CLASSES, layers);
    }
}
