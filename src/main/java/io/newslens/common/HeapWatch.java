package io.newslens.common;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The driver JVM's heap over one stage, for the manifest: {@code peak_heap_mb}, the most heap
 * in use (live data plus garbage not yet collected), and {@code peak_live_heap_mb}, the most heap
 * still in use right after a collection: the figure that shows whether the driver holds
 * something that grows with the corpus. In local mode the executors share this JVM.
 */
public final class HeapWatch {
  private static final AtomicLong LIVE_AFTER_GC = new AtomicLong();
  private static volatile boolean listening;

  private HeapWatch() {}

  /** Starts a new measurement (the JVM's peaks are global, so stages measure one at a time). */
  public static synchronized void reset() {
    listen();
    LIVE_AFTER_GC.set(0);
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** Sum of the heap pools' peaks since {@link #reset()}, in MB (an upper bound of the peak). */
  public static long peakHeapMb() {
    return heapPools().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum() >> 20;
  }

  /** Most heap in use after a collection since {@link #reset()}, in MB (0: no collection yet). */
  public static long peakLiveHeapMb() {
    return LIVE_AFTER_GC.get() >> 20;
  }

  private static java.util.stream.Stream<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP);
  }

  private static void listen() {
    if (listening) {
      return;
    }
    listening = true;
    java.util.Set<String> heapPoolNames = heapPools().map(MemoryPoolMXBean::getName)
        .collect(java.util.stream.Collectors.toSet());
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPoolNames.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
            LIVE_AFTER_GC.accumulateAndGet(used, Math::max);
          }
        }, null, null);
      }
    }
  }
}
