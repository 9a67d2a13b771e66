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
  "lxd:lxd"
  "lxc:lxd-client"
  "prometheus:prometheus"
  "promtool:prometheus"
)

gb_install_packages() {
  local missing=()
  local entry bin pkg
  for entry in "${GB_PACKAGES[@]}"; do
    bin="${entry%%:*}"; pkg="${entry##*:}"
    if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/bin/$bin" ] && [ ! -x "/usr/sbin/$bin" ] \
        && [[ " ${missing[*]} " != *" $pkg "* ]]; then
      missing+=("$pkg")
    fi
  done
  # the cluster tools can be there with only the client (postgresql-common): need the server too
  if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && [[ " ${missing[*]} " != *" postgresql "* ]]; then
    missing+=("postgresql")
  fi
  # the busybox image needs the static busybox (the dynamic one of package busybox needs libc)
  if ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q "ok installed"; then
    missing+=("busybox-static")
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

# LXD 5.0 as FACTS.md ("LXD here") describes this machine kind: no systemd, so the daemon is
# started here and left running; no bridge (containers have only lo; instances are reached
# through proxy devices on loopback); a dir storage pool; a busybox image built locally (nothing
# is downloaded from an image server) that runs the host's JDK through a read-only /usr mount.
GB_LXD_LOG="${GB_LXD_LOG:-/var/log/lxd/gb-lxd.log}"
GB_LXD_PIDFILE="${GB_LXD_PIDFILE:-/run/gb-lxd.pid}"
GB_LXD_IMAGE="${GB_LXD_IMAGE:-gb-busybox}"

# gb_start_lxd: starts the LXD daemon unless one answers already; idempotent.
gb_start_lxd() {
  if lxd waitready --timeout 1 >/dev/null 2>&1; then
    echo "==> LXD is running"
    return
  fi
  $SUDO mkdir -p "$(dirname "$GB_LXD_LOG")"
  echo "==> starting LXD (log $GB_LXD_LOG)"
  # setsid + nohup: the daemon outlives this script (the tests and later runs reuse it);
  # stop it with: kill "$(cat $GB_LXD_PIDFILE)"
  $SUDO setsid nohup lxd --group root --logfile "$GB_LXD_LOG" >/dev/null 2>&1 < /dev/null &
  echo $! | $SUDO tee "$GB_LXD_PIDFILE" >/dev/null
  if ! $SUDO lxd waitready --timeout 30; then
    echo "LXD did not become ready within 30 s; its log:" >&2
    $SUDO tail -n 40 "$GB_LXD_LOG" >&2 || true
    return 1
  fi
}

# gb_init_lxd: a dir storage pool "default" and the default profile's root disk on it, no
# network (lxd init --auto fails here: it finds no unused IPv4 subnet for a bridge); idempotent.
gb_init_lxd() {
  if ! $SUDO lxc storage show default >/dev/null 2>&1; then
    echo "==> creating LXD storage pool default (dir)"
    $SUDO lxc storage create default dir >/dev/null
  fi
  if ! $SUDO lxc profile device get default root pool >/dev/null 2>&1; then
    echo "==> adding the root disk to LXD's default profile"
    $SUDO lxc profile device add default root disk path=/ pool=default >/dev/null
  fi
}

# gb_build_lxd_image: imports the image $GB_LXD_IMAGE unless present; idempotent. Its rootfs is
# the static busybox with its applet links, /sbin/init -> busybox (an inittab that brings lo up),
# and lib -> usr/lib, lib64 -> usr/lib64 so that binaries of the host's /usr, mounted read-only
# (disk device source=/usr path=/usr readonly=true), find their libraries; a JVM then runs as
# /usr/lib/jvm/java-17-openjdk-amd64/bin/java (the /usr/bin/java alternatives link does not
# resolve inside). Under 1 MB; launching it takes well under a second.
gb_build_lxd_image() {
  if $SUDO lxc image info "$GB_LXD_IMAGE" >/dev/null 2>&1; then
    echo "==> LXD image $GB_LXD_IMAGE is present"
    return
  fi
  echo "==> building LXD image $GB_LXD_IMAGE (busybox, host /usr mounted at launch)"
  local dir
  dir=$(mktemp -d)
  local root="$dir/rootfs"
  mkdir -p "$root"/{bin,sbin,etc,dev,proc,sys,tmp,run,root,var/log,usr,opt/gbo/conf,opt/gbo/bin}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  ln -s ../bin/busybox "$root/sbin/init"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  cat > "$root/etc/inittab" <<'INITTAB'
::sysinit:/bin/ip link set lo up
::shutdown:/bin/true
INITTAB
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf '127.0.0.1 localhost\n' > "$root/etc/hosts"
  cat > "$dir/metadata.yaml" <<METADATA
architecture: x86_64
creation_date: $(date +%s)
properties:
  description: gb-scaling test image (busybox; the host's /usr mounted read-only for a JDK)
  os: busybox
  release: "$(dpkg-query -W -f='${Version}' busybox-static)"
METADATA
  tar -C "$dir" -czf "$dir/image.tar.gz" metadata.yaml rootfs
  $SUDO lxc image import "$dir/image.tar.gz" --alias "$GB_LXD_IMAGE" >/dev/null
  rm -rf "$dir"
}

# gb_setup_lxd: all of the above, for the LXD integration tests.
gb_setup_lxd() {
  gb_start_lxd
  gb_init_lxd
  gb_build_lxd_image
  echo "==> LXD ready (image $GB_LXD_IMAGE, no network, proxy devices on loopback)"
}
