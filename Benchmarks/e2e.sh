#!/usr/bin/env bash
# End-to-end throughput: goujid with N parse workers, the release binaries, DOCS distinct documents
# (copies of the seeds made distinct by trailing blank lines, so each has its own doc_id and parses
# to the same tables), from `gouji ingest --wait` to every document stored. Prints documents/s.
set -euo pipefail
BIN=${BIN:-.build/release}
SEEDS=${SEEDS:-../shared/seeds}
DOCS=${DOCS:-500}
WORKERS=${WORKERS:-2}
work=$(mktemp -d /tmp/gouji-e2e.XXXXXX)
trap 'GOUJI_HOME=$work/home "$BIN/gouji" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/in"
seeds=("$SEEDS"/*.txt)
for ((i = 0; i < DOCS; i++)); do
  src=${seeds[i % ${#seeds[@]}]}
  { cat "$src"; printf '%*s' "$((i / ${#seeds[@]} + 1))" '' | tr ' ' '\n'; } > "$work/in/$i.txt"
done
export GOUJI_HOME=$work/home
"$BIN/gouji" up --workers "$WORKERS" >/dev/null
start=$(date +%s.%N)
"$BIN/gouji" ingest "$work/in" --wait >/dev/null
end=$(date +%s.%N)
stored=$("$BIN/gouji" sql "SELECT count(*) FROM documents" --format csv | tail -1)
awk -v n="$DOCS" -v s="$start" -v e="$end" -v w="$WORKERS" -v stored="$stored" 'BEGIN {
  printf "end to end: %d documents (%d stored) with %d parse workers in %.1f s = %.1f documents/s\n", n, stored, w, e - s, n / (e - s) }'
