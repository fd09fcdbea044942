package io.statefulset.agent.clone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/** What {@link DonorRounds} needs from the world besides the attempt: time, waiting and name resolution. */
interface RoundClock {
    RoundClock SYSTEM = new RoundClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(Math.max(1, d.toMillis()));
        }

        @Override
        public InetAddress resolve(String host) throws UnknownHostException {
            return InetAddress.getByName(host);
        }
    };

    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    /** Asked again on every poll: a peer's DNS name appears only once its pod exists. */
    InetAddress resolve(String host) throws UnknownHostException;
}
