package dev.carafe.server.http1;

/**
 * When a connection's current wait must give up. Reads and writes wait untimed (a timed park
 * costs a timer task per call, which halved throughput when measured); instead they arm a
 * deadline here and the {@link Reaper} ends the wait of any connection past it: a read by waking
 * it (it then reports a timeout; the connection can still answer), a write by closing the socket
 * (a client that does not read gets nothing more).
 *
 * <p>Arming reads no clock: the reaper starts the countdown when it first sees the deadline
 * armed. A deadline so fires between one and two reaper ticks late, never early, and a request
 * costs two volatile writes rather than a clock read per wait. (Stamping with the reaper's last
 * tick instead made deadlines fire early when the reaper was starved of CPU.)
 */
final class Deadline {
    private final PolledSocket socket;
    private long timeoutNanos; // published by the volatile write of armed
    private boolean writing;
    private volatile long armed; // which wait is armed; 0 when none is
    private long generation; // the owner's count of waits armed
    private volatile boolean expired;
    // The reaper's own view: which wait it has seen, and when that wait expires.
    private long seen;
    private long at;

    Deadline(PolledSocket socket) {
        this.socket = socket;
    }

    /** Arms a read that gives up {@code millis} after the reaper first sees it. */
    void armRead(long millis) {
        arm(millis, false);
    }

    /** Arms a write that gives up {@code millis} after the reaper first sees it. */
    void armWrite(long millis) {
        arm(millis, true);
    }

    private void arm(long millis, boolean write) {
        timeoutNanos = millis * 1_000_000L;
        writing = write;
        armed = ++generation;
    }

    void disarm() {
        armed = 0;
    }

    /** Whether a wait was ended by the reaper; the connection is then unusable. */
    boolean expired() {
        return expired;
    }

    /** Called by the reaper with its clock: starts the countdown of a newly armed wait, ends one past its deadline. */
    void check(long now) {
        long wait = armed;
        if (wait == 0 || expired) return;
        if (wait != seen) {
            seen = wait;
            at = now + timeoutNanos;
            return;
        }
        if (now - at < 0) return;
        expired = true;
        if (writing) socket.close();
        else socket.wake();
    }
}
