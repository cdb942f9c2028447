package io.macfleet.controller.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's network threads: one per core, where gRPC's default is two per core. Reports are handled on
 * these threads and never block (see {@link AgentCallExecutor}), so more threads than cores add no throughput;
 * they only compete with the single report writer for the cores (docs/benchmarks.md measured 2 against 4 on 2
 * cores). Epoll on Linux, NIO elsewhere (macOS), as gRPC itself picks.
 */
public final class NetworkThreads implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final boolean epoll;

  public NetworkThreads(int threads) {
    this.epoll = Epoll.isAvailable();
    this.boss = new MultiThreadIoEventLoopGroup(
        1,
        new DefaultThreadFactory("grpc-accept", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(
        threads,
        new DefaultThreadFactory("grpc-network", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** One network thread per core this JVM may use. */
  public static NetworkThreads perCore() {
    return new NetworkThreads(Runtime.getRuntime().availableProcessors());
  }

  public NettyServerBuilder applyTo(NettyServerBuilder builder) {
    return builder
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
  }

  /** After the server has terminated: gRPC does not shut down groups it was given. */
  @Override
  public void close() {
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
