package io.newslens.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Test only: while installed as the JVM's default {@link ProxySelector}, every connection to
 * another machine is refused and recorded, without a SecurityManager.
 *
 * <p>Java consults the default selector for every {@code java.net.Socket} it connects (the
 * platform socket goes through {@code SocksSocketImpl}, which asks for a proxy for
 * {@code socket://host:port}) and every {@code URL} connection (http, https, ftp): that is how
 * Spark NLP's downloader, the AWS and Google clients, and plain {@code URL.openStream} reach the
 * network. Throwing from {@link #select} aborts the connection before a packet is sent. Loopback
 * is allowed: it is not the network, and the local Spark driver lives there. Not covered: NIO
 * socket channels (Spark's own RPC, Netty, local only in these tests) and name lookups.
 */
final class RefusingProxySelector extends ProxySelector {
  final List<URI> refused = new CopyOnWriteArrayList<>();

  @Override
  public List<Proxy> select(URI uri) {
    String host = uri.getHost();
    if (host != null && isLoopback(host)) {
      return List.of(Proxy.NO_PROXY);
    }
    refused.add(uri);
    throw new IllegalStateException("newslens tests: network access refused: " + uri);
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    // Only literal addresses: resolving a name would itself be a network access.
    if (host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
      try {
        return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  @Override
  public void connectFailed(URI uri, SocketAddress address, IOException e) {}

  /** Runs {@code body} with the selector installed JVM-wide, then puts the previous one back. */
  <T> T during(Supplier<T> body) {
    ProxySelector previous = ProxySelector.getDefault();
    ProxySelector.setDefault(this);
    try {
      return body.get();
    } finally {
      ProxySelector.setDefault(previous);
    }
  }
}
