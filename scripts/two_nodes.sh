#!/usr/bin/env bash
# Two `vamyar serve` nodes on one PostgreSQL database behind haproxy, proven end to end:
#
#   1. builds the binary, installs haproxy (apt) if absent, creates a fresh database
#      (TWO_NODES_DB, default vamyar_two_nodes, on 127.0.0.1:5432 as postgres), migrates it,
#      seeds the demo (`serve --demo --demo-force`) and `seed --applicants N --loans`;
#   2. starts a fake Kavenegar SMS provider (crates/notify/examples/fake_kavenegar.rs) that
#      logs every message it accepts, and takes 400 ms to answer after accepting;
#   3. starts two nodes with the same configuration (SMS worker and close-of-business check
#      every minute in both) and haproxy in front (round robin, health check on /healthz);
#   4. through haproxy only: the desk clerk registers walk-ins and the bank officer posts
#      payments, from several clients at once, recording every acknowledged (2xx) answer;
#   5. kills one node with SIGKILL half-way (the one that ran close of business), while it
#      holds SMS it claimed, and keeps going through haproxy;
#   6. checks with psql that every acknowledged registration and payment is stored exactly
#      once, that no SMS was sent twice, that close of business ran once for the day, and
#      that the audit chain verifies;
#   7. prints a summary; exits 1 when a check failed. Processes are stopped on exit.
#
# Settings (environment): TWO_NODES_PROFILE=release|debug (default release),
# TWO_NODES_DB, TWO_NODES_PORT (haproxy; the nodes use the next two ports, the fake SMS
# provider the one after), TWO_NODES_LOANS (seeded loans, 200), TWO_NODES_SECONDS (length of
# the load, 40), TWO_NODES_KILL_AFTER (seconds into the load, 15), TWO_NODES_CLIENTS (clients
# per kind, 3), TWO_NODES_KEEP=1 keeps the work folder (logs) even when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PROFILE=${TWO_NODES_PROFILE:-release}
DB_NAME=${TWO_NODES_DB:-vamyar_two_nodes}
LB_PORT=${TWO_NODES_PORT:-18080}
NODE_PORTS=($((LB_PORT + 1)) $((LB_PORT + 2)))
SMS_PORT=$((LB_PORT + 3))
LOANS=${TWO_NODES_LOANS:-200}
SECONDS_OF_LOAD=${TWO_NODES_SECONDS:-40}
KILL_AFTER=${TWO_NODES_KILL_AFTER:-15}
CLIENTS=${TWO_NODES_CLIENTS:-3}
DB_URL="postgres://postgres@127.0.0.1:5432/$DB_NAME"
LB="http://127.0.0.1:$LB_PORT"
SMS_KEY="TEST-KEY-0123456789" # the fake's fixed key (vamyar_notify::testing)

WORK=$(mktemp -d /tmp/vamyar-two-nodes.XXXXXX)
PIDS=()
say() { printf '== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

cleanup() {
    local rc=$?
    touch "$WORK/stop" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do
        if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    done
    for pid in "${PIDS[@]}"; do
        if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
    done
    if [ "$rc" -eq 0 ] && [ "${TWO_NODES_KEEP:-0}" != 1 ]; then
        rm -rf "$WORK"
    else
        echo "logs and records kept in $WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits up to $2 seconds for URL $1 to answer 200.
wait_http() {
    for _ in $(seq 1 $(($2 * 10))); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" || true)" = 200 ] && return 0
        sleep 0.1
    done
    echo "no answer from $1 after $2 s" >&2
    return 1
}

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$DB_NAME" -c "$1"; }

# ---------------------------------------------------------------------------------------
say "build ($PROFILE)"
flag=()
[ "$PROFILE" = release ] && flag=(--release)
export CARGO_INCREMENTAL=0
cargo build "${flag[@]}" -p vamyar
# its own invocation: the example's test-support features must not reach the vamyar binary
cargo build "${flag[@]}" -p vamyar-notify --features test-support --example fake_kavenegar
BIN="$ROOT/target/$PROFILE/vamyar"
FAKE="$ROOT/target/$PROFILE/examples/fake_kavenegar"

need=()
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
if [ "${#need[@]}" -gt 0 ]; then
    say "apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
pg_isready -h 127.0.0.1 -p 5432 -q || {
    echo "PostgreSQL is not running on 127.0.0.1:5432" >&2
    exit 1
}

say "fresh database $DB_NAME"
psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "drop database if exists \"$DB_NAME\" with (force)"
psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "create database \"$DB_NAME\" encoding 'UTF8' template template0"

# One configuration for every process: the nodes differ only by --addr.
cat >"$WORK/vamyar.toml" <<EOF
database_url = "$DB_URL"
data_dir = "$WORK/data"
cob_check_minutes = 1          # the smallest: both nodes look every minute

[sms]
provider = "kavenegar"
base_url = "http://127.0.0.1:$SMS_PORT"
# api_key from VAMYAR_SMS__API_KEY
quiet_hours = ""               # send at any hour, so the run does not depend on the clock
interval_ms = 200
lease_secs = 15                # a dead node's claims are taken over after 15 s
timeout_secs = 5

[http]
trusted_proxies = ["127.0.0.1/32"]   # haproxy on this machine
EOF
mkdir -p "$WORK/data"
export VAMYAR_SMS__API_KEY=$SMS_KEY
unset DATABASE_URL
vamyar() { (cd "$WORK" && "$BIN" --config "$WORK/vamyar.toml" "$@"); }

say "migrate, demo, $LOANS disbursed loans"
vamyar migrate
# The demo is seeded by `serve --demo`, which refuses PostgreSQL without --demo-force. This
# one-off server runs neither close of business nor the SMS worker, and is stopped at once.
(cd "$WORK" && VAMYAR_COB_CHECK_MINUTES=0 VAMYAR_SMS__WORKER=false \
    exec "$BIN" --config "$WORK/vamyar.toml" serve --demo --demo-force \
    --addr "127.0.0.1:${NODE_PORTS[0]}") >"$WORK/demo.log" 2>&1 &
demo_pid=$!
PIDS+=("$demo_pid")
wait_http "http://127.0.0.1:${NODE_PORTS[0]}/healthz" 60
kill -TERM "$demo_pid"
wait "$demo_pid" || true
PIDS=()
grep -q '^Demo accounts' "$WORK/demo.log"
vamyar seed --applicants "$LOANS" --loans --demo-force 2>"$WORK/seed.log" # (its progress bar)

say "fake SMS provider on :$SMS_PORT"
# it accepts (and logs) a message at once and answers 400 ms later, so a node killed while
# sending leaves messages the provider took but the node never recorded as sent
"$FAKE" "127.0.0.1:$SMS_PORT" "$WORK/sms-sent.jsonl" 400 >"$WORK/fake.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$SMS_PORT/" && break
    sleep 0.1
done

say "two nodes on :${NODE_PORTS[0]} and :${NODE_PORTS[1]}, haproxy on :$LB_PORT"
# the business date the nodes' first close-of-business check runs (Tehran)
TODAY=$(TZ=Asia/Tehran date +%F)
NODE_PIDS=()
for i in 0 1; do
    # the worker logs each message's outcome at debug (ids and outcomes only)
    (cd "$WORK" && RUST_LOG=info,sqlx=warn,vamyar_notify=debug exec "$BIN" \
        --config "$WORK/vamyar.toml" serve --addr "127.0.0.1:${NODE_PORTS[$i]}") \
        >"$WORK/node$((i + 1)).log" 2>&1 &
    NODE_PIDS+=($!)
    PIDS+=($!)
done
started=$(date +%s)
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 512

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch        # a connection refused by a dead node is retried on the other
    option forwardfor        # X-Forwarded-For: vamyar trusts it from 127.0.0.1 only

frontend vamyar
    bind 127.0.0.1:$LB_PORT
    default_backend nodes

backend nodes
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    server node1 127.0.0.1:${NODE_PORTS[0]} check
    server node2 127.0.0.1:${NODE_PORTS[1]} check
EOF
haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
PIDS+=($!)
for p in "${NODE_PORTS[@]}"; do wait_http "http://127.0.0.1:$p/healthz" 60; done
wait_http "$LB/healthz" 30
sleep 2 # both servers marked up

login() {
    curl -sf --max-time 30 "$LB/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"vamyar-demo-pass\"}" | jq -er .token
}
DESK=$(login desk)
BANK=$(login bank)
PROGRAM=$(q "select id from program where code like 'demo-%' order by id limit 1")
q "select l.id from loan l join bank b on b.id = l.bank_id
   where l.status = 'active' and b.code = 'mehr' order by l.id" >"$WORK/loans.txt"
mapfile -t LOAN_IDS <"$WORK/loans.txt"
[ "${#LOAN_IDS[@]}" -gt 0 ] || {
    echo "no active loans of the bank officer's bank" >&2
    exit 1
}

# A national ID with its check digit, from a number (8 followed by eight digits).
national_id() {
    local base d sum=0 r i
    base=$(printf '8%08d' "$1")
    for i in 0 1 2 3 4 5 6 7 8; do
        d=${base:$i:1}
        sum=$((sum + d * (10 - i)))
    done
    r=$((sum % 11))
    [ "$r" -lt 2 ] && echo "$base$r" || echo "$base$((11 - r))"
}

# One desk clerk's client: registers walk-ins until told to stop. A request without an
# answer (connection cut, 5xx) is sent again, as a clerk would; a 409 then means an earlier
# attempt was stored but its answer lost (not acknowledged).
registrar() {
    local c=$1 k=0 n nid code body out="$WORK/reg-$1.txt" resp="$WORK/reg-$1.json"
    while [ ! -e "$WORK/stop" ]; do
        k=$((k + 1))
        n=$((c * 100000 + k))
        nid=$(national_id "$n")
        body=$(jq -nc --argjson p "$PROGRAM" --arg nid "$nid" --arg mobile "$(printf '0935%07d' "$n")" \
            '{program_id: $p, loan_type: "self_employment", requested_amount: 1500000000,
              applicant: {national_id: $nid, first_name: "زهرا", last_name: "احمدی",
                gender: "female", mobile: $mobile, province: "07", county: "07-15",
                female_head_of_household: true, household_size: 3, income_decile: 2},
              business: {title: "خیاطی خانگی", jobs_planned: 2}}')
        echo "try $nid" >>"$out"
        for _ in 1 2 3 4 5; do
            code=$(curl -s -o "$resp" -w '%{http_code}' --max-time 15 "$LB/api/v1/applications" \
                -H "authorization: Bearer $DESK" -H 'content-type: application/json' \
                -d "$body" || true)
            case "$code" in
            201)
                echo "ack $nid $(jq -r '"\(.id) \(.tracking_code)"' "$resp")" >>"$out"
                break
                ;;
            409)
                echo "unknown $nid" >>"$out"
                break
                ;;
            000 | 5??) echo "retry $nid $code" >>"$out" ;;
            *)
                echo "refused $nid $code $(head -c 300 "$resp")" >>"$out"
                break
                ;;
            esac
            sleep 0.2
        done
    done
}

# One bank's client: posts payments until told to stop, each reference until it gets a
# definitive answer (a repeated reference is answered 200 with the stored payment).
payer() {
    local c=$1 k=0 ref loan amount code body out="$WORK/pay-$1.txt" resp="$WORK/pay-$1.json"
    while [ ! -e "$WORK/stop" ]; do
        k=$((k + 1))
        ref="TN-$c-$k"
        loan=${LOAN_IDS[$(((c * 7 + k) % ${#LOAN_IDS[@]}))]}
        amount=$((100000 + (c * 7919 + k * 104729) % 900000))
        body="{\"amount\":$amount,\"paid_on\":\"$TODAY\",\"bank_reference\":\"$ref\"}"
        echo "try $ref" >>"$out"
        for _ in $(seq 1 100); do
            code=$(curl -s -o "$resp" -w '%{http_code}' --max-time 15 \
                "$LB/api/v1/loans/$loan/payments" -H "authorization: Bearer $BANK" \
                -H 'content-type: application/json' -d "$body" || true)
            case "$code" in
            200 | 201)
                echo "ack $ref $loan $amount $code" >>"$out"
                break
                ;;
            000 | 5??) echo "retry $ref $code" >>"$out" ;;
            *)
                echo "refused $ref $code $(head -c 300 "$resp")" >>"$out"
                break
                ;;
            esac
            sleep 0.1
        done
    done
}

LOAD_START=$(date -u +%Y-%m-%dT%H:%M:%S)
say "load through haproxy: $CLIENTS registering, $CLIENTS paying, ${SECONDS_OF_LOAD}s"
LOAD_PIDS=()
for c in $(seq 1 "$CLIENTS"); do
    registrar "$c" &
    LOAD_PIDS+=($!)
    PIDS+=($!)
    payer "$c" &
    LOAD_PIDS+=($!)
    PIDS+=($!)
done
sleep "$KILL_AFTER"

# Close of business ran at the nodes' start (in one of them); kill the node that ran it.
for _ in $(seq 1 60); do
    [ "$(q "select status from cob_run where business_date = '$TODAY'")" = "done" ] && break
    sleep 1
done
# the lease's holder is `serve-PID-UUID`
cob_pid=$(q "select holder from lease where name = 'cob'" | cut -d- -f2)
victim=0
[ "$cob_pid" = "${NODE_PIDS[1]}" ] && victim=1
ran_cob=$(grep -l 'close of business done' "$WORK"/node1.log "$WORK"/node2.log | xargs -n1 basename 2>/dev/null | tr '\n' ' ' || true)
# ... at a moment when it holds claimed SMS (its worker id is `wPID-…`)
claimed=0
for _ in $(seq 1 100); do
    claimed=$(q "select count(*) from outbox where status = 'sending'
                 and locked_by like 'w${NODE_PIDS[$victim]}-%'")
    [ "$claimed" != 0 ] && break
    sleep 0.05
done
{
    kill -KILL "${NODE_PIDS[$victim]}"
    wait "${NODE_PIDS[$victim]}"
} 2>/dev/null || true # (the shell's "Killed" notice)
killed_at=$(date +%s)
say "SIGKILL node$((victim + 1)) (pid ${NODE_PIDS[$victim]}; close of business ran in: ${ran_cob:-none}; it held $claimed SMS)"
alive=()
for pid in "${PIDS[@]}"; do [ "$pid" = "${NODE_PIDS[$victim]}" ] || alive+=("$pid"); done
PIDS=("${alive[@]}") # not to be signalled again
sleep $((SECONDS_OF_LOAD - KILL_AFTER))
touch "$WORK/stop"
clients_failed=0
for pid in "${LOAD_PIDS[@]}"; do wait "$pid" || clients_failed=$((clients_failed + 1)); done
say "load stopped"

# The survivor takes over the dead node's claimed messages once their lease (15 s) expires.
for _ in $(seq 1 120); do
    [ "$(q "select count(*) from outbox where status in ('pending', 'sending')")" = 0 ] && break
    sleep 1
done
# at least one more close-of-business check by the survivor after the first one
while [ $(($(date +%s) - started)) -lt 65 ]; do sleep 1; done

# ---------------------------------------------------------------------------------------
say "checks"
cat "$WORK"/reg-*.txt >"$WORK/reg.txt"
cat "$WORK"/pay-*.txt >"$WORK/pay.txt"
awk '$1 == "ack" {print $2 "\t" $3 "\t" $4}' "$WORK/reg.txt" >"$WORK/reg-acked.tsv"
awk '$1 == "try" {print $2}' "$WORK/reg.txt" >"$WORK/reg-tried.tsv"
awk '$1 == "ack" {print $2 "\t" $3 "\t" $4 "\t" $5}' "$WORK/pay.txt" >"$WORK/pay-acked.tsv"
awk '$1 == "try" {print $2}' "$WORK/pay.txt" >"$WORK/pay-tried.tsv"
jq -r '[.localid, .messageid, .receptor] | @tsv' "$WORK/sms-sent.jsonl" >"$WORK/sms-sent.tsv"

# Each line: what is counted | the count | what it must be (empty: only reported).
psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$DB_NAME" >"$WORK/checks.txt" <<EOF
create temp table reg_acked (national_id text, id bigint, tracking_code text);
create temp table reg_tried (national_id text);
create temp table pay_acked (reference text, loan_id bigint, amount bigint, status int);
create temp table pay_tried (reference text);
create temp table sms_sent (local_id bigint, message_id bigint, receptor text);
\copy reg_acked from '$WORK/reg-acked.tsv'
\copy reg_tried from '$WORK/reg-tried.tsv'
\copy pay_acked from '$WORK/pay-acked.tsv'
\copy pay_tried from '$WORK/pay-tried.tsv'
\copy sms_sent from '$WORK/sms-sent.tsv'
select 'registrations acknowledged (201)', count(*), '' from reg_acked;
select '  of them not stored exactly once (tracking code, id, national ID)', count(*), 0
  from reg_acked r
  where (select count(*) from application a join person p on p.id = a.person_id
         where a.tracking_code = r.tracking_code and a.id = r.id
           and p.national_id = r.national_id) <> 1;
select '  people with more than one file (a resent registration)', count(*), 0 from (
  select p.national_id from application a join person p on p.id = a.person_id
  where p.national_id in (select national_id from reg_tried)
  group by p.national_id having count(*) > 1) d;
select '  files stored during the run that nobody sent', count(*), 0 from application a
  join person p on p.id = a.person_id
  where a.created_at >= '$LOAD_START' and p.national_id not in (select national_id from reg_tried);
select 'payments acknowledged (201, or 200 for a resent reference)', count(*), '' from pay_acked;
select '  of them not stored exactly once (bank reference, loan, amount)', count(*), 0
  from pay_acked k
  where (select count(*) from payment p
         where p.bank_reference = k.reference and p.loan_id = k.loan_id
           and p.amount = k.amount) <> 1;
select '  payments stored that nobody sent', count(*), 0 from payment p
  where p.bank_reference not in (select reference from pay_tried);
select '  payments whose allocation does not add up to the amount', count(*), 0 from payment
  where allocated_late_charge + allocated_fee + allocated_principal + to_credit <> amount;
select '  payments minus loan.payment audit rows', abs(
  (select count(*) from payment) - (select count(*) from audit_log where action = 'loan.payment')), 0;
select 'SMS accepted by the provider (its log)', count(*), '' from sms_sent;
select '  local ids it accepted more than once', count(*), 0 from (
  select local_id from sms_sent group by local_id having count(*) > 1) d;
select '  outbox rows sent that it never accepted', count(*), 0 from outbox o
  where o.status in ('sent', 'delivered')
    and not exists (select 1 from sms_sent s where s.local_id = o.id);
select '  accepted but not recorded sent to that mobile', count(*), 0 from sms_sent s
  where not exists (select 1 from outbox o where o.id = s.local_id
                    and o.status in ('sent', 'delivered') and o.recipient = s.receptor);
select '  recorded with another provider message id', count(*), 0 from outbox o
  join sms_sent s on s.local_id = o.id where o.provider_message_id <> s.message_id::text;
select '  files announced as registered more than once', count(*), 0 from (
  select application_id from outbox where event = 'registered'
  group by application_id having count(*) > 1) d;
select '  acknowledged registrations without their SMS sent', count(*), 0 from reg_acked r
  where not exists (select 1 from outbox o where o.application_id = r.id
                    and o.event = 'registered' and o.status in ('sent', 'delivered'));
select '  outbox rows still pending or sending', count(*), 0 from outbox
  where status in ('pending', 'sending');
select '  outbox rows failed', count(*), 0 from outbox where status = 'failed';
select '  sent by the survivor after the lease of the dead node ran out', count(*), ''
  from outbox where status in ('sent', 'delivered') and attempts > 1;
select 'close of business: cob_run rows for $TODAY, done', count(*) filter (where status = 'done'), 1
  from cob_run where business_date = '$TODAY';
select '  cob_run rows for $TODAY not done', count(*) filter (where status <> 'done'), 0
  from cob_run where business_date = '$TODAY';
select '  cob.done audit rows for $TODAY', count(*), 1
  from audit_log where action = 'cob.done' and entity_id = '$TODAY';
EOF
sed 's/\x1b\[[0-9;]*m//g' "$WORK"/node1.log "$WORK"/node2.log >"$WORK/nodes-plain.log"
cob_logs=$(grep 'close of business done' "$WORK/nodes-plain.log" | grep -c "date=$TODAY" || true)
echo "  'close of business done' for $TODAY logged by the nodes|$cob_logs|1" >>"$WORK/checks.txt"
recovered=$(grep -Ec 'outcome="?recovered' "$WORK/nodes-plain.log" || true)
echo "  found already accepted by local id, recorded without a second send|$recovered|" \
    >>"$WORK/checks.txt"
echo "load clients that stopped on an error|$clients_failed|0" >>"$WORK/checks.txt"
if vamyar audit verify >"$WORK/audit.txt" 2>&1; then
    echo "audit chain: vamyar audit verify exit code|0|0" >>"$WORK/checks.txt"
else
    echo "audit chain: vamyar audit verify exit code|$?|0" >>"$WORK/checks.txt"
fi

failed=0
printf '\n%-72s %7s %5s\n' "" "count" "must"
while IFS='|' read -r name count must; do
    [ -n "$name" ] || continue
    mark=""
    if [ -n "$must" ]; then
        if [ "$count" = "$must" ]; then mark="ok"; else
            mark="FAIL"
            failed=1
        fi
    fi
    printf '%-72s %7s %5s  %s\n' "$name" "$count" "$must" "$mark"
done <"$WORK/checks.txt"
echo "audit: $(tail -n 1 "$WORK/audit.txt")"

reg_unknown=$(grep -c '^unknown' "$WORK/reg.txt" || true)
reg_retry=$(grep -c '^retry' "$WORK/reg.txt" || true)
reg_refused=$(grep -c '^refused' "$WORK/reg.txt" || true)
pay_retry=$(grep -c '^retry' "$WORK/pay.txt" || true)
pay_refused=$(grep -c '^refused' "$WORK/pay.txt" || true)
pay_repeat=$(awk '$1 == "ack" && $5 == 200' "$WORK/pay.txt" | wc -l)
echo
echo "node$((victim + 1)) killed $((killed_at - started)) s after the nodes started, holding $claimed claimed SMS."
echo "Sent again after no answer or a 5xx: $reg_retry registrations, $pay_retry payments;" \
    "registrations stored but never acknowledged (409 on the resend): $reg_unknown;" \
    "payments acknowledged on a resend (200): $pay_repeat; refused: $reg_refused registrations," \
    "$pay_refused payments."
grep -h '^refused' "$WORK/reg.txt" "$WORK/pay.txt" | head -n 5 || true
echo "elapsed $(($(date +%s) - started)) s since the nodes started"
if [ "$failed" = 0 ]; then
    say "two nodes: every check passed"
else
    say "two nodes: SOME CHECKS FAILED"
    exit 1
fi
