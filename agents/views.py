"""Staff, teams and stores: every staff member reads, admins write."""

from __future__ import annotations

from rest_framework import mixins, viewsets

from agents.models import Role, Store, Team, User
from agents.permissions import ALL_STAFF
from agents.serializers import AgentSerializer, StoreSerializer, TeamSerializer

_ADMIN_WRITES = {"POST": (Role.ADMIN,), "PATCH": (Role.ADMIN,), "PUT": (Role.ADMIN,)}


class AgentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Roles: read — all staff; create and change — admin."""

    roles = ALL_STAFF
    roles_by_method = _ADMIN_WRITES
    serializer_class = AgentSerializer
    queryset = User.objects.prefetch_related("teams", "stores").order_by("id")
    http_method_names = ["get", "post", "patch", "head", "options"]


class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """Roles: read — all staff; create — admin."""

    roles = ALL_STAFF
    roles_by_method = _ADMIN_WRITES
    serializer_class = TeamSerializer
    queryset = Team.objects.order_by("id")


class StoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """Roles: read — all staff; create — admin."""

    roles = ALL_STAFF
    roles_by_method = _ADMIN_WRITES
    serializer_class = StoreSerializer
    queryset = Store.objects.order_by("id")
