#!/usr/bin/env bash
# A throwaway PostgreSQL for the index tests: installs Debian's `postgresql` when missing, starts a cluster
# listening on 127.0.0.1 only (port PG_PORT, default 55432; data in PG_DATA, default /tmp/cbec-trace-pg),
# creates the test database and prints `TEST_DATABASE_URL=…` as its last line. Idempotent: a cluster already
# answering on the port is reused. Stop it with `pg_ctl -D "$PG_DATA" stop` (as the postgres user when root).
set -euo pipefail

PG_PORT="${PG_PORT:-55432}"
PG_DATA="${PG_DATA:-/tmp/cbec-trace-pg}"
PG_DB="${PG_DB:-cbec_trace_test}"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci-postgres: PostgreSQL is not installed and this is not root: apt-get install -y postgresql" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
fi
BIN="$(pg_bin)"

# The server refuses to run as root: as root, run it as the postgres user (created by the package).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DATA"
    as_owner "'$BIN/initdb' -D '$PG_DATA' -U postgres -A trust -E UTF8 --no-locale" >&2
  fi
  as_owner "'$BIN/pg_ctl' -D '$PG_DATA' -l '$PG_DATA/server.log' -w -t 60 \
    -o \"-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp\" start" >&2
fi

PSQL=("$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
  "${PSQL[@]}" -c "CREATE DATABASE $PG_DB" >&2
fi
echo "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
