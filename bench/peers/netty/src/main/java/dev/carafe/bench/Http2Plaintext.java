package dev.carafe.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The Netty peer's TLS mode: the JDK's SSLEngine with ALPN (h2, http/1.1) and, for h2, a
 * frame-level handler in the style of Netty's own hello-world example: each HEADERS frame that
 * ends its stream gets a HEADERS frame and a DATA frame back on the same stream, flushed per read
 * batch. Only {@code /plaintext} is served over h2 (the TLS workloads use nothing else); other
 * paths get 404.
 */
final class Http2Plaintext extends ChannelDuplexHandler {
    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    private static final ByteBuf NOT_FOUND = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Not Found".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    static SslContext sslContext(PeerTls tls) throws Exception {
        return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
                .sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    /** After the handshake: the h2 pipeline or the HTTP/1.1 one, by what ALPN selected. */
    static final class Negotiation extends ApplicationProtocolNegotiationHandler {
        Negotiation() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2Plaintext());
            } else {
                Peer.http1(ctx.pipeline());
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
            boolean found = "/plaintext".contentEquals(headers.headers().path());
            ByteBuf body = (found ? HELLO : NOT_FOUND).duplicate();
            Http2Headers reply = new DefaultHttp2Headers()
                    .status((found ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND).codeAsText())
                    .set("content-type", "text/plain")
                    .setInt("content-length", body.readableBytes())
                    .set("date", Dates.now());
            ctx.write(new DefaultHttp2HeadersFrame(reply).stream(headers.stream()));
            ctx.write(new DefaultHttp2DataFrame(body, true).stream(headers.stream()));
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
