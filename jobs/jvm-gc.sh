# The garbage collector of the JVMs started from this repository (jobs/newslens and the
# benchmarks, for newslens and the reference jobs alike), as a bash array: the parallel
# (throughput) collector, unless JAVA_OPTS already chooses one. A batch job wants throughput, not
# short pauses: with the JVM's default, G1, its write barriers and concurrent threads cost the
# stages CPU time that the two cores of a laptop do not have to spare (see the README's
# performance section). Sourced, so there is one copy.
# shellcheck disable=SC2034
gc_options=(-XX:+UseParallelGC)
for jvm_option in ${JAVA_OPTS:-}; do
  case "$jvm_option" in
    -XX:+Use*GC) gc_options=() ;;
  esac
done
unset jvm_option
