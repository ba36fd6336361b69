package lenet.engine.nd4j;

/**
 * What a forward pass is for, as PyTorch's {@code module.train()} / {@code module.eval()}. Only batch
 * norm behaves differently: in TRAIN mode it normalises by the batch's own statistics and computes
 * new running estimates; in EVAL mode it normalises by the running estimates and changes nothing.
 */
enum Mode {
    TRAIN,
    EVAL
}
