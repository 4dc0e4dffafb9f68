#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite.
#
#   scripts/postgres.sh start [DIR]   install the server when missing (Debian, as root), start one
#                                     in DIR (default: a new temporary folder) and print its URL
#   scripts/postgres.sh stop DIR      stop that server and delete DIR
#
# The server listens on 127.0.0.1:$FRONTWATCH_PG_PORT (default 54329) with trust authentication
# and holds one database, "frontwatch": it is for tests only. PostgreSQL refuses to run as root,
# so as root it runs as the "postgres" user the Debian package creates.
set -euo pipefail

port="${FRONTWATCH_PG_PORT:-54329}"

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ] && command -v pg_ctl >/dev/null; then
    found=$(dirname "$(command -v pg_ctl)")
  fi
  echo "$found"
}

as_owner() {  # run a command as the user that owns the cluster
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_server() {
  if [ -n "$(pg_bin)" ]; then
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "postgres.sh: PostgreSQL is not installed (and cannot install it: needs apt-get as root)" >&2
    return 1
  fi
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq -o DPkg::Lock::Timeout=300 postgresql >&2
}

start() {
  install_server
  local bin dir
  bin=$(pg_bin)
  dir="${1:-$(mktemp -d /tmp/frontwatch-pg.XXXXXX)}"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >&2 \
    || { cat "$dir/server.log" >&2; return 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres frontwatch >&2
  echo "$dir" >"$dir/.frontwatch-pg"  # marks the folder as ours, for stop
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/frontwatch"
}

stop() {
  local dir="$1"
  [ -f "$dir/.frontwatch-pg" ] || { echo "postgres.sh: $dir is not a server this script started" >&2; return 1; }
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: scripts/postgres.sh start [DIR] | stop DIR" >&2; exit 2 ;;
esac
