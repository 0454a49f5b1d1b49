#!/usr/bin/env bash
# Smoke test of the cluster path: runs the whole pipeline through jobs/submit.sh on a real Spark
# standalone cluster (one master, two 1-core workers, loopback only) and checks its outputs.
#
#   bench/cluster-smoke.sh                   # build if needed, start the cluster, run, check, stop
#   bench/cluster-smoke.sh --compare-local   # also run jobs/newslens locally and compare row counts
#                                            # (ClusterRunIT, in mvn verify, compares every row)
#   bench/cluster-smoke.sh --keep            # keep the temp folder (outputs, logs) afterwards
#   bench/cluster-smoke.sh --input DIR       # another corpus than data/
#   bench/cluster-smoke.sh --output DIR      # write the cluster run's tables to DIR (kept)
#   bench/cluster-smoke.sh -- --conf spark.sql.shuffle.partitions=8 -- --topics 4   # more
#       spark-submit options, then (after a second --) more newslens options for the run
# NEWSLENS_SMOKE_TIMEOUT (seconds, default 1800) bounds the pipeline run: a job that never gets
# executors (e.g. spark.executor.memory above the workers' 2g) fails instead of waiting forever.
# NEWSLENS_MVN_ARGS: more arguments for the Maven calls (e.g. -o, offline once ~/.m2 has the jars).
# NEWSLENS_SMOKE_WATCH_PID: stop everything (as on Ctrl-C) as soon as that process is gone, e.g.
# the test JVM that started this script (ClusterRunIT), even if it was killed with SIGKILL.
#
# Needs only Java 17 and Maven. No Spark installation: a throwaway SPARK_HOME is assembled from
# Maven Central jars in target/spark-home (reused next time; NEWSLENS_SPARK_HOME to put it
# elsewhere): jars/ resolved like Spark's own distribution (spark-core, -sql, -mllib with
# Spark's parent POM pinning the versions), an empty conf/, and bin/spark-submit, a stand-in for
# Spark's launcher script that runs org.apache.spark.deploy.SparkSubmit with the same Java 17
# flags and, like the real one, a driver heap of --driver-memory / spark.driver.memory (1g).
# The project's provided-scope jars alone would not do: Spark needs jars such as slf4j-api that
# the project's other dependencies pull in at compile scope (the master fails on org/slf4j/Logger).
#
# Exit 0 when every table has _SUCCESS and manifest.json says it ran on spark://...; non-zero
# with a message otherwise. The cluster is always stopped, also on failure or Ctrl-C.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"

input="data"
output=""
keep=false
compare_local=false
extra_spark_args=()
extra_run_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --input) input="${2:?--input needs a folder}"; shift 2 ;;
    --output) output="${2:?--output needs a folder}"; shift 2 ;;
    --keep) keep=true; shift ;;
    --compare-local) compare_local=true; shift ;;
    --)
      shift
      while [ $# -gt 0 ] && [ "$1" != "--" ]; do extra_spark_args+=("$1"); shift; done
      if [ $# -gt 0 ]; then shift; extra_run_args=("$@"); fi
      break ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "cluster-smoke: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "cluster-smoke: $*" >&2; }
fail() { echo "cluster-smoke: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

command -v java > /dev/null || fail "java not on the PATH"
command -v mvn > /dev/null || fail "mvn not on the PATH"
[ -d "$input" ] || fail "input folder not found: $input"
input="$(cd "$input" && pwd)"
if [ -n "$output" ]; then
  [ ! -e "$output" ] || fail "--output must not exist yet: $output"
  mkdir -p "$(dirname "$output")"
  output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"
fi
read -r -a mvn_args <<< "${NEWSLENS_MVN_ARGS:-}"
script_start="$(now)"

pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$home/pom.xml" | head -n 1
}
spark_version="$(pom_property spark.version)"
scala_binary="$(pom_property scala.binary.version)"
read -r -a opens <<< "$(pom_property spark.java17.opens)"
[ -n "$spark_version" ] && [ -n "$scala_binary" ] && [ "${#opens[@]}" -gt 0 ] \
  || fail "could not read spark.version, scala.binary.version, spark.java17.opens from pom.xml"

# --- 1. the cluster jar -----------------------------------------------------------------------
jar="$(ls "$home"/target/newslens-*-cluster.jar 2> /dev/null | head -n 1 || true)"
if [ -z "$jar" ] || [ -n "$(find "$home/src/main" "$home/pom.xml" -newer "$jar" -print -quit)" ]; then
  say "building the cluster jar (mvn -DskipTests package)..."
  mkdir -p "$home/target"
  mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -f "$home/pom.xml" -DskipTests package > "$home/target/cluster-smoke-build.log" 2>&1 \
    || { cat "$home/target/cluster-smoke-build.log" >&2; fail "build failed (log above)"; }
  jar="$(ls "$home"/target/newslens-*-cluster.jar 2> /dev/null | head -n 1 || true)"
  [ -n "$jar" ] || fail "the build made no target/newslens-*-cluster.jar"
fi

# --- 2. a throwaway SPARK_HOME -------------------------------------------------------------------
SPARK_HOME="${NEWSLENS_SPARK_HOME:-$home/target/spark-home}"
stamp="spark-${spark_version}_${scala_binary}"
if [ ! -f "$SPARK_HOME/.complete-$stamp" ]; then
  say "assembling SPARK_HOME for Spark $spark_version (Scala $scala_binary) in $SPARK_HOME..."
  rm -rf "$SPARK_HOME"
  mkdir -p "$SPARK_HOME/dist" "$SPARK_HOME/conf" "$SPARK_HOME/bin"
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo '<groupId>local.newslens</groupId><artifactId>spark-home</artifactId><version>1</version><packaging>pom</packaging>'
    echo '<dependencyManagement><dependencies><dependency><groupId>org.apache.spark</groupId>'
    echo "<artifactId>spark-parent_${scala_binary}</artifactId><version>${spark_version}</version>"
    echo '<type>pom</type><scope>import</scope></dependency></dependencies></dependencyManagement><dependencies>'
    for module in core sql mllib; do
      echo "<dependency><groupId>org.apache.spark</groupId><artifactId>spark-${module}_${scala_binary}</artifactId><version>${spark_version}</version></dependency>"
    done
    echo '</dependencies></project>'
  } > "$SPARK_HOME/dist/pom.xml"
  # the plugin named in full: no prefix lookup, which needs the network
  mvn -B -q ${mvn_args[@]+"${mvn_args[@]}"} -f "$SPARK_HOME/dist/pom.xml" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DoutputDirectory="$SPARK_HOME/jars" > "$SPARK_HOME/dist/build.log" 2>&1 \
    || { cat "$SPARK_HOME/dist/build.log" >&2; fail "could not resolve Spark's jars (log above)"; }
  touch "$SPARK_HOME/.complete-$stamp"
fi
mkdir -p "$SPARK_HOME/conf" "$SPARK_HOME/bin"
# Written every time, so changes to it here always apply.
cat > "$SPARK_HOME/bin/spark-submit" <<EOF
#!/usr/bin/env bash
# Stand-in for Spark's bin/spark-submit (written by bench/cluster-smoke.sh).
set -euo pipefail
export SPARK_HOME="\${SPARK_HOME:-\$(cd "\$(dirname "\${BASH_SOURCE[0]}")/.." && pwd)}"
memory="\${SPARK_DRIVER_MEMORY:-1g}"
previous=""
for arg in "\$@"; do
  case "\$previous" in
    --driver-memory) memory="\$arg" ;;
    --conf) case "\$arg" in spark.driver.memory=*) memory="\${arg#*=}" ;; esac ;;
  esac
  previous="\$arg"
done
exec java -Xmx"\$memory" ${opens[*]} \${SPARK_SUBMIT_OPTS:-} \\
  -cp "\$SPARK_HOME/conf:\$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit "\$@"
EOF
chmod +x "$SPARK_HOME/bin/spark-submit"
export SPARK_HOME

# --- 3. the cluster ------------------------------------------------------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/newslens-cluster-smoke.XXXXXX")"
logs="$tmp/logs"
mkdir -p "$logs"
pids=()
job=""   # the pipeline run in progress, if any
ok=false

stop_cluster() {
  local pid child children=()
  for pid in "${pids[@]}"; do
    # executors are the workers' children: end them by id too
    while read -r child; do [ -n "$child" ] && children+=("$child"); done \
      < <(ps -o pid= --ppid "$pid" 2> /dev/null || true)
  done
  for pid in "${pids[@]}" "${children[@]}"; do kill "$pid" 2> /dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=false
    for pid in "${pids[@]}" "${children[@]}"; do kill -0 "$pid" 2> /dev/null && alive=true; done
    $alive || break
    sleep 0.2
  done
  for pid in "${pids[@]}" "${children[@]}"; do kill -9 "$pid" 2> /dev/null || true; done
  pids=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$watcher" ]; then kill "$watcher" 2> /dev/null || true; fi
  if [ -n "$job" ] && kill -0 "$job" 2> /dev/null; then
    say "stopping the pipeline run"
    kill "$job" 2> /dev/null || true
    wait "$job" 2> /dev/null || true
  fi
  if [ "${#pids[@]}" -gt 0 ]; then
    say "stopping the cluster"
    stop_cluster
  fi
  if $keep || ! $ok; then
    say "outputs and logs kept in $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
watcher=""
if [ -n "${NEWSLENS_SMOKE_WATCH_PID:-}" ]; then
  # $$ is this script also inside the subshell
  ( while kill -0 "$NEWSLENS_SMOKE_WATCH_PID" 2> /dev/null; do sleep 1; done
    echo "cluster-smoke: process $NEWSLENS_SMOKE_WATCH_PID is gone: stopping" >&2
    kill -TERM $$ ) &
  watcher=$!
fi

free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      echo "$port"
      return 0
    fi
  done
  fail "no free port found"
}

# Runs a command in the background and waits for it, so that a signal to this script is handled
# at once (bash runs traps only after a foreground command ends). Sets rc.
#   run_job STDOUT_FILE STDERR_FILE COMMAND...
run_job() {
  local stdout="$1" stderr="$2"
  shift 2
  "$@" > "$stdout" 2> "$stderr" &
  job=$!
  set +e
  wait "$job"
  rc=$?
  set -e
  job=""
}

# waits until a log has a line, or fails if its process died or time ran out
wait_for() {
  local what="$1" log="$2" pattern="$3" pid="$4" seconds="$5"
  local deadline=$((SECONDS + seconds))
  until grep -q "$pattern" "$log" 2> /dev/null; do
    if ! kill -0 "$pid" 2> /dev/null; then
      tail -n 30 "$log" >&2
      fail "$what exited while starting (log above; $log)"
    fi
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$log" >&2; fail "$what not ready after ${seconds}s ($log)"; }
    sleep 0.5
  done
}

export SPARK_LOCAL_IP=127.0.0.1
export SPARK_SCALA_VERSION="$scala_binary"   # else executors fail with "Cannot find any build directories"
export SPARK_LOCAL_DIRS="$tmp/local"
daemon_cp="$SPARK_HOME/conf:$SPARK_HOME/jars/*"
master_port="$(free_port)"
master_ui="$(free_port)"
master_url="spark://127.0.0.1:$master_port"

cluster_start="$(now)"
java -Xmx1g "${opens[@]}" -cp "$daemon_cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui" > "$logs/master.log" 2>&1 &
pids+=($!)
wait_for "master" "$logs/master.log" "I have been elected leader" "${pids[0]}" 90
for n in 1 2; do
  mkdir -p "$tmp/worker$n"
  worker_ui="$(free_port)"
  java -Xmx1g "${opens[@]}" -cp "$daemon_cp" org.apache.spark.deploy.worker.Worker "$master_url" \
    --host 127.0.0.1 --cores 1 --memory 2g --webui-port "$worker_ui" --work-dir "$tmp/worker$n" \
    > "$logs/worker$n.log" 2>&1 &
  pids+=($!)
done
wait_for "worker 1" "$logs/worker1.log" "Successfully registered with master" "${pids[1]}" 90
wait_for "worker 2" "$logs/worker2.log" "Successfully registered with master" "${pids[2]}" 90
say "cluster up at $master_url (2 workers x 1 core, 2g) in $(secs "$cluster_start" "$(now)") s; logs in $logs"

# --- 4. the pipeline through jobs/submit.sh -------------------------------------------------------
out="${output:-$tmp/cluster-out}"
say "jobs/submit.sh --master $master_url ... -- run --input $input --output $out"
run_start="$(now)"
run_job "$logs/submit.out" "$logs/submit.err" \
  timeout "${NEWSLENS_SMOKE_TIMEOUT:-1800}" "$home/jobs/submit.sh" --master "$master_url" \
    --conf spark.executor.memory=1g --conf spark.driver.host=127.0.0.1 ${extra_spark_args[@]+"${extra_spark_args[@]}"} \
    -- run --input "$input" --output "$out" ${extra_run_args[@]+"${extra_run_args[@]}"}
run_end="$(now)"
cluster_wall="$(secs "$run_start" "$run_end")"
cat "$logs/submit.out"
if [ "$rc" -eq 124 ]; then
  grep -m 1 'has not accepted any resources' "$logs/submit.err" >&2 || true
  fail "jobs/submit.sh timed out after ${NEWSLENS_SMOKE_TIMEOUT:-1800}s (driver log: $logs/submit.err)"
elif [ "$rc" -ne 0 ]; then
  grep -v '^\s*at \|INFO\|WARN' "$logs/submit.err" | tail -n 40 >&2 || true
  fail "jobs/submit.sh exited with $rc after ${cluster_wall}s (driver log: $logs/submit.err)"
fi

# --- 5. checks -------------------------------------------------------------------------------------
tables=(ingested rejects articles tokens phrases term_forms)
for table in "${tables[@]}"; do
  [ -f "$out/$table/_SUCCESS" ] || fail "table $table has no _SUCCESS in $out"
done
[ -f "$out/manifest.json" ] || fail "no manifest.json in $out"

# manifest.json is read with the Jackson that Spark ships: only Java needed
cat > "$tmp/ReadManifest.java" <<'EOF'
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.Iterator;
import java.util.Map;

/** Prints "master <run.master>" then "table <name> <rows>" per table. */
public class ReadManifest {
  public static void main(String[] args) throws Exception {
    JsonNode root = new ObjectMapper().readTree(new File(args[0]));
    System.out.println("master " + root.path("run").path("master").asText(""));
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("tables").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> table = it.next();
      System.out.println("table " + table.getKey() + " " + table.getValue().path("rows").asText("?"));
    }
  }
}
EOF
read_manifest() { java -cp "$SPARK_HOME/jars/*" "$tmp/ReadManifest.java" "$1"; }
cluster_manifest="$(read_manifest "$out/manifest.json")" || fail "could not read $out/manifest.json"
master="$(sed -n 's/^master //p' <<< "$cluster_manifest")"
case "$master" in
  spark://*) ;;
  *) fail "manifest.json run.master is '$master', not spark://... : the job did not run on the cluster" ;;
esac
for table in "${tables[@]}"; do
  grep -q "^table $table " <<< "$cluster_manifest" || fail "manifest.json has no rows for table $table"
done
mapfile -t all_tables < <(sed -n 's/^table \([^ ]*\) .*/\1/p' <<< "$cluster_manifest")
executors="$(find "$tmp/worker1" "$tmp/worker2" -mindepth 2 -maxdepth 2 -type d -path '*/app-*' | wc -l)"
[ "$executors" -ge 1 ] || fail "no executor was launched on the workers"
# Each executor logs its finished tasks at INFO in its own stderr (the driver's log is quiet
# unless the run has --verbose): work-dir/app-*/<executor id>/stderr.
tasks="$(for log in "$tmp"/worker*/app-*/*/stderr; do
  [ -f "$log" ] || continue
  n="$(grep -c 'Executor: Finished task' "$log" || true)"
  [ "$n" -gt 0 ] && printf '%s %s\n' "$(basename "$(dirname "$log")")" "$n"
done | awk '{ printf "%sexecutor %s: %s tasks", sep, $1, $2; sep = ", " }')"
[ -n "$tasks" ] || fail "no executor log shows a finished task ($tmp/worker*/app-*/*/stderr)"

echo "cluster: master=$master wall=${cluster_wall}s (jobs/submit.sh, cluster already up); $tasks"
sed -n 's/^table /  rows /p' <<< "$cluster_manifest"

# --- 6. optional: the same run in local mode, compared -----------------------------------------------
if $compare_local; then
  stop_cluster   # the local run gets the machine to itself
  local_out="$tmp/local-out"
  # builds target/classes on first use: not part of the timed run
  "$home/jobs/newslens" --version > /dev/null 2> "$logs/local-build.err" \
    || { cat "$logs/local-build.err" >&2; fail "jobs/newslens could not build"; }
  say "jobs/newslens run --input $input --output $local_out"
  local_start="$(now)"
  run_job "$logs/local.out" "$logs/local.err" "$home/jobs/newslens" run --input "$input" --output "$local_out" \
    ${extra_run_args[@]+"${extra_run_args[@]}"}
  [ "$rc" -eq 0 ] || { tail -n 40 "$logs/local.err" >&2; fail "the local run failed ($logs/local.err)"; }
  local_wall="$(secs "$local_start" "$(now)")"
  cat "$logs/local.out"
  local_manifest="$(read_manifest "$local_out/manifest.json")" || fail "could not read $local_out/manifest.json"
  echo "local:   master=$(sed -n 's/^master //p' <<< "$local_manifest") wall=${local_wall}s"
  printf '  %-12s %10s %10s\n' table cluster local
  differ=false
  for table in "${all_tables[@]}"; do
    c="$(sed -n "s/^table $table //p" <<< "$cluster_manifest")"
    l="$(sed -n "s/^table $table //p" <<< "$local_manifest")"
    mark=""; [ "$c" = "$l" ] || { mark="  DIFFERENT"; differ=true; }
    printf '  %-12s %10s %10s%s\n' "$table" "$c" "$l" "$mark"
  done
  if $differ; then fail "row counts differ between the cluster and the local run"; fi
fi

ok=true
echo "cluster-smoke: OK (total $(secs "$script_start" "$(now)") s)"
