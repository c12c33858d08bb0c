#!/usr/bin/env bash
# Benchmark (not a test; see docs/PERFORMANCE.md): the staff queue's first page over N files
# waiting in agency stages plus N/10 disbursed loans (files in the bank's queue), after one
# close of business (which flags the breached stages), on SQLite and on PostgreSQL.
#
#   scripts/bench_queue.sh [N] [sqlite|postgres|both]
#
# N defaults to 1000000. PostgreSQL: PG_URL (default postgres://postgres@127.0.0.1:5432/postgres);
# the database BENCH_DB (default vamyar_bench_queue) is dropped and created.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
ENGINES=${2:-both}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BENCH_DB=${BENCH_DB:-vamyar_bench_queue}
OUT=target/bench
mkdir -p "$OUT"
cargo build --release -p vamyar --example queue_bench
BIN=target/release/vamyar
EX=target/release/examples/queue_bench
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

run_engine() {
  local name=$1 url=$2
  echo "== $name: seed $N waiting files and $((N / 10)) loans"
  "$BIN" --database-url "$url" seed --applicants "$N" --seed 1 --demo-force 2>&1 | tr '\r' '\n' | grep -v '^\s*$' | tail -n 1
  "$BIN" --database-url "$url" seed --applicants "$((N / 10))" --loans --seed 2 --demo-force 2>&1 | tr '\r' '\n' | grep -v '^\s*$' | tail -n 1
  "$BIN" --database-url "$url" cob 2>&1 | grep -v ' INFO ' | tail -n 2
  "$EX" "$url" 200 | tee "$OUT/queue-$name.log"
}

if [ "$ENGINES" = sqlite ] || [ "$ENGINES" = both ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/vamyar-queue-XXXXXX")
  run_engine sqlite "sqlite://$DIR/bench.db"
  rm -rf "$DIR"
fi
if [ "$ENGINES" = postgres ] || [ "$ENGINES" = both ]; then
  psql "$PG_URL" -q -c "drop database if exists $BENCH_DB" -c "create database $BENCH_DB"
  run_engine postgres "${PG_URL%/*}/$BENCH_DB"
  psql "$PG_URL" -q -c "drop database if exists $BENCH_DB"
fi
