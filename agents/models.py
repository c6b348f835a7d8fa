"""Staff accounts, teams and stores."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Service agent"
    STORE_STAFF = "store_staff", "Store staff"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Administrator"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    # Channels this team answers by default; a new ticket on such a channel goes here.
    channels = models.JSONField(default=list, blank=True)
    is_default = models.BooleanField(
        default=False, help_text="Receives tickets that no other rule routes."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=32, unique=True)
    city = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    # The service team that takes over what the store hands over.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="stores"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class User(AbstractUser):
    """A staff member. Customers never log in; they are `customers.Customer`."""

    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    stores = models.ManyToManyField(Store, blank=True, related_name="staff")
    skills = models.JSONField(default=list, blank=True)
    capacity = models.PositiveIntegerField(default=20, help_text="Open tickets at most.")
    # Maintained by the ticket services (agents.load) so routing never counts tickets;
    # `manage.py recount_open_tickets` and a nightly task correct any drift.
    open_ticket_count = models.IntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username

    @property
    def effective_role(self) -> str:
        # A superuser is an admin whatever the stored role says.
        return Role.ADMIN if self.is_superuser else self.role

    def has_role(self, *roles: str) -> bool:
        return self.effective_role in roles

    @property
    def sees_every_ticket(self) -> bool:
        return self.effective_role in (Role.AGENT, Role.MANAGER, Role.ADMIN)


class CannedReply(models.Model):
    """A saved answer an agent drops into a reply; placeholders are filled per ticket.

    Placeholders: {{ customer.name }}, {{ customer.first_name }}, {{ order.number }},
    {{ agent.name }}, {{ ticket.id }} (helpdesk.web.canned fills them as plain text).
    """

    title = models.CharField(max_length=120)
    body = models.TextField()
    # A team's own answers; none means every agent may use it.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="canned_replies"
    )
    shortcut = models.SlugField(max_length=32, blank=True, help_text="Typed after ';' to find it fast.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.title
