"""manage.py create_chat_widget --name "Web shop" --origin https://shop.example [--origin …]

Creates the widget (or adds origins to the one with that name) and prints its key and
the script tag to paste into the shop's pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agents.models import Team
from channels_integrations.chat.models import PRE_CHAT_FIELDS, ChatWidget, normalise_origin


class Command(BaseCommand):
    help = "Create a live-chat widget (or add origins to an existing one) and print its script tag."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="Widget name, shown as the chat title.")
        parser.add_argument("--origin", action="append", default=[], required=True,
                            help="A site that may embed it, e.g. https://shop.example (repeatable).")
        parser.add_argument("--team", help="Name of the team whose online agents answer.")
        parser.add_argument("--greeting", help="First line visitors see.")
        parser.add_argument("--prechat", default="",
                            help=f"Comma-separated fields asked first: {','.join(PRE_CHAT_FIELDS)}.")
        parser.add_argument("--base-url", default="http://localhost:8000",
                            help="This helpdesk's public address, for the printed script tag.")

    def handle(self, *args, **options) -> None:
        origins = [normalise_origin(o) for o in options["origin"]]
        prechat = [f.strip() for f in options["prechat"].split(",") if f.strip()]
        widget = ChatWidget.objects.filter(name=options["name"]).order_by("id").first()
        created = widget is None
        widget = widget or ChatWidget(name=options["name"])
        widget.allowed_origins = list(dict.fromkeys([*widget.allowed_origins, *origins]))
        if options["team"]:
            widget.team = Team.objects.filter(name=options["team"]).first()
            if widget.team is None:
                raise CommandError(f"No team named {options['team']!r}.")
        if options["greeting"] is not None:
            widget.greeting = options["greeting"]
        if prechat:
            widget.pre_chat_fields = prechat
        try:
            widget.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        widget.save()
        self.stdout.write(f"{'Created' if created else 'Updated'} chat widget {widget.name!r}")
        self.stdout.write(f"key: {widget.key}")
        self.stdout.write(f"allowed origins: {', '.join(widget.allowed_origins)}")
        self.stdout.write("Paste this into the shop's pages:")
        self.stdout.write(widget.snippet(options["base_url"]))
