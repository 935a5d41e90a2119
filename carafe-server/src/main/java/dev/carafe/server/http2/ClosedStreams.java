package dev.carafe.server.http2;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The most recently closed streams, so frames that arrive for them can be told apart (RFC 9113
 * §5.1): frames racing a reset this side sent are ignored, while frames on a stream the client
 * itself ended are its error; a lower id never seen at all is a protocol error. Bounded: the
 * oldest are forgotten, and frames for those count as frames on a stream never opened.
 */
final class ClosedStreams {
    private final ReentrantLock lock = new ReentrantLock();
    private final int[] ids = new int[256];
    private final boolean[] resetHere = new boolean[256];
    private int next;

    void add(int id, boolean resetByServer) {
        lock.lock();
        try {
            ids[next] = id;
            resetHere[next] = resetByServer;
            next = (next + 1) % ids.length;
        } finally {
            lock.unlock();
        }
    }

    /** 0: not known; 1: closed normally or by the client; 2: reset by this side. */
    int state(int id) {
        lock.lock();
        try {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == id) return resetHere[i] ? 2 : 1;
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }
}
