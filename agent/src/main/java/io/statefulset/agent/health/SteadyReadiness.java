package io.statefulset.agent.health;

/**
 * Keeps /readyz from flapping on one bad (or one good) sample: the verdict in force changes only when
 * {@link #SAMPLES} samples in a row disagree with it. While they agree, the newest one's reason is shown (the lag
 * number stays current). The first sample is taken as it is: there is nothing to flap from. Before it /readyz says
 * not ready, so a first sample that is ready is a change too: a serve that finds replication already running (a
 * restart, or a setup that was quicker than the first sample) still says "now ready" once.
 */
public final class SteadyReadiness {
    /** Consecutive samples that must disagree with the verdict in force before it changes. */
    public static final int SAMPLES = 3;

    private Readiness current;
    private int disagreeing;

    /** @return true when the verdict in force changed from ready to not ready or back */
    public synchronized boolean offer(Readiness sample) {
        if (current == null) {
            current = sample;
            return sample.ready();
        }
        if (sample.ready() == current.ready()) {
            current = sample;
            disagreeing = 0;
            return false;
        }
        if (++disagreeing < SAMPLES) return false;
        current = sample;
        disagreeing = 0;
        return true;
    }

    public synchronized boolean sampled() {
        return current != null;
    }

    /** The verdict in force; empty-handed before the first sample. */
    public synchronized Readiness current() {
        return current != null ? current : Readiness.notReady("no reading of mysqld yet");
    }
}
