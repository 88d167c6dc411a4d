#!/usr/bin/env bash
# Prepares the local PostgreSQL 15 server for parley's tests:
#   1. starts the cluster if it is not accepting connections;
#   2. builds and installs pgvector from Debian's own source package (trixie) if the
#      server lacks it (bookworm does not package it), leaving the system's apt sources untouched;
#   3. creates the database parley_test with the vector extension.
# Safe to run again: each step is skipped when already done.
set -euo pipefail

PG_MAJOR=15
PG_HOST=127.0.0.1
PG_PORT=5432
DB=parley_test
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
VECTOR_CONTROL=/usr/share/postgresql/$PG_MAJOR/extension/vector.control
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
APT_LOCK_WAIT=(-o DPkg::Lock::Timeout=300)

log() { echo "setup-postgres: $*"; }
psql_pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"; }

# --- 1. server running ------------------------------------------------------------
if pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  log "PostgreSQL $PG_MAJOR is running"
else
  log "starting PostgreSQL $PG_MAJOR cluster 'main'"
  out=$(pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start 2>&1) || {
    grep -qi 'already running' <<<"$out" || { echo "$out" >&2; exit 1; }
  }
  for _ in $(seq 1 30); do
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break
    sleep 1
  done
  pg_isready -h "$PG_HOST" -p "$PG_PORT" >/dev/null || { log "server did not come up" >&2; exit 1; }
fi

# --- 2. pgvector ------------------------------------------------------------------
# Prints "URI KEYRING" for the main Debian archive in the machine's deb822 sources
# (the stanza whose URI is not the security archive), or the usual defaults.
debian_archive() {
  local uri="" keyring=""
  if [[ -r $DEBIAN_SOURCES ]]; then
    read -r uri keyring < <(awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        u = ""; k = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)      { split(substr($i, 6), a, " "); u = a[1] }
          if ($i ~ /^Signed-By:/) { sub(/^Signed-By:[ \t]*/, "", $i); k = $i }
        }
        if (u != "" && u !~ /security/) { print u, (k ~ /^\// ? k : "-"); exit }
      }' "$DEBIAN_SOURCES") || true
  fi
  [[ -n $uri ]] || uri=http://deb.debian.org/debian
  if [[ -z $keyring || $keyring == - || ! -r $keyring ]]; then
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  fi
  echo "$uri $keyring"
}

if [[ -f $VECTOR_CONTROL ]]; then
  log "pgvector already installed ($(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$VECTOR_CONTROL"))"
else
  log "pgvector missing: building it from Debian's source package"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${APT_LOCK_WAIT[@]}" \
         "postgresql-server-dev-$PG_MAJOR" make gcc >/dev/null; then
    log "install failed, refreshing apt lists and retrying"
    apt-get update -q "${APT_LOCK_WAIT[@]}" >/dev/null
    apt-get install -y -q --no-install-recommends "${APT_LOCK_WAIT[@]}" \
      "postgresql-server-dev-$PG_MAJOR" make gcc >/dev/null
  fi

  work=$(mktemp -d /tmp/pgvector-build.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  chmod 755 "$work"
  mkdir -p "$work/lists/partial" "$work/cache" "$work/src" "$work/build"
  # apt downloads as user _apt when it can; let it write there (avoids the "unsandboxed" warning).
  if id _apt >/dev/null 2>&1; then chown _apt "$work/lists/partial" "$work/src"; fi

  read -r uri keyring < <(debian_archive)
  echo "deb-src [signed-by=$keyring] $uri trixie main" >"$work/sources.list"
  log "using: $(cat "$work/sources.list")"
  apt_opts=(
    -o "Dir::Etc::sourcelist=$work/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache=$work/cache"   # keep the system's package caches untouched too
  )
  apt-get update -q "${apt_opts[@]}" >/dev/null
  (cd "$work/src" && apt-get source -q --download-only "${apt_opts[@]}" pgvector >/dev/null)

  orig=$(ls "$work"/src/pgvector_*.orig.tar.* | head -n1)
  log "building $(basename "$orig")"
  tar -xf "$orig" -C "$work/build" --strip-components=1
  make -s -C "$work/build" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" >/dev/null
  make -s -C "$work/build" install PG_CONFIG="$PG_CONFIG" >/dev/null
  [[ -f $VECTOR_CONTROL ]] || { log "make install did not produce $VECTOR_CONTROL" >&2; exit 1; }
  log "pgvector installed ($(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$VECTOR_CONTROL"))"
  rm -rf "$work"
  trap - EXIT
fi

# --- 3. database ------------------------------------------------------------------
if [[ $(psql_pg -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'") == 1 ]]; then
  log "database $DB exists"
else
  psql_pg -d postgres -c "CREATE DATABASE $DB OWNER postgres"
  log "created database $DB"
fi
psql_pg -d "$DB" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector"
log "extension vector $(psql_pg -d "$DB" -tAc "SELECT extversion FROM pg_extension WHERE extname = 'vector'") in $DB"

echo "TEST_DATABASE_URL=postgres://postgres@$PG_HOST:$PG_PORT/$DB"
