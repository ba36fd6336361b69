package lenet.engine.fused;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed set of threads that run numbered parts of one job: part 0 on the calling thread, the
 * others on daemon threads, and {@link #run} returns when all are done. Which part does which work
 * is the caller's choice and does not depend on timing, so results do not either.
 */
final class Workers implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool; // null with one thread

    Workers(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        this.threads = threads;
        if (threads == 1) {
            this.pool = null;
        } else {
            // Idle threads end after a few seconds, so a pool nobody closes (an engine's network or
            // trainable left to the garbage collector) does not keep its threads for ever.
            ThreadPoolExecutor p = new ThreadPoolExecutor(threads - 1, threads - 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "lenet-fused");
                t.setDaemon(true);
                return t;
            });
            p.allowCoreThreadTimeOut(true);
            this.pool = p;
        }
    }

    int threads() {
        return threads;
    }

    /** Runs {@code part.accept(p)} for p in [0, parts), parts <= threads, and waits for all of them. */
    void run(int parts, IntConsumer part) {
        if (parts > threads) throw new IllegalArgumentException(parts + " parts for " + threads + " threads");
        List<Future<?>> others = new ArrayList<>(parts);
        for (int p = 1; p < parts; p++) {
            int index = p;
            others.add(pool.submit(() -> part.accept(index)));
        }
        Throwable failure = null;
        try {
            if (parts > 0) part.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Wait for every part even when interrupted: the others are still writing into buffers
        // that the caller owns. The interrupt is passed on afterwards.
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
