package io.statefulset.agent.serve;

/**
 * Where {@code serve}'s stop request comes from: SIGTERM when the agent is its own process ({@link #sigterm()}), the
 * embedding program (a test) when {@code serve} runs inside another JVM.
 */
public interface StopSignal {
    /**
     * Arranges for {@code stop} to run once, on a thread of the signal's own, when a stop is requested.
     *
     * @return what {@code serve} calls once it has ended, however it ended
     */
    Watch watch(Runnable stop);

    /** A stop request being watched for. */
    interface Watch {
        /**
         * {@code serve} ended with {@code exitCode}: stop watching; if a stop request is what ended it, the
         * requester learns the code.
         */
        void served(int exitCode);
    }

    /** SIGTERM (and SIGINT) of this JVM, ending the process with {@code serve}'s exit code. */
    static StopSignal sigterm() {
        return new SigtermStop();
    }
}
