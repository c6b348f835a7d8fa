"""A small, bounded set of threads for the database work of live sockets.

Channels' `database_sync_to_async` runs every call of every socket of a process on ONE
thread and opens a new PostgreSQL connection for each call (CONN_MAX_AGE is 0 for the
request path). A chat message then waits for every other socket's calls and pays a
connection set-up (tens of milliseconds) on top of its own queries. Here a few worker
threads share the calls, so one call's database waits overlap another's work, and each
worker keeps its own connection between calls:

* at most SOCKET_DB_THREADS threads, so at most that many connections per process;
* a worker idle for SOCKET_DB_IDLE_SECONDS closes its connection and ends (a quiet process
  holds none); a connection older than SOCKET_DB_CONN_MAX_AGE is replaced;
* after each call Django's own checks run (`close_if_unusable_or_obsolete`): a connection
  left in a transaction, with a changed autocommit, or broken by an error is closed;
* a connection idle for a while is pinged before use, so a restarted database costs a
  reconnect rather than a failed call.

Calls run through asgiref's SyncToAsync (thread_sensitive=False, with this executor), so
contextvars and async_to_sync inside a call behave as in any other sync_to_async call.
"""

from __future__ import annotations

import functools
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

# A connection unused this long is checked (SELECT 1) before the next call relies on it.
PING_AFTER_IDLE_SECONDS = 5.0

_STOP = object()


class DatabaseThreads(Executor):
    """Run calls on up to `max_workers` threads that each keep one database connection."""

    def __init__(self, *, max_workers: int, idle_seconds: float, conn_max_age: float,
                 name: str = "socket-db") -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.max_workers = max_workers
        self.idle_seconds = idle_seconds
        self.conn_max_age = conn_max_age
        self.name = name
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()
        self._idle = 0
        self._number = 0

    # --- Executor -------------------------------------------------------------

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        self._jobs.put((future, fn, args, kwargs))
        with self._lock:
            # More waiting calls than idle workers: another worker, up to the bound.
            if len(self._threads) < self.max_workers and self._jobs.qsize() > self._idle:
                self._start_worker()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Workers finish what is queued, close their connections and end.

        The executor stays usable: the next call starts new workers.
        """
        with self._lock:
            threads = list(self._threads)
        for _ in threads:
            self._jobs.put(_STOP)
        if wait:
            for thread in threads:
                thread.join()

    @property
    def threads(self) -> int:
        with self._lock:
            return len(self._threads)

    # --- workers --------------------------------------------------------------

    def _start_worker(self) -> None:  # called with the lock held
        self._number += 1
        thread = threading.Thread(target=self._work, name=f"{self.name}-{self._number}", daemon=True)
        self._threads.add(thread)
        thread.start()

    def _work(self) -> None:
        state = _ConnectionState(self.conn_max_age)
        try:
            while True:
                job = self._next_job()
                if job is None or job is _STOP:
                    return
                future, fn, args, kwargs = job
                if not future.set_running_or_notify_cancel():
                    continue
                state.before_call()
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:  # handed to the awaiting coroutine
                    future.set_exception(exc)
                else:
                    future.set_result(result)
                finally:
                    state.after_call()
                del job, future, fn, args, kwargs
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())
            connections.close_all()

    def _next_job(self):
        """The next queued call; None when this worker has been idle long enough to end."""
        with self._lock:
            self._idle += 1
        try:
            while True:
                try:
                    return self._jobs.get(timeout=self.idle_seconds)
                except queue.Empty:
                    with self._lock:
                        # submit() may have counted on this worker: end only with nothing queued.
                        if self._jobs.empty():
                            return None
        finally:
            with self._lock:
                self._idle -= 1


class _ConnectionState:
    """Keep the worker's connections between calls, within the age and health rules."""

    def __init__(self, max_age: float) -> None:
        self.max_age = max_age
        self.last_used = time.monotonic()
        self.known: dict[str, int] = {}  # alias -> id() of the DB-API connection we dated

    def before_call(self) -> None:
        now = time.monotonic()
        if now - self.last_used > PING_AFTER_IDLE_SECONDS:
            for conn in connections.all(initialized_only=True):
                if conn.connection is not None and not conn.in_atomic_block and not conn.is_usable():
                    conn.close()

    def after_call(self) -> None:
        self.last_used = time.monotonic()
        for conn in connections.all(initialized_only=True):
            if conn.connection is None:
                continue
            if self.known.get(conn.alias) != id(conn.connection):
                # A connection opened during this call: it lives max_age, not CONN_MAX_AGE
                # (which is about request threads, where 0 means one per request).
                self.known[conn.alias] = id(conn.connection)
                conn.close_at = self.last_used + self.max_age
            conn.close_if_unusable_or_obsolete()


_executor: DatabaseThreads | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()


def executor() -> DatabaseThreads:
    """The process's socket database threads (made on first use; anew in a forked child)."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = DatabaseThreads(
                max_workers=settings.SOCKET_DB_THREADS,
                idle_seconds=settings.SOCKET_DB_IDLE_SECONDS,
                conn_max_age=settings.SOCKET_DB_CONN_MAX_AGE,
            )
            _executor_pid = os.getpid()
        return _executor


def close_all() -> None:
    """End the workers and close their connections (tests, before the test database goes)."""
    with _executor_lock:
        current = _executor if _executor_pid == os.getpid() else None
    if current is not None:
        current.shutdown(wait=True)


def in_db_thread(func: Callable) -> Callable:
    """`await in_db_thread(fn)(...)`: run a sync function with database work on the socket threads."""

    @functools.wraps(func)
    async def run(*args, **kwargs):
        return await sync_to_async(func, thread_sensitive=False, executor=executor())(*args, **kwargs)

    return run
