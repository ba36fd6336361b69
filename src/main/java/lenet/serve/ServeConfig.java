package lenet.serve;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * What {@code lenet serve} was asked for.
 *
 * @param model   the checkpoint to start with; null: the newest finished run under {@code runs}, or none
 * @param runs    the folder of run folders the runs panel lists (read, never written)
 * @param host    the address to bind: 127.0.0.1 unless the user says otherwise
 * @param port    the port; 0 takes a free one
 * @param dataDir where a data set's IDX files are, by name (for the mistakes panel)
 */
public record ServeConfig(Path model, Path runs, String host, int port, Function<String, Path> dataDir) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 2828;
}
