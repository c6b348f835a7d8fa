"""The README's run command, `make run`, really brings the product up.

Starts `make run` from the repository root on a free port with the embedded defaults
(SQLite in a temporary directory, no Redis, eager Celery), waits for /healthz and checks
that the API answers. The whole process group is killed afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 240  # seconds: bootstrap (when pyproject changed) + migrate + seed_demo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def run_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CELERY_")
        and key
        not in {
            "REDIS_URL",
            "DATABASE_URL",
            "DEBUG",
            "HELPDESK_TEST_SERVICES_DIR",
            "DJANGO_SETTINGS_MODULE",
            "MAKEFLAGS",
            "MFLAGS",
            "MAKELEVEL",
        }
    }
    env.update(
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def stop(process: subprocess.Popen) -> None:
    """Terminate the whole process group (make, its shell and daphne), then make sure."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)


def log_tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.e2e
@pytest.mark.timeout(STARTUP_TIMEOUT + 60)
def test_make_run_serves_the_app(tmp_path):
    make = shutil.which("make")
    assert make, "make is not installed"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "make-run.log"

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [make, "run"],
            cwd=ROOT,
            env=run_env(tmp_path, port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        status = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"`make run` exited with {process.returncode} before serving:\n"
                    + log_tail(log_path)
                )
            try:
                status, headers, body = get(f"{base}/healthz", timeout=5)
            except OSError:
                status = None
            if status == 200:
                break
            time.sleep(1)
        else:
            pytest.fail(
                f"/healthz did not answer 200 within {STARTUP_TIMEOUT}s (last: {status}):\n"
                + log_tail(log_path)
            )

        assert "json" in headers.get("Content-Type", ""), headers
        health = json.loads(body)
        assert isinstance(health, dict) and health, health

        status, headers, body = get(f"{base}/api/v1/tickets/")
        assert status in (401, 403), (status, body[:500])
        assert "json" in headers.get("Content-Type", ""), headers
        json.loads(body)

        status, headers, body = get(f"{base}/api/schema/")
        assert status == 200, (status, body[:500])
        assert body.strip(), "empty schema"
    finally:
        stop(process)
