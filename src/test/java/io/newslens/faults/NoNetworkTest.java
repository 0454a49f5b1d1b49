package io.newslens.faults;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No network at run time: the whole pipeline runs with every connection to another machine
 * refused. Guards: offline resources only (no Spark NLP pretrained(), models and word lists in
 * the jar). The probe shows the refusal has teeth: a socket and a URL connection to the
 * network are both stopped and recorded.
 */
class NoNetworkTest {

  @Test
  void aSocketOrAUrlConnectionToTheNetworkIsRefused() {
    RefusingProxySelector offline = new RefusingProxySelector();
    offline.during(() -> {
      // 192.0.2.1 is TEST-NET-1: documentation only, never routed.
      assertThrows(RuntimeException.class, () -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("192.0.2.1", 80), 2000);
        }
      });
      assertThrows(RuntimeException.class,
          () -> URI.create("http://192.0.2.1/model.zip").toURL().openConnection().connect());
      return null;
    });
    assertEquals(List.of(URI.create("socket://192.0.2.1:80"), URI.create("http://192.0.2.1/model.zip")),
        offline.refused);
  }

  @Test
  @Timeout(value = 40, unit = TimeUnit.MINUTES) // a hang guard only
  void thePipelineRunsWithEveryOutgoingConnectionRefused() {
    FaultFixtures.partitionedRun(1); // every stage, under FaultFixtures.OFFLINE; fails unless exit 0
    assertEquals(List.of(), FaultFixtures.OFFLINE.refused, "the pipeline tried no connection");
    // its tables are those of the 4-partition run: PartitioningDeterminismTest compares them
  }
}
