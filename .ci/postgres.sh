#!/usr/bin/env bash
# A throwaway PostgreSQL server for the sweep tests: Debian's package, a cluster in a temporary folder, listening on a
# local socket only (no TCP). Source it: it exports PIPELINE_TEST_POSTGRES and stops the server when the shell exits.
set -euo pipefail
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_DIR=$(mktemp -d /tmp/pipeline-pg.XXXXXX)
chown postgres "$PG_DIR"
su postgres -c "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres" > /dev/null
su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR/data -o \"-k $PG_DIR -c listen_addresses=''\" -l $PG_DIR/log -w start" > /dev/null
trap "su postgres -c '$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop' > /dev/null; rm -rf $PG_DIR" EXIT
su postgres -c "$PG_BIN/createdb -h $PG_DIR sweeps"
export PIPELINE_TEST_POSTGRES="postgresql://postgres@/sweeps?host=$PG_DIR"
