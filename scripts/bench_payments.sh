#!/usr/bin/env bash
# Payments over HTTP (the `payments_bench` example: release build, CLIENTS concurrent clients,
# every answer checked against the payments stored, the audit chain verified) beside the raw
# durable commit rate of the same engine on the same disk, measured in the same run:
#
#   scripts/bench_payments.sh [PAYMENTS=16000] [CLIENTS=32] [sqlite|postgres] [RUNS=1]
#
# 1. peer, one after another: single-row inserts, each its own durable transaction —
#    SQLite: the sqlite3 shell on a file in target/bench (WAL, synchronous = full);
#    PostgreSQL: psql, autocommit (synchronous_commit as the server has it).
# 2. peer, side by side (PostgreSQL): pgbench, CLIENTS connections on 2 threads, each
#    transaction one single-row insert, for PEER_SECONDS (10) — the most durable commits a
#    second the server takes at that concurrency, where each payment is one transaction of
#    eight statements behind an HTTP request. (SQLite has one writer: its peer is the first.)
# 3. the payments.
# Prints each rate and the ratios; with RUNS > 1, the three again, RUNS times.
# PostgreSQL: the server of VAMYAR_TEST_POSTGRES_URL (default the local one; the bench makes
# its own throw-away databases, the peers use vamyar_bench_peer). PAYMENTS_BENCH: an already
# built payments_bench to measure (e.g. the previous build's, for a comparison). Installs
# sqlite3 (and pgbench's package) with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PAYMENTS=${1:-16000}
CLIENTS=${2:-32}
ENGINE=${3:-sqlite}
RUNS=${4:-1}
PEER_COMMITS=${PEER_COMMITS:-3000}
PEER_SECONDS=${PEER_SECONDS:-10}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
export VAMYAR_TEST_POSTGRES_URL=${VAMYAR_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}

command -v sqlite3 >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null
}
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || true)
if [ "$ENGINE" = postgres ] && [ -z "$PGBENCH" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >/dev/null
  PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -1)
fi
if [ -n "${PAYMENTS_BENCH:-}" ]; then
  BENCH=$PAYMENTS_BENCH
else
  cargo build --release -q -p vamyar --example payments_bench
  BENCH=${CARGO_TARGET_DIR:-target}/release/examples/payments_bench
fi
WORK=target/bench/payments-$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# the peers' database on the bench's server (the URL's database swapped for our own)
PEER_URL=$(echo "$VAMYAR_TEST_POSTGRES_URL" | sed -E 's#^(postgres(ql)?://[^/]*)/[^?]*#\1/vamyar_bench_peer#')
if [ "$ENGINE" = postgres ]; then
  psql -q "$VAMYAR_TEST_POSTGRES_URL" -c "drop database if exists vamyar_bench_peer" \
    -c "create database vamyar_bench_peer"
fi
seq 1 "$PEER_COMMITS" | sed 's/.*/insert into peer (note) values ('"'"'durable'"'"');/' > "$WORK/peer.sql"
echo "insert into peer (note) values ('durable');" > "$WORK/pgbench.sql"

for run in $(seq 1 "$RUNS"); do
  if [ "$ENGINE" = postgres ]; then
    psql -q "$PEER_URL" -c "drop table if exists peer" \
      -c "create table peer (id bigint generated always as identity primary key, note text not null)"
    t0=$(now); psql -q "$PEER_URL" -f "$WORK/peer.sql"; t1=$(now)
    SEQ=$(rate "$PEER_COMMITS" "$t0" "$t1")
    psql -q "$PEER_URL" -c "truncate peer"
    SIDE=$("$PGBENCH" -n -M prepared -c "$CLIENTS" -j 2 -T "$PEER_SECONDS" -f "$WORK/pgbench.sql" "$PEER_URL" 2>/dev/null \
      | awk '/^tps/ { printf "%.0f", $3 }')
  else
    rm -f "$WORK"/peer.db*
    sqlite3 "$WORK/peer.db" "pragma journal_mode = wal;" "pragma synchronous = full;" \
      "create table peer (id integer primary key, note text not null);" >/dev/null
    t0=$(now); sqlite3 "$WORK/peer.db" "pragma synchronous = full;" ".read $WORK/peer.sql" >/dev/null; t1=$(now)
    SEQ=$(rate "$PEER_COMMITS" "$t0" "$t1")
    SIDE=""
  fi
  if [ "$ENGINE" = postgres ]; then
    # the bench's databases of earlier runs, so that every run starts on the same server
    for db in $(psql -tA "$VAMYAR_TEST_POSTGRES_URL" -c "select datname from pg_database where datname like 'vamyar_t_%'"); do
      psql -q "$VAMYAR_TEST_POSTGRES_URL" -c "drop database \"$db\""
    done
    OUT=$("$BENCH" "$PAYMENTS" "$CLIENTS" postgres)
  else
    OUT=$("$BENCH" "$PAYMENTS" "$CLIENTS")
  fi
  echo "$OUT" | sed 's/^/  /'
  PAID=$(echo "$OUT" | grep -o '= [0-9]* payments/s' | grep -o '[0-9]*')
  echo "run $run: peer one after another ${SEQ}/s; payments ${PAID}/s = $(ratio "$PAID" "$SEQ") of it"
  if [ -n "$SIDE" ]; then
    echo "run $run: peer side by side ($CLIENTS connections) ${SIDE}/s; payments = $(ratio "$PAID" "$SIDE") of it"
  fi
done
if [ "$ENGINE" = postgres ]; then
  psql -q "$VAMYAR_TEST_POSTGRES_URL" -c "drop database if exists vamyar_bench_peer"
fi
