package dev.carafe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Benchmark peer: raw Netty 4.2 (epoll transport when available), no framework. HttpServerCodec
 * plus HttpObjectAggregator (1 MiB) so the POST handler sees whole bodies; Jackson for JSON;
 * routes matched by hand. Responses are flushed per read batch (channelReadComplete), the usual
 * Netty way to coalesce pipelined responses. With {@code --tls-cert/--tls-key}: the JDK's TLS
 * (SslProvider.JDK, no tcnative) with ALPN offering h2 and http/1.1; h2 connections go to
 * {@link Http2Plaintext} (Http2FrameCodec, /plaintext only), http/1.1 to the same handler as above.
 */
public final class Peer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(Args.option(args, "--port", "8080"));
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        PeerTls tls = PeerTls.from(args);
        SslContext ssl = tls == null ? null : Http2Plaintext.sslContext(tls);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(io);
        Channel ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        if (ssl == null) http1(c.pipeline());
                        else c.pipeline().addLast(ssl.newHandler(c.alloc()), new Http2Plaintext.Negotiation());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("Running on " + PeerTls.scheme(tls) + "://127.0.0.1:" + port + (epoll ? "" : " (nio)"));
        ch.closeFuture().sync();
    }

    /** The HTTP/1.1 handlers, over plain TCP or after ALPN chose http/1.1. */
    static void http1(ChannelPipeline p) {
        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
    }

    static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            String path = new QueryStringDecoder(req.uri()).rawPath();
            FullHttpResponse res = switch (path) {
                case "/plaintext" -> response(ctx, HttpResponseStatus.OK, "text/plain", HELLO);
                case "/json" -> response(ctx, HttpResponseStatus.OK, "application/json",
                        JSON.writeValueAsBytes(Map.of("message", "Hello, World!")));
                case "/post" -> {
                    ByteBuf body = req.content();
                    CRC32 crc = new CRC32();
                    crc.update(body.nioBuffer());
                    yield response(ctx, HttpResponseStatus.OK, "text/plain",
                            String.format("%08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
                }
                default -> {
                    String route = Args.route(path);
                    yield route == null
                            ? response(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "Not Found".getBytes(StandardCharsets.US_ASCII))
                            : response(ctx, HttpResponseStatus.OK, "text/plain", route.getBytes(StandardCharsets.UTF_8));
                }
            };
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            var f = ctx.write(res);
            if (!keepAlive) {
                ctx.flush();
                f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.DATE, Dates.now());
            return res;
        }
    }
}
