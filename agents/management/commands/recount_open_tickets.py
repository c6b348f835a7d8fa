from django.core.management.base import BaseCommand

from agents.load import recount_open_tickets


class Command(BaseCommand):
    help = "Recompute each agent's open-ticket count (used by routing) from the tickets."

    def handle(self, *args, **options):
        fixed = recount_open_tickets()
        self.stdout.write(f"{fixed} agent counters corrected")
