package lenet.serve;

import java.nio.file.Path;
import java.util.function.Function;
import lenet.app.Models;

/**
 * What {@code lenet serve} was asked for.
 *
 * @param model   the model the page starts with, chosen and read by {@link Models#load} as every command does; null: none yet
 * @param noModel why there is none (shown on the page until a run's checkpoint is chosen there); null when there is a model
 * @param runs    the folder of run folders the runs panel lists (read, never written)
 * @param host    the address to bind: 127.0.0.1 unless the user says otherwise
 * @param port    the port; 0 takes a free one
 * @param dataDir where a data set's IDX files are, by name (for the mistakes panel)
 */
public record ServeConfig(Models.Loaded model, String noModel, Path runs, String host, int port, Function<String, Path> dataDir) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 2828;
}
