#!/usr/bin/env bash
# Create the project virtualenv (.venv) and install the project with its test extras.
#
# The install is skipped while .venv/.bootstrap-stamp holds the sha256 of pyproject.toml
# (plus the list of top-level packages), so running this before every command costs
# nothing. pip's output is kept in .venv/.bootstrap-pip.log and printed only when the
# install fails.
#
# Environment: PYTHON (interpreter for the venv, default python3), VENV (default .venv).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv}
STAMP=$VENV/.bootstrap-stamp

log() { printf 'bootstrap: %s\n' "$*" >&2; }

# A venv whose interpreter no longer runs (Python upgraded or removed) is rebuilt.
if [[ -e $VENV ]] && ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
    log "removing broken virtualenv $VENV"
    rm -rf "$VENV"
fi
if [[ ! -x $VENV/bin/python ]]; then
    log "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi

# Serialise concurrent bootstraps (e.g. `make run` started while tests install).
exec 9>"$VENV/.bootstrap.lock"
flock 9

# The stamp covers pyproject.toml and which top-level packages exist: the editable
# install records the package layout (e.g. a folder without __init__.py becomes a
# namespace package), so it is redone when that changes.
want=$({
    cat pyproject.toml
    shopt -s nullglob
    printf '%s\n' ./*/__init__.py
} | sha256sum | cut -d' ' -f1)
if [[ -f $STAMP && $(<"$STAMP") == "$want" ]]; then
    exit 0
fi

log "installing the project and its test extras into $VENV"
rm -f "$STAMP"
# pip's chatter (index warnings, setuptools deprecation notices) goes to a log that is
# shown only when the install fails.
pip_log=$VENV/.bootstrap-pip.log
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        -e '.[test]' >"$pip_log" 2>&1; then
    grep -v "^WARNING: Location '.*' is ignored" "$pip_log" >&2 || true
    log "pip install failed (full log: $pip_log)"
    exit 1
fi
printf '%s\n' "$want" >"$STAMP"
log "installed"
