#!/usr/bin/env bash
# make bench: HTTP throughput with wrk and a registration rush, on SQLite and (if installed) PostgreSQL.
# Loopback only, bounded in time and count.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.build/release/rendezvous}"
PORT="${BENCH_PORT:-8099}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
DURATION="${BENCH_DURATION:-10s}"
RUSH="${BENCH_RUSH:-5000}"
# BENCH_ONLY=quiz runs the live quiz's sections alone; BENCH_ONLY=http the one-instance HTTP sections
# (pages, rush, memory) on both databases. BIN=path measures another build.
ONLY="${BENCH_ONLY:-}"
QUIZ_ARGS="--players ${BENCH_QUIZ_PLAYERS:-2000} --questions ${BENCH_QUIZ_QUESTIONS:-5} --workers ${BENCH_QUIZ_WORKERS:-2}"
PY=.build/venv/bin/python
# 2,000 phones hold 2,000 sockets in the server and 2,000 in the client (twice that through nginx).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

wrk_run() { # url [header] -> "rps p50 p99"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-H "$2"} "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    END {print rps, p50, p99}'
}

bench_database() { # label database-url
  local label="$1" url="$2" dir
  dir="$(mktemp -d)"
  DATABASE_URL="$url" $BIN migrate >/dev/null
  DATABASE_URL="$url" $BIN demo >/dev/null
  DATABASE_URL="$url" RATE_LIMIT=off PORT=$PORT LOG_LEVEL=error OUTBOX_DIR="$dir/outbox" $BIN serve --hostname 127.0.0.1 >"$dir/server.log" 2>&1 &
  local pid=$!
  # A failing step must not leave the server holding the port for the next run.
  trap "kill $pid 2>/dev/null || true" EXIT
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  local token event
  token=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d '{"email":"admin@rendezvous.example.org","password":"rendezvous-admin"}' "http://127.0.0.1:$PORT/api/v1/tokens" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  event=$(curl -sf "http://127.0.0.1:$PORT/api/v1/chapters/toulouse/events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  local attendees
  attendees=$(curl -sf "http://127.0.0.1:$PORT/api/v1/events/$event" | python3 -c 'import json,sys; print(json.load(sys.stdin)["confirmedCount"])')
  read -r h_rps h_p50 h_p99 <<<"$(wrk_run "http://127.0.0.1:$PORT/healthz")"
  read -r e_rps e_p50 e_p99 <<<"$(wrk_run "http://127.0.0.1:$PORT/events/$event")"
  # The same page as browsers ask for it (gzip, from the cache's ready bytes), with the server's
  # resident memory sampled every second while wrk runs; and the page's bytes on the wire each way.
  local page_rss_file="$dir/page-rss"
  (for _ in $(seq 1 8); do sleep 1; ps -o rss= -p $pid >>"$page_rss_file" 2>/dev/null || true; done) &
  local sampler=$!
  read -r g_rps g_p50 g_p99 <<<"$(wrk_run "http://127.0.0.1:$PORT/events/$event" 'Accept-Encoding: gzip')"
  wait $sampler 2>/dev/null || true
  local page_rss plain_bytes gzip_bytes
  page_rss=$(sort -n "$page_rss_file" | tail -1 | awk '{printf "%.0f MB", $1/1024}')
  plain_bytes=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT/events/$event")
  gzip_bytes=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "http://127.0.0.1:$PORT/events/$event")
  local rush_event
  rush_event=$(curl -sf -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d '{"title":"Rush","startsAt":"2099-01-20T18:30:00+01:00","endsAt":"2099-01-20T21:30:00+01:00","capacity":70}' \
    "http://127.0.0.1:$PORT/api/v1/chapters/toulouse/events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  local rush confirmed_after
  rush=$(python3 scripts/rush.py 127.0.0.1 "$PORT" "$rush_event" "$RUSH")
  confirmed_after=$(curl -sf "http://127.0.0.1:$PORT/api/v1/events/$rush_event" | python3 -c 'import json,sys; print(json.load(sys.stdin)["confirmedCount"])')
  local seat_token s_rps s_p50 s_p99
  seat_token=$(python3 scripts/bench-room.py 127.0.0.1 "$PORT" "$token")
  read -r s_rps s_p50 s_p99 <<<"$(wrk_run "http://127.0.0.1:$PORT/manage/$seat_token/room.json")"
  local rss
  rss=$(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  python3 - "$label" "$h_rps" "$h_p50" "$h_p99" "$e_rps" "$e_p50" "$e_p99" "$attendees" "$rush" "$confirmed_after" "$rss" "$s_rps" "$s_p50" "$s_p99" \
    "$g_rps" "$g_p50" "$g_p99" "$page_rss" "$plain_bytes" "$gzip_bytes" <<'PY'
import json, sys
(label, h_rps, h_p50, h_p99, e_rps, e_p50, e_p99, attendees, rush, confirmed, rss, s_rps, s_p50, s_p99,
 g_rps, g_p50, g_p99, page_rss, plain_bytes, gzip_bytes) = sys.argv[1:]
rush = json.loads(rush)
ratio = float(e_rps) / float(h_rps)
print(f"== {label}")
print(f"  /healthz            {float(h_rps):>10,.0f} req/s   p50 {h_p50:>8}   p99 {h_p99:>8}")
print(f"  event page ({attendees} att.) {float(e_rps):>8,.0f} req/s   p50 {e_p50:>8}   p99 {e_p99:>8}   page/healthz {ratio:.0%}")
print(f"  event page, gzip     {float(g_rps):>10,.0f} req/s   p50 {g_p50:>8}   p99 {g_p99:>8}   "
      f"{int(plain_bytes):,} bytes plain, {int(gzip_bytes):,} gzip; resident memory during it {page_rss}")
print(f"  rush {rush['attempts']} for 70 seats: {rush['registrations_per_second']:,.0f} registrations/s in {rush['seconds']} s, "
      f"statuses {rush['statuses']}, confirmed {rush['confirmed']} (stored {confirmed}), waitlisted {rush['waitlisted']}, "
      f"positions contiguous {rush['positions_unique_and_contiguous']}, p50 {rush['p50_ms']} ms, p99 {rush['p99_ms']} ms")
print(f"  a phone's table (70 seated, round 1) {float(s_rps):>8,.0f} req/s   p50 {s_p50:>8}   p99 {s_p99:>8}   (every phone polls every 2 s: {float(s_rps)*2:,.0f} phones)")
print(f"  peak resident memory over the whole run (VmHWM: start-up, the rush and the room included) {rss}")
PY
  rm -rf "$dir"
}

# The live quiz (scripts/bench-quiz.py): servers started here are stopped on any exit.
QUIZ_PIDS=()
quiz_cleanup() { for p in "${QUIZ_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }

quiz_server() { # database-url port dir: starts an instance, appends its pid to QUIZ_PIDS
  DATABASE_URL="$1" RATE_LIMIT=off PORT="$2" LOG_LEVEL=error OUTBOX_DIR="$3/outbox-$2" $BIN serve --hostname 127.0.0.1 >"$3/server-$2.log" 2>&1 &
  QUIZ_PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "the server on port $2 did not start:" >&2; cat "$3/server-$2.log" >&2; return 1
}

bench_quiz_one() { # 2,000 phones on one instance, SQLite
  local dir url
  dir="$(mktemp -d)"; url="sqlite://$dir/quiz.sqlite"
  trap quiz_cleanup EXIT
  DATABASE_URL="$url" $BIN migrate >/dev/null
  DATABASE_URL="$url" $BIN demo >/dev/null
  quiz_server "$url" "$PORT" "$dir"
  echo "-- one instance, SQLite (WAL)"
  $PY scripts/bench-quiz.py --url "http://127.0.0.1:$PORT" --pid "${QUIZ_PIDS[0]}" $QUIZ_ARGS || echo "  !! the quiz bench failed (exit $?)"
  quiz_cleanup; QUIZ_PIDS=()
  rm -rf "$dir"
}

bench_quiz_two() { # two instances on one PostgreSQL behind nginx: phones through nginx, the presenter on the first
  local url="$1" dir a=$((PORT + 1)) b=$((PORT + 2)) proxy=$((PORT + 3))
  dir="$(mktemp -d)"; chmod 755 "$dir"
  trap quiz_cleanup EXIT
  DATABASE_URL="$url" $BIN migrate >/dev/null
  DATABASE_URL="$url" $BIN demo >/dev/null
  quiz_server "$url" "$a" "$dir"; quiz_server "$url" "$b" "$dir"
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$proxy|g" -e "s|@A@|$a|g" -e "s|@B@|$b|g" scripts/nginx-quiz.conf >"$dir/nginx.conf"
  nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/nginx-error.log" -g 'daemon off;' &
  QUIZ_PIDS+=($!)
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$proxy/healthz" >/dev/null && break; sleep 0.1; done
  echo "-- two instances on one PostgreSQL, phones through nginx (round robin), the presenter on the first"
  $PY scripts/bench-quiz.py --url "http://127.0.0.1:$a" --phone-url "http://127.0.0.1:$proxy" --pid "${QUIZ_PIDS[0]}" --pid "${QUIZ_PIDS[1]}" \
    $QUIZ_ARGS || echo "  !! the quiz bench failed (exit $?)"
  echo "-- the same, the second instance killed (SIGKILL) during question 3"
  $PY scripts/bench-quiz.py --url "http://127.0.0.1:$a" --phone-url "http://127.0.0.1:$proxy" --pid "${QUIZ_PIDS[0]}" --pid "${QUIZ_PIDS[1]}" \
    --kill-pid "${QUIZ_PIDS[1]}" --kill-at 2 $QUIZ_ARGS || echo "  !! the quiz bench failed (exit $?)"
  quiz_cleanup; QUIZ_PIDS=()
  rm -rf "$dir"
}

if [ "$ONLY" != quiz ]; then
echo "wrk: 2 threads, $CONNECTIONS connections, $DURATION; rush: $RUSH attempts, 512 in flight"
SQLITE_DIR="$(mktemp -d)"
bench_database "SQLite (WAL)" "sqlite://$SQLITE_DIR/bench.sqlite"
rm -rf "$SQLITE_DIR"
if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  PG_TEST_PORT=55433 scripts/with-postgres.sh bash -c "$(declare -f wrk_run bench_database); BIN=$BIN PORT=$PORT CONNECTIONS=$CONNECTIONS DURATION=$DURATION RUSH=$RUSH; bench_database PostgreSQL \"\$TEST_POSTGRES_URL\""
fi
fi
[ "$ONLY" = http ] && exit 0

bench_cluster() { # make cluster's three instances behind nginx: a rush through the proxy, then on one instance; kill rounds
  local cport="${BENCH_CLUSTER_PORT:-8140}" token event direct proxied
  echo "== Cluster: three instances on one PostgreSQL behind nginx (deploy/nginx/rendezvous.conf), scripts/cluster.sh"
  # PostgreSQL without fsync, as scripts/with-postgres.sh runs it for the one-instance figures above.
  local fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! CLUSTER_PORT=$cport BIN=$BIN RATE_LIMIT=off LOG_LEVEL=error CLUSTER_PG_OPTIONS="$fast" scripts/cluster.sh start >/dev/null; then
    echo "  !! the cluster did not start"; return 0
  fi
  trap "CLUSTER_PORT=$cport scripts/cluster.sh stop >/dev/null 2>&1 || true" EXIT
  token=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d '{"email":"admin@rendezvous.example.org","password":"rendezvous-admin"}' "http://127.0.0.1:$cport/api/v1/tokens" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  for target in proxy one; do
    local port=$cport label="through nginx (3 instances)"
    if [ $target = one ]; then port=$((cport + 1)); label="one instance, same database"; fi
    event=$(curl -sf -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
      -d '{"title":"Rush","startsAt":"2099-01-20T18:30:00+01:00","endsAt":"2099-01-20T21:30:00+01:00","capacity":70}' \
      "http://127.0.0.1:$cport/api/v1/chapters/toulouse/events" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    local result stored
    result=$(python3 scripts/rush.py 127.0.0.1 "$port" "$event" "$RUSH")
    stored=$(CLUSTER_PORT=$cport scripts/cluster.sh psql -At -c "SELECT COUNT(*) FROM registrations WHERE event_id = '$event' AND status = 'confirmed'")
    python3 - "$label" "$result" "$stored" <<'PY'
import json, sys
label, result, stored = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
print(f"  rush {result['attempts']} for 70 seats, {label}: {result['registrations_per_second']:,.0f} registrations/s, "
      f"statuses {result['statuses']}, confirmed {result['confirmed']} (stored {stored}), "
      f"positions contiguous {result['positions_unique_and_contiguous']}, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
PY
  done
  CLUSTER_PORT=$cport scripts/cluster.sh stop >/dev/null
  trap - EXIT
  # 20 rounds: a rush through nginx, one instance killed with SIGKILL a quarter in (Tests/cluster/kill_test.py).
  BIN=$BIN KILL_TEST_PORT=$cport CLUSTER_PG_OPTIONS="$fast" python3 Tests/cluster/kill_test.py "${BENCH_KILL_ROUNDS:-20}" || echo "  !! the kill test failed"
}

if [ "$ONLY" != quiz ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v nginx >/dev/null; then
  bench_cluster
fi

echo "== Live quiz (scripts/bench-quiz.py; the client shares the two cores with the servers)"
bench_quiz_one
if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v nginx >/dev/null; then
  PG_TEST_PORT=55434 scripts/with-postgres.sh bash -c "$(declare -f quiz_cleanup quiz_server bench_quiz_two); BIN=$BIN PORT=$PORT PY=$PY QUIZ_ARGS='$QUIZ_ARGS'; QUIZ_PIDS=(); bench_quiz_two \"\$TEST_POSTGRES_URL\""
else
  echo "  (PostgreSQL or nginx missing: make deps-bench installs them; the two-instance section is skipped)"
fi
[ "$ONLY" = quiz ] && exit 0

echo "== Badges (release build, one process per run)"
for count in 1000 4000; do
  /usr/bin/time -f "%e %M" -o /tmp/rendezvous-badge-time $BIN badges --sample $count --layout a4-8 -o /tmp/rendezvous-bench-badges.pdf 2>/dev/null
  read -r seconds kilobytes < /tmp/rendezvous-badge-time
  size=$(stat -c %s /tmp/rendezvous-bench-badges.pdf)
  printf "  %5d badges (A4, 8 a page): %5.2f s, peak memory %d MB, PDF %d KB\n" "$count" "$seconds" "$((kilobytes / 1024))" "$((size / 1024))"
done
rm -f /tmp/rendezvous-bench-badges.pdf /tmp/rendezvous-badge-time

python3 scripts/bench-rotations.py "$BIN"
