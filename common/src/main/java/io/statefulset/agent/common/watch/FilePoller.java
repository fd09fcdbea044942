package io.statefulset.agent.common.watch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at every {@link Reloadable} on one daemon thread at a fixed interval, so that a rotation is noticed (logged,
 * shown in the metrics, the grace period started) even while nobody uses the value. Users that need the newest value
 * at once also ask {@link Reloadable#current()}, which checks on use.
 */
public final class FilePoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FilePoller.class);
    /** Kubernetes takes up to a minute to update a mounted Secret; a few seconds more are not worth more reads. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);

    private final List<Reloadable<?>> watched = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "file-poller");
        t.setDaemon(true);
        return t;
    });

    public FilePoller(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::pollAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public <T> Reloadable<T> watch(Reloadable<T> r) {
        watched.add(r);
        return r;
    }

    private void pollAll() {
        for (Reloadable<?> r : watched) {
            try {
                r.refresh();
            } catch (RuntimeException e) {
                // A listener's bug must not stop the other files from being watched.
                log.warn("checking {} for changes failed: {}", r.what(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
