#!/usr/bin/env bash
# THE test command: scripts/run-tests.sh [pytest args...]
#
#  1. bootstraps .venv (scripts/bootstrap.sh),
#  2. installs the system packages the suite needs when missing (chromium for browser
#     tests, redis-server, dovecot-imapd for the IMAP tests), with apt-get,
#  3. starts throwaway PostgreSQL and Redis (scripts/test-services.sh), or reuses a
#     reachable DATABASE_URL / REDIS_URL, and stops them on exit,
#  4. runs `ruff check .` and then pytest with the given arguments.
#
# Exits with pytest's exit code; when pytest passes but ruff found problems, exits 1.
# pytest's "no tests collected" (exit code 5) is reported as a failure.
# Needs no stdin and no terminal (CI=true is fine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
exec </dev/null

log() { printf 'run-tests: %s\n' "$*" >&2; }

bash scripts/bootstrap.sh

# System packages for the suite: Chromium (browser tests) and Redis.
missing=()
# fonts-liberation: without recommends, chromium alone may come with no font to draw text.
[[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-liberation)
command -v redis-server >/dev/null || missing+=(redis-server)
# A private Dovecot instance is the real IMAP server of the email tests.
[[ -x /usr/sbin/dovecot ]] || missing+=(dovecot-imapd)
if ((${#missing[@]})); then
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing ${missing[*]} with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >&2
    else
        log "warning: ${missing[*]} missing and cannot be installed (not root / no apt-get)"
    fi
fi

HELPDESK_TEST_SERVICES_DIR=""
child=""
cleanup() {
    if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    if [[ -n $HELPDESK_TEST_SERVICES_DIR ]]; then
        bash scripts/test-services.sh stop "$HELPDESK_TEST_SERVICES_DIR" || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

services=$(bash scripts/test-services.sh start)
eval "$services"
export DATABASE_URL REDIS_URL HELPDESK_TEST_SERVICES_DIR

lint_rc=0
.venv/bin/ruff check . || lint_rc=$?
if ((lint_rc)); then
    log "ruff check found problems (exit $lint_rc); running the tests anyway"
fi

# pytest runs as a background child so that INT/TERM sent to this script stop it (and
# then the services) at once instead of after the run.
pytest_rc=0
.venv/bin/python -m pytest "$@" &
child=$!
wait "$child" || pytest_rc=$?
child=""

if ((pytest_rc == 5)); then
    log "FAILED: pytest collected no tests (exit code 5); treating that as a failure"
    exit 5
fi
if ((pytest_rc)); then
    log "FAILED: pytest exit code $pytest_rc"
    exit "$pytest_rc"
fi
if ((lint_rc)); then
    log "FAILED: tests passed but ruff check failed"
    exit 1
fi
log "OK"
