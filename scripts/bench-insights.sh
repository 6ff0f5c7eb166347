#!/usr/bin/env bash
# make bench, insights section (issue 15): a generated network (rendezvous demo --scale large), the
# admin's network page and an organiser's chapter page under wrk, warm, on SQLite and PostgreSQL.
# INSIGHTS_CHAPTERS (default 1000: 4 million registrations) sets the size; INSIGHTS_DB_DIR keeps the
# SQLite file between runs (a loaded network is reused); INSIGHTS_POSTGRES_URL points at a PostgreSQL
# kept between runs instead of a throwaway one. Targets: network < 300 ms, chapter < 50 ms p95.
set -euo pipefail
BIN=${BIN:-.build/release/rendezvous}
PORT=${PORT:-8094}
CHAPTERS=${INSIGHTS_CHAPTERS:-1000}
DURATION=${DURATION:-15s}
DB_DIR=${INSIGHTS_DB_DIR:-.build/bench-insights}
mkdir -p "$DB_DIR"

session_cookie() { # base email password -> rv_session value
  local base=$1 jar; jar=$(mktemp)
  local csrf; csrf=$(curl -s -c "$jar" "$base/signin" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=$2" --data-urlencode "password=$3" --data-urlencode "_csrf=$csrf" "$base/signin"
  awk '$6 == "rv_session" { print $7 }' "$jar"; rm -f "$jar"
}

wrk_p95() { # url cookie -> "rps p50 p95 p99 errors" (milliseconds)
  wrk -t2 -c8 -d"$DURATION" -s scripts/wrk-percentiles.lua -H "Cookie: rv_session=$2" "$1" | awk '/^percentiles/ { print $2, $3, $4, $5, $6 }'
}

bench_insights() { # label database-url
  local label=$1 url=$2 dir; dir=$(mktemp -d)
  DATABASE_URL="$url" $BIN migrate >/dev/null
  local started=$SECONDS
  DATABASE_URL="$url" LOG_LEVEL=error $BIN demo --scale large --chapters "$CHAPTERS" | tail -1
  echo "$label: generated (or reused) in $((SECONDS - started)) s"
  DATABASE_URL="$url" $BIN user add --email insights-admin@example.org --password insights-admin-pw --role network-admin >/dev/null 2>&1 || true
  DATABASE_URL="$url" $BIN user add --email insights-orga@example.org --password insights-orga-pw --role organizer --chapter bench-1 >/dev/null 2>&1 || true
  DATABASE_URL="$url" RATE_LIMIT=off PORT=$PORT LOG_LEVEL=error OUTBOX_DIR="$dir/outbox" $BIN serve --hostname 127.0.0.1 >"$dir/server.log" 2>&1 &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  local base="http://127.0.0.1:$PORT" admin orga
  admin=$(session_cookie "$base" insights-admin@example.org insights-admin-pw)
  orga=$(session_cookie "$base" insights-orga@example.org insights-orga-pw)
  # Cold, then warm: the first view, then wait until the start-up work (the retention run and the
  # background job computing the evenings that ended or changed since) has settled: three seconds
  # in a row under a tenth of a core, at most two minutes.
  local cold; cold=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: rv_session=$admin" "$base/admin/insights")
  echo "$label network page, first view: ${cold} s"
  local settled=$SECONDS ticks before after
  ticks=$(getconf CLK_TCK)
  local quiet=0
  for _ in $(seq 120); do
    before=$(awk '{print $14 + $15}' /proc/$pid/stat); sleep 1; after=$(awk '{print $14 + $15}' /proc/$pid/stat)
    if [ $((after - before)) -lt $((ticks / 10)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    [ $quiet -ge 3 ] && break
  done
  echo "$label start-up work settled after $((SECONDS - settled)) s"
  read -r n_rps n_p50 n_p95 n_p99 n_err <<<"$(wrk_p95 "$base/admin/insights" "$admin")"
  read -r c_rps c_p50 c_p95 c_p99 c_err <<<"$(wrk_p95 "$base/organize/bench-1/insights" "$orga")"
  echo "$label network page /admin/insights: $n_rps req/s, p50 $n_p50 ms, p95 $n_p95 ms (target 300), p99 $n_p99 ms, errors $n_err"
  echo "$label chapter page /organize/bench-1/insights: $c_rps req/s, p50 $c_p50 ms, p95 $c_p95 ms (target 50), p99 $c_p99 ms, errors $c_err"
  echo "$label public /network: $(curl -s -o /dev/null -w '%{time_total}' "$base/network") s"
}

echo "== Insights: $CHAPTERS chapters × 40 evenings × 100 registrations; wrk 2 threads, 8 connections, $DURATION"
ONLY=${INSIGHTS_ONLY:-}
[ "$ONLY" = postgres ] || bench_insights "SQLite" "sqlite://$(realpath "$DB_DIR")/insights.sqlite"
if [ "$ONLY" != sqlite ] && [ -n "${INSIGHTS_POSTGRES_URL:-}" ]; then
  # A PostgreSQL of your own (kept between runs: a loaded network is reused).
  bench_insights PostgreSQL "$INSIGHTS_POSTGRES_URL"
elif [ "$ONLY" != sqlite ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  PG_TEST_PORT=55434 scripts/with-postgres.sh bash -c "$(declare -f session_cookie wrk_p95 bench_insights); BIN=$BIN PORT=$PORT CHAPTERS=$CHAPTERS DURATION=$DURATION; bench_insights PostgreSQL \"\$TEST_POSTGRES_URL\""
fi
