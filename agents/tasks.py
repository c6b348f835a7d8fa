from celery import shared_task

from agents.load import recount_open_tickets


@shared_task(acks_late=True)
def recount_open_tickets_task() -> int:
    """Idempotent: recomputes from the tickets, whatever the counters say."""
    return recount_open_tickets()
