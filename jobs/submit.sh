#!/usr/bin/env bash
# Submits newslens to a cluster with spark-submit (YARN, Kubernetes, standalone).
#   jobs/submit.sh [spark-submit options] -- <command> [newslens options]
#   jobs/submit.sh --master yarn --deploy-mode cluster --conf spark.executor.memory=8g \
#       -- run --input hdfs:///news/2007 --output hdfs:///newslens/2007
# Builds target/newslens-*-cluster.jar (Spark and Scala left out) if it is missing.
# Uses $SPARK_HOME/bin/spark-submit, or spark-submit on the PATH.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

spark_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do spark_args+=("$1"); shift; done
if [ $# -eq 0 ]; then
  echo "usage: jobs/submit.sh [spark-submit options] -- <command> [newslens options]" >&2
  exit 2
fi
shift

jar="$(ls "$home"/target/newslens-*-cluster.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$jar" ]; then
  echo "newslens: building the cluster jar..." >&2
  mkdir -p "$home/target"
  commit="$(git -C "$home" rev-parse HEAD 2>/dev/null || true)"
  if [ -n "$commit" ] && ! git -C "$home" diff --quiet HEAD -- src pom.xml 2>/dev/null; then
    commit="$commit-dirty"
  fi
  if ! mvn -B -q -f "$home/pom.xml" -DskipTests -Dnewslens.commit="${commit:-unknown}" package \
      > "$home/target/build.log" 2>&1; then
    cat "$home/target/build.log" >&2
    exit 1
  fi
  jar="$(ls "$home"/target/newslens-*-cluster.jar | head -n 1)"
fi

submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
exec "$submit" --class io.newslens.cli.NewsLens --name newslens "${spark_args[@]}" "$jar" "$@"
