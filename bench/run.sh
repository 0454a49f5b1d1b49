#!/usr/bin/env bash
# Scale benchmark (issue 7): newslens against a floor job and a Spark NLP reference on one
# news-like corpus, in one invocation. Builds on first use; see bench/README.md.
#
#   bench/run.sh                          20,000 articles, seed 1
#   bench/run.sh --articles 100000        (also 1000000)
#   bench/run.sh --stages floor,reference,tokenize   a subset; earlier stages run untimed first
#
# Options:
#   --articles N         corpus size (default 20000)
#   --seed S             corpus seed (default 1)
#   --text sample|full|auto   sentences from data/*-sample.jsonl (sample, the default: the same
#                        corpus on every clone) or from the full corpora of jobs/fetch-corpora.sh
#                        in corpora/ (full; fetched if missing); auto = full if corpora/ has them
#   --corpus FILE        benchmark an existing JSON Lines file (fields id, date, text, ...; the
#                        reference jobs read "text") instead of a generated corpus
#   --driver-memory M    -Xmx of every JVM (default 4g)
#   --stages LIST        comma-separated subset of: floor,reference,ingest,clean,tokenize,topics,
#                        entities,run (default all, in that order), and split-check (never by
#                        default): FastSentenceDetector against Spark NLP's SentenceDetector on
#                        every text of the corpus, differences and one-thread speed of each
#   --keep               keep the output tables (default: deleted once measured; logs are kept)
#   --work DIR           outputs and logs (default bench/out/scale-N-sS-TIMESTAMP)
#   --results FILE       CSV to append to (default bench/results/scale.csv)
#   --no-results         do not append to the CSV
# Environment: JAVA_OPTS is passed on to every JVM (before the benchmark's own -Xmx and -Xlog).
set -euo pipefail
# The whole script is one block, so bash has read all of it before it runs: editing this file
# during a long benchmark does not change the running one.
{
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"

articles=20000
seed=1
text=sample
corpus_arg=""
driver_memory=4g
stages_arg=""
keep=0
work=""
results=bench/results/scale.csv
record=1
all_steps=(floor reference ingest clean tokenize topics entities run)
optional_steps=(split-check)
pipeline=(ingest clean tokenize topics entities)
# The stages a whole run reports in manifest.json: the pipeline's, then link and report.
in_run=("${pipeline[@]}" link report)

die() { echo "bench: error: $*" >&2; exit 2; }
need() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) need "$@"; articles="$2"; shift 2 ;;
    --seed) need "$@"; seed="$2"; shift 2 ;;
    --text) need "$@"; text="$2"; shift 2 ;;
    --corpus) need "$@"; corpus_arg="$2"; shift 2 ;;
    --driver-memory) need "$@"; driver_memory="$2"; shift 2 ;;
    --stages) need "$@"; stages_arg="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --work) need "$@"; work="$2"; shift 2 ;;
    --results) need "$@"; results="$2"; shift 2 ;;
    --no-results) record=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown argument $1 (try --help)" ;;
  esac
done
[[ "$articles" =~ ^[1-9][0-9]*$ ]] || die "--articles must be a positive integer"
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer"
[[ "$driver_memory" =~ ^[0-9]+[kKmMgG]?$ ]] || die "--driver-memory must look like 4g or 4096m"
case "$text" in auto|sample|full) ;; *) die "--text must be auto, sample or full" ;; esac

declare -A selected=()
if [ -z "$stages_arg" ]; then
  for s in "${all_steps[@]}"; do selected[$s]=1; done
else
  IFS=',' read -r -a wanted <<< "$stages_arg"
  for s in "${wanted[@]}"; do
    [[ " ${all_steps[*]} ${optional_steps[*]} " == *" $s "* ]] \
      || die "unknown stage '$s' (stages: ${all_steps[*]} ${optional_steps[*]})"
    selected[$s]=1
  done
fi
[ -n "${selected[floor]:-}" ] || echo "bench: warning: floor not selected, so no x floor column" >&2

# ---- Build -------------------------------------------------------------------------------------
echo "bench: building newslens (jobs/newslens builds on first use and when sources changed)" >&2
jobs/newslens --version >/dev/null
classpath_file=target/classpath.txt
if [ ! -s "$classpath_file" ]; then
  mvn -B -q -DskipTests compile dependency:build-classpath -Dmdep.outputFile="$home/$classpath_file" \
    -Dmdep.includeScope=compile > target/bench-scale-build.log 2>&1 \
    || { cat target/bench-scale-build.log >&2; die "build failed"; }
fi
classpath="$home/target/classes:$(cat "$classpath_file")"
bench_classes=target/bench-scale-classes
bench_sources=(bench/src/main/java/io/newslens/bench/*.java)
if [ ! -f "$bench_classes/.built" ] \
   || [ -n "$(find "${bench_sources[@]}" "$classpath_file" target/classes -newer "$bench_classes/.built" -print -quit)" ]; then
  rm -rf "$bench_classes"
  mkdir -p "$bench_classes"
  javac -nowarn -d "$bench_classes" -cp "$classpath" "${bench_sources[@]}" || die "compiling bench/src failed"
  touch "$bench_classes/.built"
fi

# ---- Corpus ------------------------------------------------------------------------------------
if [ -n "$corpus_arg" ]; then
  [ -s "$corpus_arg" ] || die "--corpus $corpus_arg: no such file (or empty)"
  corpus="$(cd "$(dirname "$corpus_arg")" && pwd)/$(basename "$corpus_arg")"
  corpus_dir=""
  text="file:$(basename "$corpus")"
  text_files=("$corpus")
  articles="$(grep -c '[^[:space:]]' "$corpus" || true)"
else
  if [ "$text" = auto ]; then
    if [ -s corpora/europarl.jsonl ] && [ -s corpora/sotu.jsonl ]; then text=full; else text=sample; fi
  fi
  if [ "$text" = full ]; then
    if [ ! -s corpora/europarl.jsonl ] || [ ! -s corpora/sotu.jsonl ]; then
      echo "bench: fetching the full corpora (jobs/fetch-corpora.sh)" >&2
      jobs/fetch-corpora.sh
    fi
    text_files=(corpora/sotu.jsonl corpora/europarl.jsonl)
  else
    text_files=(data/sotu-sample.jsonl data/europarl-sample.jsonl)
  fi
  # The cache key covers the generator and its inputs, so a changed generator makes a new corpus.
  key="$(cat bench/MakeCorpus.java "${text_files[@]}" | sha256sum | cut -c1-10)"
  corpus_dir="bench/corpora/$text-n$articles-s$seed-$key"
  corpus="$corpus_dir/articles.jsonl"
  if [ -s "$corpus" ] && [ -s "$corpus_dir/stats.txt" ]; then
    echo "bench: reusing corpus $corpus" >&2
  else
    echo "bench: making corpus $corpus" >&2
    mkdir -p "$corpus_dir"
    rm -f "$corpus_dir/stats.txt"
    text_args=()
    for f in "${text_files[@]}"; do text_args+=(--text "$f"); done
    java -Xmx1g bench/MakeCorpus.java --articles "$articles" --seed "$seed" --out "$corpus" \
      "${text_args[@]}" --stats "$corpus_dir/stats.txt.tmp"
    mv "$corpus_dir/stats.txt.tmp" "$corpus_dir/stats.txt"
  fi
fi
stat_of() { [ -z "$corpus_dir" ] || sed -n "s/^$1=//p" "$corpus_dir/stats.txt"; }
if [ -z "$corpus_dir" ]; then
  corpus_note="given with --corpus"
else
  corpus_note="sentences from $text: ${text_files[*]};
          reprints $(stat_of reprints), body words median $(stat_of body_words_median), p99 $(stat_of body_words_p99)"
fi
text="${text//,/ }"
corpus_bytes="$(stat -c %s "$corpus")"
corpus_mb="$(awk -v b="$corpus_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')"

# ---- Environment of the steps ------------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
[ -n "$work" ] || work="bench/out/scale-$articles-s$seed-$stamp"
mkdir -p "$work/logs"
work="$(cd "$work" && pwd)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- . ':(exclude)bench/results' 2>/dev/null; then
  commit="$commit-dirty"
fi
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1 | tr -d ',' | tr -s ' ')"
mem_gib="$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
machine="$(nproc) cores; ${mem_gib:-?} GiB; ${cpu_model:-unknown CPU}"
java_version="$(java -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/' | tr -d ',')"

# Spark's own --add-opens list for Java 17.
source "$home/jobs/java17-opens.sh"
opens=("${java17_opens[@]}")
# The collector jobs/newslens chooses, for the reference jobs too: the same JVM for both sides.
source "$home/jobs/jvm-gc.sh"
# The collector goes with the Java version into the results: it changes every figure.
java_version="$java_version ${gc_options[*]:-(GC from JAVA_OPTS)}"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
user_java_opts="${JAVA_OPTS:-}"
gnu_time=""
if /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then gnu_time=/usr/bin/time; fi

declare -A seconds=() heap=() after_gc=() live=() rss=() load=() status=() manifest_heap=() run_parts=()
failed=0

# Runs one step in a fresh JVM: step NAME TIMED(1/0) COMMAND...; JAVA_OPTS carries -Xmx and the
# GC log from which the peak heap is read.
step() {
  local name="$1" timed="$2"
  shift 2
  local log="$work/logs/$name.log" gclog="$work/logs/$name.gc.log" rssfile="$work/logs/$name.rss"
  rm -f "$gclog" "$rssfile"
  local opts="$user_java_opts -Xmx$driver_memory -Xlog:gc,gc+heap+exit:file=$gclog"
  local wrap=()
  [ -z "$gnu_time" ] || wrap=("$gnu_time" -f %M -o "$rssfile")
  load[$name]="$(cut -d' ' -f1 /proc/loadavg)"
  if [ "$timed" = 1 ]; then
    printf 'bench: %-10s ' "$name" >&2
  else
    printf 'bench: %-10s (preparation, not timed) ' "$name" >&2
  fi
  local t0 t1 rc=0
  t0="$(date +%s.%N)"
  current_step="$name"; current_t0="$t0"
  JAVA_OPTS="$opts" "${wrap[@]}" "$@" > "$log" 2>&1 || rc=$?
  t1="$(date +%s.%N)"
  current_step=""
  seconds[$name]="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
  # Peak heap: the most in use at any collection (before it) or at exit; after-GC: the most
  # still in use right after a collection that freed something (young, mixed or full); live: the
  # most in use right after a full collection, the only one that leaves nothing but live objects
  # (after a young one of the parallel collector, the old generation still holds its garbage).
  read -r heap[$name] after_gc[$name] live[$name] < <(awk '
    function mb(v, u) { return u == "G" ? v * 1024 : (u == "K" ? v / 1024 : v + 0) }
    match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/) {
      s = substr($0, RSTART, RLENGTH - 1); split(s, p, "->")
      b = mb(substr(p[1], 1, length(p[1]) - 1), substr(p[1], length(p[1])))
      a = mb(substr(p[2], 1, length(p[2]) - 1), substr(p[2], length(p[2])))
      if (b > peak) peak = b
      if ($0 ~ /Pause (Young|Full)/ && a > after) after = a
      if ($0 ~ /Pause Full/ && a > live) { live = a; full = 1 }
    }
    /garbage-first heap|def new generation|PSYoungGen|total [0-9]+K, used [0-9]+K/ {
      if (match($0, /used [0-9]+K/)) { u = substr($0, RSTART + 5, RLENGTH - 6) / 1024; if (u > peak) peak = u }
    }
    END { printf "%d %d %s\n", peak, after, full ? sprintf("%d", live) : "-" }' "$gclog" 2>/dev/null || echo "0 0 -")
  rss[$name]=""
  [ ! -s "$rssfile" ] || rss[$name]="$(awk '$1 ~ /^[0-9]+$/ { kb = $1 } END { if (kb != "") printf "%d", kb / 1024 }' "$rssfile")"
  if [ "$rc" = 0 ]; then
    status[$name]=ok
    echo "${seconds[$name]} s" >&2
  else
    status[$name]="failed($rc)"
    failed=1
    echo "FAILED (exit $rc) after ${seconds[$name]} s; last lines of $log:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
  fi
  return 0
}

java_step() { # java_step NAME TIMED MAIN ARGS...
  local name="$1" timed="$2" main="$3"
  shift 3
  step "$name" "$timed" bash -c 'exec java $JAVA_OPTS "$@"' java ${gc_options[@]+"${gc_options[@]}"} "${opens[@]}" \
    -Dlog4j2.configurationFile="$home/jobs/log4j2.properties" \
    -cp "$home/$bench_classes:$classpath" "$main" "$@"
}

manifest_stages() { # prints "stage TAB seconds TAB peak_heap_mb" lines of a manifest, if any
  [ -s "$1" ] || return 0
  java -Xmx256m -cp "$home/$bench_classes:$classpath" io.newslens.bench.ManifestStages "$1" 2>/dev/null || true
}

# ---- Table and CSV -----------------------------------------------------------------------------
# Prints the table and appends the CSV rows of the steps measured so far.
report() {
  floor_s=""
  [ "${status[floor]:-}" != ok ] || floor_s="${seconds[floor]}"
  rows=()
  for s in "${all_steps[@]}"; do
    if [ -n "${selected[$s]:-}" ] && [ -n "${seconds[$s]:-}" ]; then rows+=("$s"); fi
  done
  sum_ok=1
  for s in "${pipeline[@]}"; do
    { [ -n "${selected[$s]:-}" ] && [ "${status[$s]:-}" = ok ]; } || sum_ok=0
  done
  if [ "$sum_ok" = 1 ]; then
    local total=0 peak=0 after=0 most_live=-
    for s in "${pipeline[@]}"; do
      total="$(awk -v a="$total" -v b="${seconds[$s]}" 'BEGIN { printf "%.1f", a + b }')"
      [ "${heap[$s]}" -le "$peak" ] || peak="${heap[$s]}"
      [ "${after_gc[$s]}" -le "$after" ] || after="${after_gc[$s]}"
      [ "${live[$s]}" = - ] || { [ "$most_live" != - ] && [ "${live[$s]}" -le "$most_live" ]; } || most_live="${live[$s]}"
    done
    seconds[stages_sum]="$total"; heap[stages_sum]="$peak"; after_gc[stages_sum]="$after"; live[stages_sum]="$most_live"
    status[stages_sum]=ok; load[stages_sum]=""; rss[stages_sum]=""
    rows+=(stages_sum)
  fi

  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.1f", a / b; else printf "" }'; }
  per_s() { awk -v n="$1" -v s="$2" -v d="$3" 'BEGIN { if (s > 0) printf d, n / s; else printf "" }'; }

  label() {
    case "$1" in
      floor) echo "floor (read, regex words, count, Parquet)" ;;
      reference) echo "reference (Spark NLP doc+sentence+token)" ;;
      stages_sum) echo "sum of the five stages" ;;
      run) echo "whole run" ;;
      *) echo "$1" ;;
    esac
  }

  echo
  printf '%-42s %9s %11s %7s %8s %10s %9s %8s %s\n' stage seconds articles/s MB/s "x floor" "heap MB" "after-GC" "live MB" status
  for s in "${rows[@]}"; do
    if [ "${status[$s]}" = ok ]; then
      printf '%-42s %9s %11s %7s %8s %10s %9s %8s %s\n' "$(label "$s")" "${seconds[$s]}" \
        "$(per_s "$articles" "${seconds[$s]}" %.0f)" "$(per_s "$corpus_mb" "${seconds[$s]}" %.2f)" \
        "$(ratio "${seconds[$s]}" "$floor_s")" "${heap[$s]}" "${after_gc[$s]}" "${live[$s]}" "${status[$s]}"
    else
      printf '%-42s %9s %11s %7s %8s %10s %9s %8s %s\n' "$(label "$s")" "${seconds[$s]}" - - - - - - "${status[$s]}"
    fi
  done
  if [ "${#run_parts[@]}" -gt 0 ]; then
    printf '  inside the whole run (manifest.json, in-process seconds):'
    for s in "${in_run[@]}"; do
      [ -z "${run_parts[$s]:-}" ] || printf ' %s %s (%sx floor);' "$s" "${run_parts[$s]}" "$(ratio "${run_parts[$s]}" "$floor_s")"
    done
    echo
  fi
  if [ -n "${seconds[reference]:-}" ] && [ -n "${seconds[tokenize]:-}" ]; then
    echo "  tokenize / reference: $(ratio "${seconds[tokenize]}" "${seconds[reference]}")x"
  fi
  load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  load average after: $load_end (1/5/15 min); per-step 1-minute load at its start is in the CSV"
  echo "  MB = 10^6 bytes of JSON Lines input; heap MB = peak heap in use (GC log: before a collection"
  echo "  or at exit); after-GC = the most still in use right after a collection; live MB = the most"
  echo "  still in use right after a full collection (- if none ran): the step's live objects"

  if [ "$record" = 1 ]; then
    mkdir -p "$(dirname "$results")"
    header="timestamp_utc,commit,machine,java,articles,seed,text,corpus_mb,stage,seconds,articles_per_s,mb_per_s,x_floor,peak_heap_mb,heap_after_gc_mb,manifest_peak_heap_mb,max_rss_mb,load_1m,driver_memory,status,live_after_full_gc_mb"
    if [ ! -s "$results" ]; then
      echo "$header" > "$results"
    elif [ "$(head -n 1 "$results")" != "$header" ] && [[ "$header" == "$(head -n 1 "$results")"* ]]; then
      # A column added at the end: older rows keep their fields and leave it empty.
      sed -i "1s/.*/$header/" "$results"
    fi
    csv_row() { # stage seconds heap after manifest_heap rss load status live
      local rates=",,"
      case "$8" in
        ok|in-run) rates="$(per_s "$articles" "$2" %.1f),$(per_s "$corpus_mb" "$2" %.3f),$(ratio "$2" "$floor_s")" ;;
      esac
      echo "$started,$commit,$machine,$java_version,$articles,$seed,$text,$corpus_mb,$1,$2,$rates,$3,$4,$5,$6,$7,$driver_memory,$8,${9:-}"
    }
    {
      for s in "${rows[@]}"; do
        csv_row "$s" "${seconds[$s]}" "${heap[$s]}" "${after_gc[$s]}" "${manifest_heap[$s]:-}" "${rss[$s]:-}" "${load[$s]:-}" "${status[$s]}" \
          "$([ "${live[$s]:--}" = - ] || echo "${live[$s]}")"
      done
      for s in "${in_run[@]}"; do
        [ -z "${run_parts[$s]:-}" ] || csv_row "run/$s" "${run_parts[$s]}" "" "" "${manifest_heap[run/$s]:-}" "" "" in-run
      done
    } >> "$results"
    echo "  appended to $results"
  fi
}

current_step=""
current_t0=""
# Ctrl-C (or TERM to the process group) still reports the steps that finished.
on_interrupt() {
  trap - INT TERM
  if [ -n "$current_step" ]; then
    seconds[$current_step]="$(awk -v a="$current_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    heap[$current_step]=""; after_gc[$current_step]=""; live[$current_step]=-; rss[$current_step]=""
    status[$current_step]=interrupted
  fi
  echo "bench: interrupted${current_step:+ during $current_step}" >&2
  if [ "$keep" != 1 ] && [ -n "$work" ] && [ -d "$work/logs" ]; then
    rm -rf "$work/floor-out" "$work/stages" "$work/run"
  fi
  failed=1
  report
  exit 130
}
trap on_interrupt INT TERM

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cat <<EOF
newslens scale benchmark, $started
  commit $commit; machine: $machine; java $java_version; driver memory (-Xmx) $driver_memory
  corpus: $corpus ($articles articles, $corpus_mb MB; $corpus_note)
  each step is a fresh JVM, run one after another: JVM start, Spark session start and JIT warm-up
  are inside every figure, the floor's too. The floor runs first (it also warms the OS page cache).
  load average before: $load_start (1/5/15 min; other processes on the machine slow every step)
  outputs and logs: $work
EOF

# ---- Steps -------------------------------------------------------------------------------------
if [ -n "${selected[floor]:-}" ]; then
  java_step floor 1 io.newslens.bench.Floor "$corpus" "$work/floor-out"
  [ "$keep" = 1 ] || rm -rf "$work/floor-out"
fi
if [ -n "${selected[reference]:-}" ]; then
  java_step reference 1 io.newslens.bench.NlpReference "$corpus"
fi
if [ -n "${selected[split-check]:-}" ]; then
  echo "bench: split-check (FastSentenceDetector and FastTokenizer against Spark NLP's, every text; not in the table)" >&2
  java "${opens[@]}" -Xmx"$driver_memory" -Dlog4j2.configurationFile="$home/jobs/log4j2.properties" \
    -cp "$home/$bench_classes:$classpath" io.newslens.bench.SplitCheck "$corpus" \
    2> "$work/logs/split-check.err" | tee "$work/logs/split-check.log" >&2 \
    || die "split-check failed (see $work/logs/split-check.err)"
fi

last_wanted=-1
for i in "${!pipeline[@]}"; do
  [ -z "${selected[${pipeline[$i]}]:-}" ] || last_wanted=$i
done
stages_out="$work/stages"
for i in "${!pipeline[@]}"; do
  [ "$i" -le "$last_wanted" ] || break
  s="${pipeline[$i]}"
  timed=0
  [ -z "${selected[$s]:-}" ] || timed=1
  if [ "$s" = ingest ]; then
    step "$s" "$timed" jobs/newslens ingest --input "$corpus" --output "$stages_out"
  else
    step "$s" "$timed" jobs/newslens "$s" --output "$stages_out"
  fi
done
if [ "$last_wanted" -ge 0 ]; then
  while IFS=$'\t' read -r s _ h; do
    [ -z "$h" ] || manifest_heap[$s]="$h"
  done < <(manifest_stages "$stages_out/manifest.json")
  [ "$keep" = 1 ] || rm -rf "$stages_out"
fi

if [ -n "${selected[run]:-}" ]; then
  step run 1 jobs/newslens run --input "$corpus" --output "$work/run"
  while IFS=$'\t' read -r s sec h; do
    [ -z "$sec" ] || run_parts[$s]="$sec"
    [ -z "$h" ] || manifest_heap[run/$s]="$h"
  done < <(manifest_stages "$work/run/manifest.json")
  [ "$keep" = 1 ] || rm -rf "$work/run"
fi

report
exit "$failed"
}
