#!/usr/bin/env bash
# Benchmarks (not tests; see docs/PERFORMANCE.md): schedule generation, then `vamyar seed`
# and one day of `vamyar cob` over N synthetic active loans (36 installments each) on SQLite
# and on PostgreSQL, all in release mode.
#
#   scripts/bench.sh [N] [sqlite|postgres|both]
#
# Then the day's payments are simulated and the next day is closed as well. Needs the
# sqlite3 and psql command-line clients. N defaults to 1000000. PostgreSQL: PG_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# names a server whose user may create databases; the benchmark database BENCH_DB (default
# `vamyar_bench`) is dropped and created. AS_OF (default 2026-03-15) is the business date that is closed.
# Output goes to the terminal and to target/bench/*.log.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000000}
ENGINES=${2:-both}
AS_OF=${AS_OF:-2026-03-15}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BENCH_DB=${BENCH_DB:-vamyar_bench}
OUT=target/bench
mkdir -p "$OUT"

# VAMYAR_BIN: an already built binary to measure (e.g. a copy kept while the sources change)
if [ -n "${VAMYAR_BIN:-}" ]; then
  BIN=$VAMYAR_BIN
else
  cargo build --release -p vamyar
  BIN=target/release/vamyar
fi
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)" GiB"}' /proc/meminfo) RAM"

if [ "${SKIP_SCHEDULE:-0}" != 1 ]; then
  echo "== schedule generation"
  cargo bench -p vamyar-domain --bench schedule 2>/dev/null | tee "$OUT/schedule.log"
fi

# The bank's payments of one day, simulated in SQL (not through the API, whose throughput is
# measured separately): 97 % of the installments that fell due on $1, on loans not in
# arrears, are paid in full that day (stored `pending`; `due` by builds before migration
# 0025). The triggers keep loans' principal repaid and the portfolio ledger as a payment would.
pay_sql() {
  cat <<SQL
update installment set principal_paid = principal_due, fee_paid = fee_due, status = 'paid',
    paid_on = due_on, updated_at = '${1}T12:00:00.000000Z'
where status <> 'paid' and status in ('pending', 'due') and due_on = '$1' and id % 100 < 97
    and loan_id in (select id from loan where arrears_bucket = 'current');
SQL
}

run_engine() {
  local name=$1 url=$2 sql=$3
  echo "== $name: seed $N loans as of $AS_OF"
  /usr/bin/env time -f "seed wall %e s, max RSS %M KiB" \
    "$BIN" --database-url "$url" seed --applicants "$N" --loans --as-of "$AS_OF" --demo-force \
    2>&1 | tr '\r' '\n' | grep -v '^\s*$' | tail -n 3 | tee "$OUT/$name-seed.log"
  if [ "$name" = postgres ]; then
    # what autovacuum would do after a bulk load, so the run does not wait on it
    $sql -c "vacuum (analyze) installment" -c "vacuum (analyze) loan" -c "vacuum (analyze) outbox"
  fi
  echo "== $name: cob --date $AS_OF"
  /usr/bin/env time -f "cob wall %e s (process start, migrations check and connection included)" \
    "$BIN" --database-url "$url" cob --date "$AS_OF" 2>&1 | grep -v ' INFO ' | tee "$OUT/$name-cob.log"
  echo "== $name: cob --date $AS_OF again (already done)"
  "$BIN" --database-url "$url" cob --date "$AS_OF" 2>&1 | grep -v ' INFO ' | tee -a "$OUT/$name-cob.log"
  local next
  next=$(date -d "$AS_OF + 1 day" +%F)
  echo "== $name: the day's payments, then cob --date $next"
  pay_sql "$AS_OF" | $sql
  /usr/bin/env time -f "cob wall %e s" \
    "$BIN" --database-url "$url" cob --date "$next" 2>&1 | grep -v ' INFO ' | tee -a "$OUT/$name-cob.log"
}

if [ "$ENGINES" = sqlite ] || [ "$ENGINES" = both ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/vamyar-bench-XXXXXX")
  run_engine sqlite "sqlite://$DIR/bench.db" "sqlite3 $DIR/bench.db"
  du -sh "$DIR" | sed 's/^/sqlite database size: /'
  rm -rf "$DIR"
fi

if [ "$ENGINES" = postgres ] || [ "$ENGINES" = both ]; then
  psql "$PG_URL" -q -c "drop database if exists $BENCH_DB" -c "create database $BENCH_DB"
  BENCH_URL="${PG_URL%/*}/$BENCH_DB"
  run_engine postgres "$BENCH_URL" "psql -q $BENCH_URL"
  psql "$BENCH_URL" -Atc "select 'postgres database size: ' || pg_size_pretty(pg_database_size(current_database()))"
fi
