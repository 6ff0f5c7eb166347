#!/usr/bin/env bash
# make cluster: on loopback, a throwaway PostgreSQL, three Rendezvous instances and nginx in front
# with the deployment's own configuration (deploy/nginx/rendezvous.conf).
#
#   scripts/cluster.sh start     start everything (migrates, loads the demo network), print the URL
#   scripts/cluster.sh stop      stop everything and delete the cluster's files
#   scripts/cluster.sh status    which parts run
#   scripts/cluster.sh kill N    kill -9 instance N (1-3), as a crash would
#   scripts/cluster.sh restart N start instance N again (with the binary the cluster started with:
#                                it is copied at start, so a rebuild meanwhile never mixes versions)
#   scripts/cluster.sh psql …    run psql on the cluster's database
#
# Settings (environment): CLUSTER_PORT (nginx, default 8100; instances on +1..+3, PostgreSQL on +9),
# CLUSTER_DIR (default /tmp/rendezvous-cluster-$CLUSTER_PORT), CLUSTER_DEMO=0 for an empty network,
# CLUSTER_PG_OPTIONS (more `postgres -c` settings; make bench turns fsync off, as for one instance),
# BIN (default: the release build, or the debug build if it is newer), and any setting of
# `rendezvous serve` (RATE_LIMIT, SMTP_URL, OUTBOX_LEASE, WEBHOOK_LEASE, LOG_LEVEL…), passed to every instance.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PORT="${CLUSTER_PORT:-8100}"
DIR="${CLUSTER_DIR:-/tmp/rendezvous-cluster-$PORT}"
PG_PORT=$((PORT + 9))
INSTANCES=3
if [ -z "${BIN:-}" ]; then
  # The release build, unless the debug build is newer (a release build left from an older checkout
  # would run older code and migrations).
  if [ -x .build/release/rendezvous ] && ! [ .build/debug/rendezvous -nt .build/release/rendezvous ]; then
    BIN="$ROOT/.build/release/rendezvous"
  else
    BIN="$ROOT/.build/debug/rendezvous"
  fi
fi
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
URL="postgres://rendezvous@127.0.0.1:$PG_PORT/rendezvous?sslmode=disable"

as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
instance_port() { echo $((PORT + $1)); }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # url seconds
  for _ in $(seq 1 $(($2 * 10))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  return 1
}

start_instance() { # n
  local n="$1" port
  port=$(instance_port "$n")
  mkdir -p "$DIR/outbox-$n"
  # Every instance shares the database and the server key; each has its own outbox folder (the
  # .eml files show which instance sent what).
  DATABASE_URL="$URL" SECRET_KEY_FILE="$DIR/secret.key" TRUST_PROXY=1 BASE_URL="http://127.0.0.1:$PORT" \
    OUTBOX_DIR="$DIR/outbox-$n" LOG_FORMAT="${LOG_FORMAT:-json}" WEBHOOKS_ALLOW_PRIVATE="${WEBHOOKS_ALLOW_PRIVATE:-1}" \
    setsid "$DIR/rendezvous" serve --hostname 127.0.0.1 --port "$port" >>"$DIR/instance-$n.log" 2>&1 < /dev/null &
  echo $! >"$DIR/instance-$n.pid"
  wait_for "http://127.0.0.1:$port/readyz" 60 || { echo "instance $n did not become ready:" >&2; tail -20 "$DIR/instance-$n.log" >&2; return 1; }
}

start() {
  [ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed (make deps-bench installs it)" >&2; exit 1; }
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is not installed (make deps-bench installs it)" >&2; exit 1; }
  [ -x "$BIN" ] || { echo "no rendezvous binary: run make build (or swift build)" >&2; exit 1; }
  if alive "$DIR/nginx.pid"; then echo "The cluster already runs on http://127.0.0.1:$PORT (scripts/cluster.sh stop first)"; exit 0; fi
  # What a crashed run left behind (its PostgreSQL would hold the port) goes first.
  if [ -d "$DIR/pg/data" ]; then as_owner "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"; mkdir -p "$DIR"; chmod 755 "$DIR"
  # PostgreSQL: initdb refuses root, so as root the server runs as Debian's 'postgres' user.
  mkdir -p "$DIR/pg"; if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR/pg"; fi
  as_owner "$PG_BIN/initdb" -D "$DIR/pg/data" -U rendezvous --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_owner "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR/pg -c max_connections=400 ${CLUSTER_PG_OPTIONS:-}" start >/dev/null
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U rendezvous rendezvous
  head -c 48 /dev/urandom >"$DIR/secret.key"; chmod 600 "$DIR/secret.key"
  # The cluster's own copy of the binary: an instance restarted later (the kill test's) runs the
  # same code and migrations as the others, even if the tree was rebuilt meanwhile.
  cp "$BIN" "$DIR/rendezvous"
  # Migrations and the demo network once, before the instances start.
  DATABASE_URL="$URL" SECRET_KEY_FILE="$DIR/secret.key" "$DIR/rendezvous" migrate >/dev/null
  if [ "${CLUSTER_DEMO:-1}" != 0 ]; then DATABASE_URL="$URL" SECRET_KEY_FILE="$DIR/secret.key" "$DIR/rendezvous" demo >/dev/null; fi
  for n in $(seq 1 $INSTANCES); do start_instance "$n"; done
  # nginx with the deployment's configuration: only the ports and the log's path change.
  local conf="$DIR/rendezvous.conf"
  sed -e "s|127.0.0.1:8081|127.0.0.1:$(instance_port 1)|" -e "s|127.0.0.1:8082|127.0.0.1:$(instance_port 2)|" \
      -e "s|127.0.0.1:8083|127.0.0.1:$(instance_port 3)|" -e "s|listen 80;|listen 127.0.0.1:$PORT backlog=4096;|" \
      -e "s|/var/log/nginx/rendezvous.access.log|$DIR/nginx-access.log|" deploy/nginx/rendezvous.conf >"$conf"
  cat >"$DIR/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile 20000;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 10000; }
http {
    client_body_temp_path $DIR/nginx-body;
    proxy_temp_path $DIR/nginx-proxy;
    fastcgi_temp_path $DIR/nginx-fastcgi;
    uwsgi_temp_path $DIR/nginx-uwsgi;
    scgi_temp_path $DIR/nginx-scgi;
    include $conf;
}
NGINX
  nginx -c "$DIR/nginx.conf" -p "$DIR" -e "$DIR/nginx-error.log"
  wait_for "http://127.0.0.1:$PORT/readyz" 10 || { echo "nginx did not answer:" >&2; cat "$DIR/nginx-error.log" >&2; exit 1; }
  echo "Rendezvous cluster: http://127.0.0.1:$PORT (nginx) → instances on $(instance_port 1), $(instance_port 2), $(instance_port 3); PostgreSQL on $PG_PORT"
  echo "  files in $DIR; admin@rendezvous.example.org / rendezvous-admin; scripts/cluster.sh stop to end"
}

stop() {
  if [ -f "$DIR/nginx.pid" ]; then nginx -c "$DIR/nginx.conf" -p "$DIR" -e "$DIR/nginx-error.log" -s stop 2>/dev/null || true; fi
  for n in $(seq 1 $INSTANCES); do
    if alive "$DIR/instance-$n.pid"; then kill "$(cat "$DIR/instance-$n.pid")" 2>/dev/null || true; fi
  done
  for n in $(seq 1 $INSTANCES); do
    for _ in $(seq 1 50); do alive "$DIR/instance-$n.pid" || break; sleep 0.1; done
    if alive "$DIR/instance-$n.pid"; then kill -9 "$(cat "$DIR/instance-$n.pid")" 2>/dev/null || true; fi
  done
  if [ -n "$PG_BIN" ] && [ -d "$DIR/pg/data" ]; then as_owner "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
  echo "Cluster stopped."
}

status() {
  if alive "$DIR/nginx.pid"; then echo "nginx        http://127.0.0.1:$PORT  running"; else echo "nginx        stopped"; fi
  for n in $(seq 1 $INSTANCES); do
    if alive "$DIR/instance-$n.pid"; then echo "instance $n   127.0.0.1:$(instance_port "$n")  running (pid $(cat "$DIR/instance-$n.pid"))"; else echo "instance $n   stopped"; fi
  done
  if [ -n "$PG_BIN" ] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then echo "PostgreSQL   127.0.0.1:$PG_PORT  running"; else echo "PostgreSQL   stopped"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill -9 "$(cat "$DIR/instance-${2:?instance number}.pid")"; echo "instance $2 killed (SIGKILL)" ;;
  restart) alive "$DIR/instance-${2:?instance number}.pid" && kill "$(cat "$DIR/instance-$2.pid")"; start_instance "$2"; echo "instance $2 started" ;;
  psql) shift; "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U rendezvous rendezvous "$@" ;;
  url) echo "$URL" ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 1 ;;
esac
