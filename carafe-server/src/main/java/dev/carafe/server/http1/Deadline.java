package dev.carafe.server.http1;

/**
 * When a connection's current blocking read or write must give up. Reads and writes block
 * untimed (a timed park costs a timer task per call, which halved throughput when measured);
 * instead they arm a deadline here and the {@link Reaper} ends the wait of any connection past it:
 * a read by waking it (it then reports a timeout; the connection can still answer), a write by
 * closing the socket (a client that does not read gets nothing more).
 */
final class Deadline {
    private final PolledSocket socket;
    private volatile long at; // System.nanoTime() units; 0 when nothing is armed
    private volatile boolean writing;
    private volatile boolean expired;

    Deadline(PolledSocket socket) {
        this.socket = socket;
    }

    /**
     * Now plus {@code millis}, as an absolute deadline. Read from the clock itself rather than the
     * reaper's last tick: a reaper starved of CPU for a few hundred milliseconds made deadlines
     * computed from its stale tick fire that much early (a 300 ms idle timeout closed after 100 ms).
     */
    long after(long millis) {
        return System.nanoTime() + millis * 1_000_000L;
    }

    void armRead(long deadline) {
        writing = false;
        at = deadline;
    }

    void armWrite(long millis) {
        writing = true;
        at = after(millis);
    }

    void disarm() {
        at = 0;
    }

    /** Whether a wait was ended by the reaper; the connection is then unusable. */
    boolean expired() {
        return expired;
    }

    /** Called by the reaper with its clock: ends the wait if the deadline has passed. */
    void check(long now) {
        long a = at;
        if (a == 0 || now - a < 0 || expired) return;
        expired = true;
        if (writing) socket.close();
        else socket.wake();
    }
}
