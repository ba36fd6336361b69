/**
 * A LeNet engine fused end to end on the JDK vector API: {@link lenet.engine.fused.FusedLeNet},
 * behind the engine interface as {@link lenet.engine.fused.FusedEngine} (the four LeNets without
 * batch norm; {@code lenet.engine.Engines} picks it for training and for scoring many images).
 *
 * <p>Layout: a tile of L images (L = floats per vector, 16 with AVX-512) is stored
 * "image-innermost", [C][H][W][L], so one vector holds one pixel of one channel in L images. Every
 * layer is then the scalar formula of one image, run on L images at once: no lane is wasted on
 * edges or padding, no horizontal sums are needed, and an image's numbers do not depend on where
 * in the batch it sits. The dense layers' weight gradients are small matrix products over the L
 * images and read their inputs image-major (a transposed copy made in the forward pass).
 *
 * <p>Fusion: each thread takes a fixed share of the batch and runs forward, loss and backward of one
 * tile before starting the next; a tile's activations (about 0.6 MB) stay in the core's L2 cache.
 * Gradients accumulate per thread (as L-lane partial sums for the convolutions) and are summed once
 * per step, lanes in order, then threads in order, before PyTorch's SGD update.
 *
 * <p>What the JIT needs (measured): vector values must not cross a call that is not inlined, and a
 * method must stay under C2's inlining budget (its node count), or C2 gives up inlining the vector
 * API's own methods and every vector is boxed, 10-100 times slower. Hence the kernels are loops
 * over plain arrays with their register tiles spelled out, and the activation and pooling run as
 * passes of their own over the convolution's output rather than inside its loop.
 *
 * <p>{@code FusedLeNet} and its kernels depend on nothing else in lenet: parameters and momentum
 * come and go as {@code float[]} arrays in PyTorch's names and layouts; {@code FusedEngine},
 * {@code FusedNetwork} and {@code FusedTrainable} translate from the model spec and state, and a
 * trace (one sample's every stage) comes from the reference engine.
 */
package lenet.engine.fused;
