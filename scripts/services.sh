# Shared by scripts/test and scripts/bench: install and start what tests and benchmarks need.
# shellcheck shell=bash

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# binary -> Debian package
GB_PACKAGES=(
  "pg_ctlcluster:postgresql"
  "redis-server:redis-server"
  "redis-sentinel:redis-sentinel"
  "caddy:caddy"
  "patroni:patroni"
  "etcd:etcd-server"
  "etcdctl:etcd-client"
)

gb_install_packages() {
  local missing=()
  local entry bin pkg
  for entry in "${GB_PACKAGES[@]}"; do
    bin="${entry%%:*}"; pkg="${entry##*:}"
    if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/bin/$bin" ] && [ ! -x "/usr/sbin/$bin" ]; then
      missing+=("$pkg")
    fi
  done
  # the cluster tools can be there with only the client (postgresql-common): need the server too
  if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && [[ " ${missing[*]} " != *" postgresql "* ]]; then
    missing+=("postgresql")
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    $SUDO apt-get update -qq
    # policy-rc.d 101: packages must not start their daemons; tests start their own on free ports
    local policy=/usr/sbin/policy-rc.d created_policy=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
      $SUDO chmod +x "$policy"
      created_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ -n "$created_policy" ]; then $SUDO rm -f "$policy"; fi
  fi
}

# PostgreSQL 15 from Debian, cluster 15/main on 127.0.0.1:${GB_TEST_PG_PORT:-5432}, with a
# superuser for the tests. PostgreSQL refuses to run as root, so the Debian cluster tools run it
# as the postgres user.
gb_start_postgres() {
  export GB_TEST_PG_HOST=127.0.0.1
  export GB_TEST_PG_PORT="${GB_TEST_PG_PORT:-5432}"
  export GB_TEST_PG_USER=gbtest
  export GB_TEST_PG_PASSWORD=gbtest
  local version
  # the newest version whose server is installed (a client-only version has no bin/postgres)
  version=$(for d in /usr/lib/postgresql/*/bin/postgres; do basename "$(dirname "$(dirname "$d")")"; done | sort -n | tail -1)
  if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/main"; then
    echo "==> creating PostgreSQL cluster $version/main"
    $SUDO pg_createcluster "$version" main -p "$GB_TEST_PG_PORT" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    echo "==> starting PostgreSQL $version/main"
    $SUDO pg_ctlcluster "$version" main start
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
  export GB_TEST_PG_PORT="$port"
  for _ in $(seq 1 50); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
    sleep 0.2
  done
  # max_connections: the sharding tests open many pools; 300 leaves room beside them
  local maxconn
  maxconn=$(echo "SHOW max_connections" | gb_psql "$port" -tA)
  if [ "${maxconn:-0}" -lt 300 ]; then
    echo "ALTER SYSTEM SET max_connections = 300" | gb_psql "$port" >/dev/null
    $SUDO pg_ctlcluster "$version" main restart
    for _ in $(seq 1 50); do
      if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
      sleep 0.2
    done
  fi
  gb_psql "$port" >/dev/null <<'SQL'
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gbtest') THEN
    CREATE ROLE gbtest LOGIN SUPERUSER PASSWORD 'gbtest';
  END IF;
END$$;
SQL
  echo "==> PostgreSQL ready on 127.0.0.1:$port (user gbtest)"
}

# gb_psql PORT [psql options]: runs the SQL on stdin as the postgres superuser
gb_psql() {
  local port="$1"; shift
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && su postgres -c "psql -q -X -p $port -v ON_ERROR_STOP=1 $*")
  else
    (cd / && sudo -u postgres psql -q -X -p "$port" -v ON_ERROR_STOP=1 "$@")
  fi
}
