# A throwaway PostgreSQL cluster on 127.0.0.1 for tests: initdb as the postgres user in a temp
# dir, pg_ctl start on a free port, stopped and removed by fk_pg_stop (scripts/test traps it).
# Exports FK_TEST_PG_URL. Tests run it with fsync=off for speed (it would lose data on power
# loss); `fk_pg_start durable` keeps PostgreSQL's durable defaults (fsync on), for benchmarks.
# shellcheck shell=bash

fk_pg_start() {
  local bindir fsync="-c fsync=off"
  [ "${1:-}" = durable ] && fsync=""
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ]; then
    echo "pg-cluster: PostgreSQL server binaries not found; run scripts/setup-deps" >&2
    return 1
  fi
  FK_PG_DIR=$(mktemp -d /tmp/fk-pg-XXXXXX)
  chmod 755 "$FK_PG_DIR"
  FK_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$FK_PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bindir/initdb" -D "$FK_PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$FK_PG_DIR/initdb.log" 2>&1 \
    || { cat "$FK_PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$bindir/pg_ctl" -D "$FK_PG_DIR/data" -l "$FK_PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $FK_PG_PORT -k $FK_PG_DIR $fsync -c max_connections=200" start >/dev/null \
    || { cat "$FK_PG_DIR/server.log" >&2; return 1; }
  "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$FK_PG_PORT" -U postgres fk_test
  export FK_TEST_PG_URL="postgresql://postgres@127.0.0.1:$FK_PG_PORT/fk_test"
  export FK_PG_BINDIR="$bindir"
  echo "pg-cluster: PostgreSQL on 127.0.0.1:$FK_PG_PORT ($FK_TEST_PG_URL)${fsync:+, $fsync}"
}

fk_pg_stop() {
  [ -n "${FK_PG_DIR:-}" ] || return 0
  local run=()
  [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$FK_PG_BINDIR/pg_ctl" -D "$FK_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$FK_PG_DIR"
  FK_PG_DIR=
}
