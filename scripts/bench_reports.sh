#!/usr/bin/env bash
# Benchmark (not a test; see docs/PERFORMANCE.md): every report over 1,000,000 files with
# active loans (`vamyar seed --applicants N --loans`), plus WAITING files waiting in agency
# stages (default 0), for a national administrator, a province administrator and a bank
# officer, on SQLite and on PostgreSQL.
#
#   scripts/bench_reports.sh [N] [sqlite|postgres|both]
#
# N defaults to 1000000. PostgreSQL: PG_URL (default postgres://postgres@127.0.0.1:5432/postgres);
# the database BENCH_DB (default vamyar_bench_reports) is dropped and created.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
ENGINES=${2:-both}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BENCH_DB=${BENCH_DB:-vamyar_bench_reports}
AS_OF=${AS_OF:-2026-12-01}
WAITING=${WAITING:-0}
OUT=target/bench
mkdir -p "$OUT"
cargo build --release -p vamyar --bin vamyar --example reports_bench
BIN=target/release/vamyar
EX=target/release/examples/reports_bench
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

run_engine() {
  local name=$1 url=$2
  echo "== $name: seed $N loans and $WAITING waiting files"
  "$BIN" --database-url "$url" seed --applicants "$N" --loans --seed 2 --as-of "$AS_OF" --demo-force 2>&1 | tr '\r' '\n' | grep -v '^\s*$' | tail -n 1
  if [ "$WAITING" -gt 0 ]; then
    "$BIN" --database-url "$url" seed --applicants "$WAITING" --seed 1 --as-of "$AS_OF" --demo-force 2>&1 | tr '\r' '\n' | grep -v '^\s*$' | tail -n 1
  fi
  "$EX" "$url" 5 | tee "$OUT/reports-$name.log"
}

if [ "$ENGINES" = sqlite ] || [ "$ENGINES" = both ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/vamyar-reports-XXXXXX")
  run_engine sqlite "sqlite://$DIR/bench.db"
  rm -rf "$DIR"
fi
if [ "$ENGINES" = postgres ] || [ "$ENGINES" = both ]; then
  psql "$PG_URL" -q -c "drop database if exists $BENCH_DB" -c "create database $BENCH_DB"
  run_engine postgres "${PG_URL%/*}/$BENCH_DB"
  psql "$PG_URL" -q -c "drop database if exists $BENCH_DB"
fi
