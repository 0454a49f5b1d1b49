package io.newslens.topics;

import static org.junit.jupiter.api.Assertions.*;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * The objects topics caches in RDDs go through Kryo (the session's serializer) when a cache
 * spills to disk, which only happens on corpora too large for the heap: checked here directly.
 * Kryo's field serializer cannot read a Java record, and a cached record failed the
 * 1,000,000-article benchmark in topics.
 */
class KryoRoundTripTest {
  private static <T> T roundTrip(T value) {
    SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
    return kryo.deserialize(kryo.serialize(value, ClassTag$.MODULE$.apply(value.getClass())),
        ClassTag$.MODULE$.apply(value.getClass()));
  }

  @Test
  void cachedDocumentsSurviveKryo() {
    Topics.IdDoc doc = roundTrip(new Topics.IdDoc("d1", "2020-01", new int[] {3, 1, 4}));
    assertEquals("d1", doc.id());
    assertEquals("2020-01", doc.period());
    assertArrayEquals(new int[] {3, 1, 4}, doc.words());

    GibbsSampler.Doc sampled = roundTrip(new GibbsSampler.Doc("d2", new int[] {5, 9}, new int[] {0, 1}));
    assertEquals("d2", sampled.id);
    assertArrayEquals(new int[] {5, 9}, sampled.words);
    assertArrayEquals(new int[] {0, 1}, sampled.topics);
  }
}
