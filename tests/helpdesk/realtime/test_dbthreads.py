"""The live sockets' database threads: calls overlap, connections are kept but bounded,
and a broken or idle connection does not outlive its use."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from helpdesk.realtime.dbthreads import DatabaseThreads

pytestmark = [pytest.mark.django_db(transaction=True)]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def open_backends(pids: set[int]) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)])
        return {row[0] for row in cursor.fetchall()}


def until(condition, timeout: float = 20.0) -> bool:
    """Poll (this is not a timing assertion: it only bounds how long the test may hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def pool():
    threads = DatabaseThreads(max_workers=2, idle_seconds=30, conn_max_age=300, name="test-db")
    yield threads
    threads.shutdown()


def skip_unless_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("backend pids are a PostgreSQL notion")


def test_calls_run_side_by_side(pool):
    both_inside = threading.Barrier(2, timeout=20)

    def call():
        backend_pid()  # database work, then wait for the other call to be running too
        both_inside.wait()
        return threading.current_thread().name

    futures = [pool.submit(call) for _ in range(2)]
    names = {future.result(timeout=30) for future in futures}
    assert len(names) == 2


def test_a_worker_keeps_its_connection_between_calls_and_never_opens_more_than_the_bound(pool):
    skip_unless_postgres()
    pids = [pool.submit(backend_pid).result(timeout=30) for _ in range(20)]
    assert len(set(pids)) <= 2
    assert pool.threads <= 2
    assert open_backends(set(pids)) == set(pids)  # still open: the next call reuses it


def test_a_broken_transaction_does_not_poison_the_next_call():
    skip_unless_postgres()
    single = DatabaseThreads(max_workers=1, idle_seconds=30, conn_max_age=300)

    def failing():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")

    try:
        with pytest.raises(Exception, match="division by zero"):
            single.submit(failing).result(timeout=30)
        assert single.submit(backend_pid).result(timeout=30) > 0
    finally:
        single.shutdown()


def test_idle_workers_close_their_connections_and_end():
    skip_unless_postgres()
    quiet = DatabaseThreads(max_workers=2, idle_seconds=0.2, conn_max_age=300)
    pid = quiet.submit(backend_pid).result(timeout=30)
    assert until(lambda: quiet.threads == 0)
    assert until(lambda: not open_backends({pid}))
    # and the executor still works afterwards
    assert quiet.submit(backend_pid).result(timeout=30) > 0
    quiet.shutdown()


def test_an_old_connection_is_replaced():
    skip_unless_postgres()
    short = DatabaseThreads(max_workers=1, idle_seconds=30, conn_max_age=0)
    try:
        first = short.submit(backend_pid).result(timeout=30)
        second = short.submit(backend_pid).result(timeout=30)
        assert first != second
        assert until(lambda: not open_backends({first}))
    finally:
        short.shutdown()


def test_shutdown_closes_every_connection(pool):
    skip_unless_postgres()
    barrier = threading.Barrier(2, timeout=20)

    def call():
        pid = backend_pid()
        barrier.wait()
        return pid

    pids = {future.result(timeout=30) for future in [pool.submit(call) for _ in range(2)]}
    pool.shutdown()
    assert pool.threads == 0
    assert until(lambda: not open_backends(pids))
