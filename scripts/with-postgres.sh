#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback, runs the given command with TEST_POSTGRES_URL set,
# then stops and deletes the cluster. initdb refuses root, so as root the server runs as the
# unprivileged 'postgres' user that Debian's package creates.
set -euo pipefail
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$PG_BIN" ]; then echo "PostgreSQL is not installed (run: make deps)" >&2; exit 1; fi
# A free loopback port unless one is given, so two runs on one machine never meet.
PORT="${PG_TEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
DIR="$(mktemp -d /tmp/rendezvous-pg.XXXXXX)"
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; fi
cleanup() {
  as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
as_owner "$PG_BIN/initdb" -D "$DIR/data" -U rendezvous --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
export TEST_POSTGRES_URL="postgres://rendezvous@127.0.0.1:$PORT/postgres?sslmode=disable"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"$@"
