"""The same requests through a real ASGI server process (uvicorn) over loopback HTTP."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.measure import WARMUP, api_payload
from bench.stats import cpu_seconds, percentiles, status_summary

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60
TIMEOUT = httpx.Timeout(30.0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def asgi_server(workers: int) -> Iterator[str]:
    """uvicorn serving helpdesk.asgi with this process's environment; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "helpdesk.asgi:application", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--no-access-log",
               "--log-level", "warning", "--lifespan", "off"]
    # As docker compose runs it: pooled database connections (unless the caller chose).
    env = {"DB_POOL_MAX_SIZE": "8", **os.environ, "DJANGO_SETTINGS_MODULE": "helpdesk.settings"}
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        _stop(process)


def _wait_until_up(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the ASGI server exited with code {process.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the ASGI server did not answer /healthz within {STARTUP_SECONDS}s")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM our own server process (and its workers, in its session), then SIGKILL."""
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=15)


def latency(base_url: str, token: str, paths: dict[str, list[str]]) -> dict[str, dict]:
    """One client, one request at a time: what an agent's screen waits for."""
    headers = {"Authorization": f"Token {token}"}
    results = {}
    with httpx.Client(base_url=base_url, headers=headers, timeout=TIMEOUT) as client:
        for name, urls in paths.items():
            for url in urls[:WARMUP]:
                client.get(url)
            latencies, statuses = [], []
            for url in urls:
                begin = time.perf_counter()
                response = client.get(url)
                latencies.append((time.perf_counter() - begin) * 1000)
                statuses.append(response.status_code)
            results[name] = {"requests": len(urls), "latency_ms": percentiles(latencies),
                             "status": status_summary(statuses)}
    return results


def inbound(base_url: str, token: str, contacts: list[dict], concurrency: int) -> dict:
    """POST every contact to the generic inbound API from `concurrency` client threads.

    The client shares the machine with the server and PostgreSQL, so it is the lightest
    there is: the standard library's http.client on one kept-alive connection per thread
    (httpx spends about a millisecond of CPU per request, taken from the server).
    """
    url = urlsplit(base_url)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def work(share: list[dict]) -> None:
        client = http.client.HTTPConnection(url.hostname, url.port, timeout=TIMEOUT.read)
        try:
            for contact in share:
                body = json.dumps(api_payload(contact)).encode()
                begin = time.perf_counter()
                try:
                    client.request("POST", "/api/v1/inbound/api/", body=body, headers=headers)
                    response = client.getresponse()
                    response.read()
                    code = response.status
                except (OSError, http.client.HTTPException):
                    code = 0  # counted as a failure, never retried: the loop stays bounded
                    client.close()
                with lock:
                    latencies.append((time.perf_counter() - begin) * 1000)
                    statuses.append(code)
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(contacts[n::concurrency],))
               for n in range(concurrency)]
    cpu_before = cpu_by_program()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    cpu_after = cpu_by_program()
    ok = sum(1 for code in statuses if code in (200, 201))
    return {"requests": len(contacts), "concurrency": concurrency, "client": "http.client, kept alive",
            "seconds": round(seconds, 2), "per_second": round(ok / seconds, 1),
            "latency_ms": percentiles(latencies), "status": status_summary(statuses),
            # Where the two cores went: throughput is about 2000 / the sum of these.
            "cpu_ms_per_contact": {name: round((cpu_after[name] - cpu_before.get(name, 0.0)) * 1000
                                               / max(1, len(contacts)), 2) for name in cpu_after}}


def cpu_by_program() -> dict[str, float]:
    """CPU seconds used so far by the local server (this machine's uvicorn and its workers),
    PostgreSQL, Redis and this client, read from /proc; processes already gone are missed."""
    totals = {"server": 0.0, "postgresql": 0.0, "redis": 0.0, "client": 0.0}
    me = str(os.getpid())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if pid == me:
            name = "client"
        elif b"uvicorn" in command or b"multiprocessing.spawn" in command:
            name = "server"
        elif command.startswith(b"postgres"):
            name = "postgresql"
        elif command.startswith(b"redis-server"):
            name = "redis"
        else:
            continue
        totals[name] += cpu_seconds(pid) or 0.0
    return totals
