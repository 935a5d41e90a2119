package dev.carafe.server.websocket;

import dev.carafe.server.Request;
import dev.carafe.server.UpgradedConnection;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.DataFormatException;

/**
 * The server side of one WebSocket connection: reads and checks frames (RFC 6455 §5), reassembles
 * fragmented messages, answers pings, runs the close handshake, and fails the connection with the
 * right close code when the client breaks a rule: {@code 1002} for protocol errors (unmasked
 * frames, reserved bits or opcodes, bad fragmentation or control frames), {@code 1007} for text
 * that is not UTF-8, {@code 1009} for messages over the limit.
 *
 * <p>Sends take a {@link ReentrantLock} (never a monitor: the write may block on a slow client),
 * so any thread may send and every frame leaves whole.
 */
final class WebSocketSession implements WebSocket {
    private static final System.Logger LOG = System.getLogger("dev.carafe.server.websocket");
    private static final int OP_CONT = 0, OP_TEXT = 1, OP_BINARY = 2, OP_CLOSE = 8, OP_PING = 9, OP_PONG = 10;
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private final UpgradedConnection conn;
    private final InputStream in;
    private final OutputStream out;
    private final Request request;
    private final WebSocketOptions options;
    private final String subprotocol;
    private final PerMessageDeflate deflate;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final byte[] head = new byte[14];

    private volatile boolean closeSent;
    private volatile boolean closeReceived;
    private volatile boolean broken;
    private volatile int closeCode;
    private volatile String closeReason = "";

    // reader state: the message being reassembled
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final Utf8Validator utf8 = new Utf8Validator();

    WebSocketSession(UpgradedConnection conn, Request request, WebSocketOptions options, String subprotocol,
                     PerMessageDeflate deflate) {
        this.conn = conn;
        this.in = conn.input();
        this.out = conn.output();
        this.request = request;
        this.options = options;
        this.subprotocol = subprotocol;
        this.deflate = deflate;
    }

    /** Runs {@code handler}, then finishes the close handshake and frees the connection's resources. */
    void run(WebSocketHandler handler) {
        Thread pinger = null;
        if (!options.idleTimeout().isZero()) conn.readTimeout(options.idleTimeout());
        conn.onServerStop(() -> close(CloseCodes.GOING_AWAY, "server stopping"));
        if (!options.pingInterval().isZero()) pinger = Thread.ofVirtual().name("ws-ping").start(this::pingLoop);
        try {
            handler.handle(this);
            if (!closeSent && !broken) close(CloseCodes.NORMAL, "");
            while (!closeReceived && !broken) { // wait for the client's close, dropping late messages
                if (receive() == null) break;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "WebSocket " + request.path() + " ended: " + e);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "WebSocket handler for " + request.path() + " failed", e);
            if (!closeSent && !broken) close(CloseCodes.INTERNAL_ERROR, "");
        } finally {
            if (closeCode == 0) closeCode = CloseCodes.ABNORMAL;
            broken = true;
            if (pinger != null) pinger.interrupt();
            lingeringClose();
            sendLock.lock();
            try {
                if (deflate != null) deflate.end();
            } finally {
                sendLock.unlock();
            }
        }
    }

    private void pingLoop() {
        long millis = options.pingInterval().toMillis();
        try {
            while (isOpen()) {
                Thread.sleep(millis);
                if (isOpen()) ping(new byte[0]);
            }
        } catch (InterruptedException | IOException e) {
            // the connection is over
        }
    }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public Message receive() throws IOException {
        while (!closeReceived && !broken) {
            Message m;
            try {
                m = readFrame();
            } catch (ProtocolError e) {
                fail(e.code, e.getMessage());
                return null;
            } catch (SocketTimeoutException e) {
                if (!closeSent) fail(CloseCodes.GOING_AWAY, "idle timeout");
                else broken = true;
                return null;
            } catch (IOException e) {
                broken = true;
                if (closeCode == 0) closeCode = CloseCodes.ABNORMAL;
                return null;
            }
            if (m != null) return m;
        }
        return null;
    }

    /** Reads one frame: a whole message when it completes one, else {@code null}. */
    private Message readFrame() throws IOException {
        readFully(head, 0, 2);
        int b0 = head[0] & 0xff, b1 = head[1] & 0xff;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int opcode = b0 & 0x0f;
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7f;
        boolean control = opcode >= 8;
        if ((b0 & 0x30) != 0) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "reserved bits set");
        if (opcode > OP_BINARY && opcode < OP_CLOSE || opcode > OP_PONG) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        if (rsv1 && (deflate == null || control || opcode == OP_CONT)) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "RSV1 set without permessage-deflate on a first data frame");
        }
        if (!masked) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
        if (control && (!fin || len > 125)) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "bad control frame");
        if (len == 126) {
            readFully(head, 2, 2);
            len = (head[2] & 0xff) << 8 | head[3] & 0xff;
        } else if (len == 127) {
            readFully(head, 2, 8);
            len = 0;
            for (int i = 2; i < 10; i++) len = len << 8 | head[i] & 0xff;
            if (len < 0) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "64-bit length with the high bit set");
        }
        if (!control) {
            if (opcode == OP_CONT && messageOpcode < 0) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "continuation without a message");
            if (opcode != OP_CONT && messageOpcode >= 0) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "new message inside a fragmented one");
            if (message.size() + len > options.maxMessageBytes()) {
                throw new ProtocolError(CloseCodes.MESSAGE_TOO_BIG, "message larger than " + options.maxMessageBytes() + " bytes");
            }
        }
        byte[] mask = new byte[4];
        readFully(mask, 0, 4);
        byte[] payload = new byte[(int) len];
        readFully(payload, 0, payload.length);
        for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
        if (control) {
            control(opcode, payload);
            return null;
        }
        if (opcode != OP_CONT) {
            messageOpcode = opcode;
            messageCompressed = rsv1;
            utf8.reset();
        }
        if (messageOpcode == OP_TEXT && !messageCompressed && !utf8.feed(payload, 0, payload.length)) {
            throw new ProtocolError(CloseCodes.INVALID_PAYLOAD, "text is not UTF-8");
        }
        message.write(payload);
        if (!fin) return null;
        byte[] data = message.toByteArray();
        message.reset();
        boolean text = messageOpcode == OP_TEXT;
        messageOpcode = -1;
        if (messageCompressed) {
            try {
                data = deflate.decompress(data, options.maxMessageBytes());
            } catch (DataFormatException e) {
                throw new ProtocolError(CloseCodes.INVALID_PAYLOAD, "bad deflate data");
            }
            if (data == null) throw new ProtocolError(CloseCodes.MESSAGE_TOO_BIG, "message larger than " + options.maxMessageBytes() + " bytes");
            if (text && !Utf8Validator.isValid(data, 0, data.length)) throw new ProtocolError(CloseCodes.INVALID_PAYLOAD, "text is not UTF-8");
        } else if (text && !utf8.complete()) {
            throw new ProtocolError(CloseCodes.INVALID_PAYLOAD, "text ends inside a UTF-8 character");
        }
        if (data.length > 64 * 1024) message = new ByteArrayOutputStream(); // don't keep a big buffer for the idle time after
        return new Message(text, data);
    }

    private void control(int opcode, byte[] payload) throws IOException {
        switch (opcode) {
            case OP_PING -> {
                if (!closeSent) {
                    try {
                        sendFrame(OP_PONG, payload, false);
                    } catch (IOException e) {
                        // closing meanwhile: the pong is not owed any more
                    }
                }
            }
            case OP_PONG -> { /* an answer to our ping, or unsolicited: both fine */ }
            default -> { // close
                int code = CloseCodes.NO_STATUS;
                String reason = "";
                if (payload.length == 1) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "close payload of one byte");
                if (payload.length >= 2) {
                    code = (payload[0] & 0xff) << 8 | payload[1] & 0xff;
                    if (!CloseCodes.isValidOnWire(code)) throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
                    if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
                        throw new ProtocolError(CloseCodes.INVALID_PAYLOAD, "close reason is not UTF-8");
                    }
                    reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
                }
                closeCode = code;
                closeReason = reason;
                closeReceived = true;
                if (!closeSent) sendClose(code == CloseCodes.NO_STATUS ? CloseCodes.NORMAL : code, reason); // echo it
            }
        }
    }

    /**
     * Ends the connection cleanly: closing a socket with unread input makes the kernel send a
     * reset that can destroy the close frame still in flight, so first send end-of-stream, then
     * read and drop what the client still sends until it closes too, for a bounded time and amount.
     */
    private void lingeringClose() {
        conn.shutdownOutput();
        conn.readTimeout(java.time.Duration.ofMillis(2000));
        byte[] skip = new byte[8192];
        long budget = Math.max(4L << 20, options.maxMessageBytes() + 65536L);
        try {
            int n;
            while (budget > 0 && (n = in.read(skip)) >= 0) budget -= n;
        } catch (IOException e) {
            // the client reset, or took too long: either way, done
        }
        conn.close();
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) throw new EOFException("connection closed");
            off += n;
            len -= n;
        }
    }

    /** Fails the connection: sends a close frame with {@code code} and stops reading. */
    private void fail(int code, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Failing WebSocket " + request.path() + ": " + code + " " + reason);
        if (!closeSent) {
            try {
                sendClose(code, reason);
            } catch (IOException ignored) {
                // gone already
            }
        }
        if (closeCode == 0) closeCode = CloseCodes.ABNORMAL;
        broken = true;
    }

    // ---- sending ------------------------------------------------------------------------------

    @Override
    public void send(String text) throws IOException {
        sendMessage(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] data) throws IOException {
        sendMessage(OP_BINARY, data);
    }

    private void sendMessage(int opcode, byte[] data) throws IOException {
        if (deflate == null) {
            sendFrame(opcode, data, false);
            return;
        }
        sendLock.lock(); // compressing under the lock keeps the shared compression context in message order
        try {
            checkOpen();
            sendFrame(opcode, deflate.compress(data), true);
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public void ping(byte[] payload) throws IOException {
        if (payload.length > 125) throw new IllegalArgumentException("ping payload over 125 bytes");
        sendFrame(OP_PING, payload, false);
    }

    @Override
    public void close(int code, String reason) {
        if (closeSent || broken) return;
        try {
            sendClose(code, reason);
        } catch (IOException e) {
            broken = true;
            return;
        }
        if (!closeReceived) { // drop the connection if the client never answers
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(CLOSE_WAIT_MILLIS);
                } catch (InterruptedException ignored) {
                    return;
                }
                if (!closeReceived && !broken) conn.close();
            });
        }
    }

    private void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > 123) throw new IllegalArgumentException("close reason over 123 bytes");
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        sendLock.lock();
        try {
            if (closeSent) return;
            closeSent = true;
            writeFrame(OP_CLOSE, payload, false);
        } finally {
            sendLock.unlock();
        }
    }

    private void sendFrame(int opcode, byte[] payload, boolean compressed) throws IOException {
        sendLock.lock();
        try {
            checkOpen();
            writeFrame(opcode, payload, compressed);
        } finally {
            sendLock.unlock();
        }
    }

    private void checkOpen() throws IOException {
        if (closeSent || broken) throw new IOException("WebSocket is closed");
    }

    /** Writes one unmasked frame; the caller holds the send lock. */
    private void writeFrame(int opcode, byte[] payload, boolean compressed) throws IOException {
        try {
            Frames.write(out, opcode, payload, compressed);
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    // ---- state --------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return !closeSent && !broken;
    }

    @Override
    public int closeCode() {
        return closeCode;
    }

    @Override
    public String closeReason() {
        return closeReason;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public boolean compressed() {
        return deflate != null;
    }

    @Override
    public Request request() {
        return request;
    }
}
