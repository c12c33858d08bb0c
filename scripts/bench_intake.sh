#!/usr/bin/env bash
# Intake over HTTP against `vamyar serve` as deployed (release build, its background workers
# running), driven by wrk, beside the raw durable commit rate of the same engine on the same
# disk measured in the same run.
#
#   scripts/bench_intake.sh [SECONDS=10] [CONNECTIONS=32] [sqlite|postgres]
#
# 1. peer: single-row inserts, each its own durable transaction, one after another —
#    SQLite: the sqlite3 shell on a file beside the server's (WAL, synchronous = full);
#    PostgreSQL: psql, autocommit, on the same server (synchronous_commit on).
# 2. intake: `vamyar serve --demo` on a fresh database (PostgreSQL: the throw-away database
#    vamyar_bench_intake, with --demo-force); the demo desk clerk logs in; wrk (2 threads,
#    CONNECTIONS connections) registers walk-in files for 3 s (not measured), then SECONDS s
#    (measured): each a new person with a valid national ID (scripts/load/intake.lua).
# Prints both rates, the ratio, latency percentiles, the files stored against the answers,
# and the server's peak resident memory. Installs wrk and sqlite3 with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-32}
ENGINE=${3:-sqlite}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PEER_COMMITS=${PEER_COMMITS:-3000}

for tool in wrk sqlite3; do
  if ! command -v "$tool" >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done
# VAMYAR_BIN: an already built binary to measure (e.g. the previous build, for a comparison)
if [ -n "${VAMYAR_BIN:-}" ]; then
  BIN=$VAMYAR_BIN
else
  cargo build --release -q -p vamyar --bin vamyar
  BIN=${CARGO_TARGET_DIR:-target}/release/vamyar
fi
WORK=target/bench/intake-$$
mkdir -p "$WORK"
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }

# --- peer ---------------------------------------------------------------------------------
{
  echo "create table peer (id integer primary key, note text not null);"
  seq 1 "$PEER_COMMITS" | sed 's/.*/insert into peer (id, note) values (&, '"'"'durable'"'"');/'
} > "$WORK/peer.sql"
if [ "$ENGINE" = postgres ]; then
  psql -q "$PG_URL" -c "drop database if exists vamyar_bench_intake" -c "create database vamyar_bench_intake"
  DB_URL="${PG_URL%/*}/vamyar_bench_intake"
  psql -q "$DB_URL" -c "create table peer (id bigint primary key, note text not null)"
  sed 1d "$WORK/peer.sql" > "$WORK/peer_rows.sql"
  t0=$(now); psql -q "$DB_URL" -f "$WORK/peer_rows.sql"; t1=$(now)
  psql -q "$DB_URL" -c "drop table peer"
else
  DB_URL="sqlite://$WORK/vamyar.db"
  t0=$(now)
  sqlite3 "$WORK/peer.db" "pragma journal_mode = wal;" "pragma synchronous = full;" ".read $WORK/peer.sql" >/dev/null
  t1=$(now)
fi
PEER=$(rate "$PEER_COMMITS" "$t0" "$t1")
echo "== $ENGINE · $CONNS connections · $(nproc) cores"
echo "peer: $PEER_COMMITS raw single-row durable commits, one at a time: ${PEER}/s"

# --- the server ---------------------------------------------------------------------------
PORT=$((20000 + $$ % 20000))
FORCE=""; [ "$ENGINE" = postgres ] && FORCE="--demo-force"
"$BIN" serve --addr "127.0.0.1:$PORT" --database-url "$DB_URL" --demo $FORCE > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
TOKEN=$(curl -sf "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"desk","password":"vamyar-demo-pass"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
query() {
  if [ "$ENGINE" = postgres ]; then psql -qtA "$DB_URL" -c "$1"; else sqlite3 "$WORK/vamyar.db" "$1"; fi
}
PROGRAM=$(query "select id from program order by id limit 1")
BEFORE=$(query "select count(*) from application")
URL="http://127.0.0.1:$PORT"
wrk -t2 -c"$CONNS" -d3s -s scripts/load/intake.lua "$URL" -- "$PROGRAM" 07-15 "$TOKEN" 0 >/dev/null
WARM=$(query "select count(*) from application")
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s -s scripts/load/intake.lua "$URL" -- "$PROGRAM" 07-15 "$TOKEN" 20000000 \
  | tee "$WORK/wrk.txt" | grep '^intake:'
AFTER=$(query "select count(*) from application")
echo "files stored: $((AFTER - WARM)) in the measured run ($((WARM - BEFORE)) in the warm-up)"
INTAKE=$(sed -n 's/.* = \([0-9]*\)\/s;.*/\1/p' "$WORK/wrk.txt")
awk -v i="$INTAKE" -v p="$PEER" 'BEGIN { printf "intake / peer = %.2f\n", i / p }'
if ! grep -q '(0 not 201, 0 socket errors)' "$WORK/wrk.txt"; then
  cp "$WORK/serve.log" target/bench/intake-failed-serve.log
  echo "some answers were not 201: the server's log is in target/bench/intake-failed-serve.log"
  grep -iE 'error|warn' "$WORK/serve.log" | tail -5
fi
echo "server peak RSS: $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$SERVER/status")"
if [ "$ENGINE" = postgres ]; then
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  psql -q "$PG_URL" -c "drop database vamyar_bench_intake"
fi
