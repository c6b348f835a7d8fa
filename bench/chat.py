"""`python -m bench.chat`: N chat visitors and one agent over real websockets; one JSON document.

One ASGI server process (uvicorn as docker compose runs it, or daphne with --server daphne)
serves helpdesk.asgi on a free loopback port (PostgreSQL + Redis, Celery eager, the chat
rate limits switched off since every visitor comes from 127.0.0.1). One agent socket
(/ws/agent/, session cookie) and N visitor sockets (/ws/chat/<widget key>/) are opened from
this process's event loop, in batches. Each visitor says something every `--interval`
seconds (random start offset) for `--duration` seconds; the text carries a unique id and the
agent socket notes when the matching `message.created` arrives. Latency = agent arrival -
visitor send (one clock: both ends live in this process). The server inherits this
environment: `CHANNEL_LAYER=lists python -m bench.chat` measures the lists channel layer,
SOCKET_DB_THREADS the socket database threads. Also reported: the visitor's ack latency (the
message stored) and the server's CPU per message (all its threads, from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.stats import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
SHOP = "https://shop.example"
BATCH = 50
FRAME_TIMEOUT = 30.0      # a hello / session frame later than this: the socket counts as failed
DRAIN_SECONDS = 15.0      # after the last send, wait at most this long for stragglers
TARGET_P99_MS = 100.0
TARGET_VISITORS = 500
TARGET_KIB_PER_CONNECTION = 100.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chat",
        description="Open N chat visitor websockets and one agent websocket against one ASGI server "
                    "process and measure visitor-to-agent delivery latency and memory per socket.",
    )
    parser.add_argument("--visitors", type=int, default=500, help="visitor sockets (default 500)")
    parser.add_argument("--interval", type=float, default=5.0,
                        help="seconds between a visitor's messages (default 5)")
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds of sending once everyone is connected (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the start offsets")
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn",
                        help="the ASGI server process: uvicorn as docker compose runs it (default), "
                             "or daphne as `make run` does")
    parser.add_argument("--out", help="also write the JSON document to this file")
    args = parser.parse_args(argv)
    if args.visitors < 1 or args.interval <= 0 or args.duration <= 0:
        parser.error("--visitors must be at least 1, --interval and --duration positive")
    return args


def log(text: str) -> None:
    print(f"bench.chat: {text}", file=sys.stderr, flush=True)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- fixtures (ORM)

def prepare() -> dict:
    """migrate; a team, an agent with a logged-in session, a widget; the agent marked online."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from agents.models import Role, Team, User
    from channels_integrations.chat.models import ChatWidget
    from helpdesk.realtime import presence

    call_command("migrate", verbosity=0, interactive=False)
    team, _ = Team.objects.get_or_create(name="Bench chat", defaults={"channels": ["chat"]})
    agent, created = User.objects.get_or_create(
        username="bench-chat-agent", defaults={"name": "Bench Chat Agent", "role": Role.AGENT})
    if created:
        agent.set_unusable_password()
        agent.save(update_fields=["password"])
    agent.teams.add(team)
    widget = ChatWidget.objects.create(name=f"Bench chat {uuid.uuid4().hex[:8]}",
                                       allowed_origins=[SHOP], team=team)
    client = Client()
    client.force_login(agent)  # writes the session row the server process will read
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    presence.mark_online(agent.pk)
    return {"cookie": cookie, "widget_key": widget.key, "agent_id": agent.pk}


# --------------------------------------------------------------------------- the server

def start_server(kind: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
           "ALLOWED_HOSTS": "127.0.0.1", "CELERY_TASK_ALWAYS_EAGER": "true",
           # 0 = no limit: every visitor shares 127.0.0.1, the per-IP budget would refuse them.
           "CHAT_RATE_PER_VISITOR_PER_MINUTE": "0", "CHAT_RATE_PER_IP_PER_MINUTE": "0"}
    if kind == "daphne":  # what `make run` serves with
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                   "-v", "0", "helpdesk.asgi:application"]
    else:  # what docker compose serves with, here as one process
        command = [sys.executable, "-m", "uvicorn", "helpdesk.asgi:application", "--host", "127.0.0.1",
                   "--port", str(port), "--no-access-log", "--log-level", "warning", "--lifespan", "off",
                   "--ws-per-message-deflate", "false"]
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


# --------------------------------------------------------------------------- the client

async def _next(socket, kind: str, timeout: float = FRAME_TIMEOUT) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await socket.recv())
            if frame.get("type") == kind:
                return frame
            if frame.get("type") == "error":
                raise RuntimeError(f"server said error: {frame}")


class Run:
    def __init__(self) -> None:
        self.sent: dict[str, float] = {}       # message id -> monotonic send time
        self.arrived: dict[str, float] = {}    # message id -> monotonic arrival at the agent
        self.acks = 0
        self.acked: dict[str, float] = {}      # message id -> monotonic arrival of its ack
        self.errors: dict[str, int] = {}
        self.connect_failures: dict[str, int] = {}
        self.agent_events = 0
        self.agent_closed: str | None = None   # why the agent socket ended early, if it did
        self.loop_lag: list[float] = []        # ms this client's event loop woke up late


async def _watch_loop_lag(run: Run, period: float = 0.01) -> None:
    """How late this process's own event loop runs: a late client inflates the latencies
    it measures (the client shares the machine's cores with the server)."""
    while True:
        expected = time.monotonic() + period
        await asyncio.sleep(period)
        run.loop_lag.append(max(0.0, time.monotonic() - expected) * 1000)


async def _agent_reader(agent, run: Run) -> None:
    """Note every message.created carrying one of our ids; ends when the socket closes."""
    from websockets.exceptions import ConnectionClosed

    try:
        async for raw in agent:
            frame = json.loads(raw)
            if frame.get("type") != "message.created":
                continue
            run.agent_events += 1
            text = str((frame.get("object") or {}).get("text") or "")
            if text.startswith("bench-msg "):
                message_id = text.split()[1]
                run.arrived.setdefault(message_id, time.monotonic())
        run.agent_closed = f"closed: code {agent.close_code} {agent.close_reason!r}"
    except ConnectionClosed as exc:
        run.agent_closed = f"{type(exc).__name__}: {exc}"


async def _open_visitor(url: str, run: Run):
    import websockets

    socket = None
    try:
        socket = await websockets.connect(url, origin=SHOP, open_timeout=FRAME_TIMEOUT,
                                          max_queue=None, ping_interval=None)
        await _next(socket, "hello")
        await socket.send(json.dumps({"type": "start", "prechat": {}}))
        await _next(socket, "session")
        return socket
    except Exception as exc:  # counted, reported; the run goes on with the others
        name = type(exc).__name__
        run.connect_failures[name] = run.connect_failures.get(name, 0) + 1
        if socket is not None:
            await socket.close()
        return None


async def _visitor_reader(socket, run: Run) -> None:
    from websockets.exceptions import ConnectionClosed

    try:
        async for raw in socket:
            frame = json.loads(raw)
            if frame.get("type") == "ack":
                run.acks += 1
                run.acked.setdefault(str(frame.get("client_id")), time.monotonic())
            elif frame.get("type") == "error":
                code = str(frame.get("code"))
                run.errors[code] = run.errors.get(code, 0) + 1
    except ConnectionClosed:
        pass


async def _visitor_sender(socket, number: int, run: Run, start: float, args, rng: random.Random) -> None:
    """Send at start + offset + k*interval until the duration is over (a fixed number of sends)."""
    from websockets.exceptions import ConnectionClosed

    offset = rng.uniform(0, args.interval)
    sends = int((args.duration - offset) // args.interval) + 1 if offset < args.duration else 0
    for k in range(sends):
        delay = start + offset + k * args.interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        message_id = f"v{number}m{k}-{uuid.uuid4().hex[:8]}"
        text = f"bench-msg {message_id} waar blijft mijn bestelling?"
        run.sent[message_id] = time.monotonic()
        try:
            await socket.send(json.dumps({"type": "message", "text": text, "client_id": message_id}))
        except ConnectionClosed:
            run.sent.pop(message_id, None)
            run.errors["closed"] = run.errors.get("closed", 0) + 1
            return


async def client(args, base_url: str, fixtures: dict, server_pid: int) -> dict:
    import websockets

    ws_base = base_url.replace("http://", "ws://")
    run = Run()
    rng = random.Random(args.seed)
    visitors: list = []
    readers: list[asyncio.Task] = []
    agent = None
    result: dict = {}
    try:
        agent = await websockets.connect(f"{ws_base}/ws/agent/", origin=base_url, max_queue=None,
                                         ping_interval=None,
                                         additional_headers={"Cookie": fixtures["cookie"]},
                                         open_timeout=FRAME_TIMEOUT)
        await _next(agent, "hello")
        agent_task = asyncio.create_task(_agent_reader(agent, run))
        await asyncio.sleep(1.0)
        rss_before = rss_kib(server_pid)
        log(f"agent connected; server RSS {rss_before} KiB; opening {args.visitors} visitors")

        url = f"{ws_base}/ws/chat/{fixtures['widget_key']}/"
        ramp_started = time.monotonic()
        for first in range(0, args.visitors, BATCH):
            count = min(BATCH, args.visitors - first)
            opened = await asyncio.gather(*(_open_visitor(url, run) for _ in range(count)))
            visitors.extend(socket for socket in opened if socket is not None)
            log(f"{len(visitors)} visitors connected")
        ramp_seconds = time.monotonic() - ramp_started
        await asyncio.sleep(2.0)
        rss_after = rss_kib(server_pid)
        log(f"all connected in {ramp_seconds:.1f}s; server RSS {rss_after} KiB; sending")

        readers = [asyncio.create_task(_visitor_reader(socket, run)) for socket in visitors]
        readers.append(asyncio.create_task(_watch_loop_lag(run)))
        cpu_start = cpu_seconds(server_pid)
        client_cpu_start = cpu_seconds(os.getpid())
        start = time.monotonic()
        await asyncio.gather(*(_visitor_sender(socket, n, run, start, args, rng)
                               for n, socket in enumerate(visitors)))
        send_seconds = time.monotonic() - start
        drain_deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < drain_deadline and len(run.arrived.keys() & run.sent.keys()) < len(run.sent):
            await asyncio.sleep(0.1)
        rss_end = rss_kib(server_pid)
        cpu_end = cpu_seconds(server_pid)
        client_cpu_end = cpu_seconds(os.getpid())
        cpu_window = time.monotonic() - start
        log(f"sent {len(run.sent)}, agent saw {len(run.arrived)}")

        result = {"start": start, "ramp_seconds": round(ramp_seconds, 2),
                  "send_seconds": round(send_seconds, 2),
                  "rss_before": rss_before, "rss_after": rss_after, "rss_end": rss_end,
                  "server_cpu_seconds": None if cpu_start is None or cpu_end is None
                  else round(cpu_end - cpu_start, 2),
                  "client_cpu_seconds": None if client_cpu_start is None or client_cpu_end is None
                  else round(client_cpu_end - client_cpu_start, 2),
                  "cpu_window_seconds": cpu_window,
                  "connected": len(visitors), "agent_task": agent_task,
                  "agent_ended_early": run.agent_closed}  # before we closed it ourselves
    finally:
        for socket in visitors:
            await socket.close()
        if agent is not None:
            await agent.close()
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
    agent_task = result.pop("agent_task", None)
    if agent_task is not None:
        agent_task.cancel()
        await asyncio.gather(agent_task, return_exceptions=True)
    result["run"] = run
    return result


# --------------------------------------------------------------------------- report

def _slowest_at(run: Run, start: float, count: int = 20) -> list[list[float]]:
    """[seconds into the run, delivery ms, ack ms] of the slowest deliveries: bunched = a stall;
    a quick ack = stored in time, held up on the way to the agent."""
    slow = sorted(((run.arrived[mid] - sent, sent, run.acked.get(mid)) for mid, sent in run.sent.items()
                   if mid in run.arrived), key=lambda x: x[0], reverse=True)[:count]
    return [[round(sent - start, 1), round(latency * 1000, 1),
             round((acked - sent) * 1000, 1) if acked else None]
            for latency, sent, acked in sorted(slow, key=lambda x: x[1])]


def report(args, measured: dict) -> dict:
    from django.conf import settings

    from bench.stats import percentiles

    run: Run = measured["run"]
    latencies = [(run.arrived[mid] - sent) * 1000 for mid, sent in run.sent.items() if mid in run.arrived]
    received = len(latencies)
    lost = len(run.sent) - received
    connected = measured["connected"]
    before, after = measured["rss_before"], measured["rss_after"]
    per_connection = (round((after - before) / connected, 1)
                      if before is not None and after is not None and connected else None)
    latency = percentiles(latencies)
    # The visitor's own ack: stored and committed (the agent's event follows from there).
    acked = percentiles([(run.acked[mid] - sent) * 1000
                         for mid, sent in run.sent.items() if mid in run.acked])
    send_seconds = measured["send_seconds"]
    cpu = measured.get("server_cpu_seconds")
    p99_ok = bool(latency) and latency["p99"] < TARGET_P99_MS and lost == 0 and connected == args.visitors
    targets = {
        "delivery_p99_ms": {"target": f"< {TARGET_P99_MS:g} ms at {TARGET_VISITORS} visitors, none lost",
                            "value": latency.get("p99"), "visitors": connected,
                            "passed": p99_ok,
                            "at_target_size": connected >= TARGET_VISITORS},
        "kib_per_connection": {"target": f"< {TARGET_KIB_PER_CONNECTION:g} KiB",
                               "value": per_connection,
                               "passed": per_connection is not None
                               and per_connection < TARGET_KIB_PER_CONNECTION},
    }
    return {
        "environment": {"cpus": os.cpu_count(), "server": f"{args.server} (1 process)",
                        "cpu_steadiness_at_start": measured["cpu_steadiness"],
                        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
                        "socket_db_threads": settings.SOCKET_DB_THREADS, "celery": "eager",
                        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
                        "python": sys.version.split()[0]},
        "parameters": {"visitors": args.visitors, "interval_s": args.interval,
                       "duration_s": args.duration, "batch": BATCH, "seed": args.seed},
        "visitors_connected": connected,
        "connect_failures": run.connect_failures,
        "ramp_seconds": measured["ramp_seconds"],
        "messages_sent": len(run.sent),
        "messages_acked": run.acks,
        "messages_received_by_agent": received,
        "messages_lost": lost,
        "visitor_errors": run.errors,
        "agent_events": run.agent_events,
        "agent_socket_ended_early": measured.get("agent_ended_early"),
        "messages_per_second": round(received / send_seconds, 1) if send_seconds else None,
        "offered_per_second": round(connected / args.interval, 1),
        "delivery_latency_ms": latency,
        "ack_latency_ms": acked,
        # The server's own CPU (all threads) while messages flowed, per message sent.
        "server_cpu_ms_per_message": round(cpu * 1000 / len(run.sent), 2) if cpu and run.sent else None,
        # Above 1.0 the server used more than one core (its worker threads).
        "server_cpu_busy_fraction": round(cpu / measured["cpu_window_seconds"], 2) if cpu else None,
        # This load client (every visitor and the agent) on the same cores, and how late its
        # event loop ran: its lag is part of the latencies above.
        "client_cpu_busy_fraction": round(measured["client_cpu_seconds"] / measured["cpu_window_seconds"], 2)
        if measured.get("client_cpu_seconds") else None,
        "client_loop_lag_ms": percentiles(run.loop_lag),
        "slowest_deliveries_at_s": _slowest_at(run, measured["start"]),
        "server_rss_kib": {"before_connections": before, "all_connected": after,
                           "end": measured["rss_end"]},
        "kib_per_connection": per_connection,
        "targets": targets,
        "passed": all(t["passed"] for t in targets.values()) and connected >= TARGET_VISITORS,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        print("bench.chat: set REDIS_URL: the agent and the visitors meet in the Redis channel "
              "layer, as in production", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print(f"bench.chat: refusing to run on {connection.vendor}: set DATABASE_URL to a "
              "PostgreSQL database", file=sys.stderr)
        return 2
    from bench.server import _free_port, _stop, _wait_until_up
    from bench.stats import cpu_steadiness

    steadiness = cpu_steadiness()
    fixtures = prepare()
    connection.close()  # the server process does the database work from here on
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_server(args.server, port)
    try:
        _wait_until_up(base_url, process)
        log(f"{args.server} up at {base_url} (pid {process.pid})")
        measured = asyncio.run(client(args, base_url, fixtures, process.pid))
    finally:
        _stop(process)
    measured["cpu_steadiness"] = steadiness
    document = report(args, measured)
    text = json.dumps(document, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
