package lenet.engine.reference;

import lenet.model.LayerSpec;

/**
 * One layer of the reference engine: forward and backward over a batch, all arrays flat, row-major,
 * double precision, the batch axis first ([N, C, H, W] or [N, F]).
 *
 * <p>forward reads the model's arrays and keeps what backward needs in the {@link Context}, never
 * in a field. backward gets dL/dOut and returns dL/dIn, ADDING dL/dParameter into
 * {@code ctx.grad(name)} (as llm.c's backward passes add into dweight and dbias).
 */
interface Module {
    LayerSpec spec();

    /** y = layer(x) for ctx.n samples. */
    double[] forward(Context ctx, double[] x);

    /** dL/dx from dL/dy, after a forward in the same context. */
    double[] backward(Context ctx, double[] dOut);
}
