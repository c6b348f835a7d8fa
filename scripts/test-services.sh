#!/usr/bin/env bash
# PostgreSQL and Redis for the test suite, without Docker.
#
#   eval "$(scripts/test-services.sh)"            # start (or reuse) and export the URLs
#   scripts/test-services.sh stop "$HELPDESK_TEST_SERVICES_DIR"   # stop them, remove the dir
#
# start (the default) prints, on stdout and nothing else:
#   export DATABASE_URL=... REDIS_URL=... HELPDESK_TEST_SERVICES_DIR=...
# A DATABASE_URL (postgres://...) or REDIS_URL already in the environment that answers is
# reused as is. Whatever is missing is started as a throwaway server on 127.0.0.1, on a
# free non-default port, with its data in a fresh temporary directory (fsync off: the
# data is disposable). HELPDESK_TEST_SERVICES_DIR is that directory, or empty when
# nothing was started. Missing server binaries are installed with apt-get.
#
# The database `helpdesk` is created; pytest-django creates and drops test_helpdesk
# itself. The role is the superuser `postgres` with trust authentication, so migrations
# may CREATE EXTENSION.
#
# Runs as root (initdb is then run through `runuser -u postgres`) or as a normal user.
# Temporary directories go under HELPDESK_TEST_SERVICES_BASE (default /tmp), which the
# postgres user must be able to traverse.
set -euo pipefail

MARKER=.helpdesk-test-services

log() { printf 'test-services: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# --- helpers -----------------------------------------------------------------

APT_UPDATED=0
apt_install() {
    [[ $EUID -eq 0 ]] || die "missing $*; install it (apt-get install -y $*) or run as root"
    command -v apt-get >/dev/null || die "missing $* and no apt-get to install it"
    log "installing $* with apt-get"
    if [[ $APT_UPDATED -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Two distinct free TCP ports on 127.0.0.1 (from the ephemeral range, so never the
# default 5432/6379).
free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

# Does the service behind this URL answer? postgres: TCP connect (and pg_isready when
# available); redis: PING answered with +PONG (or -NOAUTH: alive, needs a password).
reachable() {
    python3 - "$1" <<'PY'
import socket, sys
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
scheme = url.scheme.split("+")[0]
try:
    if scheme in {"postgres", "postgresql", "pgsql", "psql"}:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 5432), timeout=3):
            pass
    elif scheme in {"redis", "rediss"}:
        if scheme == "rediss":  # TLS: a TCP connect is all we check
            socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), 3).close()
            sys.exit(0)
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=3) as s:
            s.sendall(b"PING\r\n")
            reply = s.recv(64)
        sys.exit(0 if reply.startswith((b"+PONG", b"-NOAUTH")) else 1)
    else:
        sys.exit(1)
except OSError:
    sys.exit(1)
PY
}

pg_bindir() {
    local dir
    # Highest installed server version first; `pg_config --bindir` may name the client dir.
    while IFS= read -r dir; do
        if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4,4 -rn)
    if command -v pg_config >/dev/null; then
        dir=$(pg_config --bindir)
        if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

# Run a command as the postgres OS user when we are root (initdb refuses root).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# --- stop --------------------------------------------------------------------

stop_services() {
    local dir=${1:-}
    if [[ -z $dir ]]; then
        log "nothing to stop"
        return 0
    fi
    if [[ ! -d $dir ]]; then
        log "$dir does not exist; nothing to stop"
        return 0
    fi
    [[ -f $dir/$MARKER ]] || die "$dir was not made by test-services.sh; refusing to touch it"

    if [[ -f $dir/pg/PG_VERSION ]]; then
        local pgbin
        pgbin=$(<"$dir/pgbin")
        if as_pg "$pgbin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
            as_pg "$pgbin/pg_ctl" -D "$dir/pg" -m fast -w -t 30 stop >/dev/null ||
                log "pg_ctl stop failed (see $dir/pg/log)"
        fi
    fi

    if [[ -f $dir/redis.pid ]]; then
        local pid i
        pid=$(<"$dir/redis.pid")
        if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$pid" 2>/dev/null; then
                log "redis-server $pid did not stop; killing it"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi

    rm -rf -- "$dir"
}

# --- start -------------------------------------------------------------------

BASE=""
# EXIT trap while starting: on failure show the server logs and undo what was started.
start_failed() {
    local rc=$?
    [[ $rc -eq 0 ]] && return 0
    if [[ -n $BASE ]]; then
        for f in "$BASE/pg/log" "$BASE/redis.log"; do
            if [[ -s $f ]]; then
                log "last lines of $f:"
                tail -n 20 "$f" >&2 || true
            fi
        done
        stop_services "$BASE" || true
    fi
    log "could not start the test services"
    exit "$rc"
}

make_base() {
    if [[ -z $BASE ]]; then
        BASE=$(mktemp -d "${HELPDESK_TEST_SERVICES_BASE:-/tmp}/helpdesk-test-services.XXXXXX")
        chmod 755 "$BASE"
        touch "$BASE/$MARKER"
    fi
}

start_postgres() {
    local port=$1 pgbin
    if ! pgbin=$(pg_bindir); then
        apt_install postgresql
        pgbin=$(pg_bindir) || die "PostgreSQL server binaries not found after installing postgresql"
    fi
    make_base
    printf '%s\n' "$pgbin" >"$BASE/pgbin"
    local pgdata=$BASE/pg
    mkdir -p "$pgdata"
    if [[ $EUID -eq 0 ]]; then
        chown postgres: "$pgdata"
    fi
    chmod 700 "$pgdata"

    local locale=C
    if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
        locale=C.UTF-8 # so pg_trgm/unaccent see non-ASCII letters as letters
    fi
    as_pg "$pgbin/initdb" -D "$pgdata" -U postgres -A trust --no-sync -E UTF8 \
        --locale="$locale" >"$BASE/initdb.log" 2>&1 || {
        cat "$BASE/initdb.log" >&2
        return 1
    }
    # shared_buffers as a production server would size it (a quarter of the memory, at most
    # 4 GiB, at least PostgreSQL's 128 MiB): the bench's data set then stays in PostgreSQL's
    # own memory instead of the OS page cache, which some VMs reclaim once it goes cold.
    local mem_kib buffers_mib
    mem_kib=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
    buffers_mib=$(( ${mem_kib:-0} / 4096 ))
    (( buffers_mib > 4096 )) && buffers_mib=4096
    (( buffers_mib < 128 )) && buffers_mib=128
    as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w -t 60 \
        -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=${buffers_mib}MB" \
        start >/dev/null
    "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres helpdesk
    log "PostgreSQL $(<"$pgdata/PG_VERSION") on 127.0.0.1:$port (data in $pgdata)"
}

start_redis() {
    local port=$1
    if ! command -v redis-server >/dev/null; then
        apt_install redis-server
    fi
    make_base
    # Redis refuses to start when the config names a pidfile it cannot write, so the
    # daemon writes its pid into the base dir; we wait until it answers.
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --dir "$BASE" --pidfile "$BASE/redis.pid" \
        --logfile "$BASE/redis.log" >&2
    local i
    for ((i = 0; i < 100; i++)); do
        if [[ -s $BASE/redis.pid ]] && reachable "redis://127.0.0.1:$port/0"; then
            log "Redis on 127.0.0.1:$port"
            return 0
        fi
        sleep 0.1
    done
    die "redis-server did not answer on 127.0.0.1:$port"
}

start_services() {
    local database_url=${DATABASE_URL:-} redis_url=${REDIS_URL:-}
    local need_pg=1 need_redis=1

    if [[ -n $database_url ]]; then
        case $database_url in
        postgres://* | postgresql://* | pgsql://* | psql://*)
            if reachable "$database_url"; then
                need_pg=0
                log "reusing DATABASE_URL from the environment"
            else
                log "DATABASE_URL from the environment does not answer; starting PostgreSQL"
            fi
            ;;
        *) log "DATABASE_URL from the environment is not PostgreSQL; starting PostgreSQL" ;;
        esac
    fi
    if [[ -n $redis_url ]]; then
        if reachable "$redis_url"; then
            need_redis=0
            log "reusing REDIS_URL from the environment"
        else
            log "REDIS_URL from the environment does not answer; starting Redis"
        fi
    fi

    trap start_failed EXIT
    local ports pg_port redis_port
    ports=$(free_ports 2)
    read -r pg_port redis_port <<<"$ports"
    if [[ $need_pg -eq 1 ]]; then
        start_postgres "$pg_port"
        database_url=postgres://postgres@127.0.0.1:$pg_port/helpdesk
    fi
    if [[ $need_redis -eq 1 ]]; then
        start_redis "$redis_port"
        redis_url=redis://127.0.0.1:$redis_port/0
    fi
    trap - EXIT

    printf 'export DATABASE_URL=%q REDIS_URL=%q HELPDESK_TEST_SERVICES_DIR=%q\n' \
        "$database_url" "$redis_url" "$BASE"
}

case ${1:-start} in
start) start_services ;;
stop) stop_services "${2:-${HELPDESK_TEST_SERVICES_DIR:-}}" ;;
-h | --help | help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" ;;
*) die "usage: $0 [start | stop DIR]" ;;
esac
