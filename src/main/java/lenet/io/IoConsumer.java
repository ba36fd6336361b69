package lenet.io;

import java.io.IOException;

/** Like {@link java.util.function.Consumer}, but may throw {@link IOException}. */
@FunctionalInterface
public interface IoConsumer<T> {
    void accept(T value) throws IOException;
}
