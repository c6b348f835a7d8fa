"""Role rules for the API: every view names the roles that may call it."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from agents.models import Role

ALL_STAFF = (Role.AGENT, Role.STORE_STAFF, Role.MANAGER, Role.ADMIN)
SERVICE = (Role.AGENT, Role.MANAGER, Role.ADMIN)


def _role_of(request) -> str | None:
    user = request.user
    if not user or not user.is_authenticated or not user.is_active:
        return None
    return user.effective_role


class IsStaffMember(BasePermission):
    """Default: any signed-in staff member; views narrow it with `roles`."""

    def has_permission(self, request, view) -> bool:
        role = _role_of(request)
        if role is None:
            return False
        method_roles = getattr(view, "roles_by_method", {}).get(request.method)
        if method_roles is not None:
            return role in method_roles
        action = getattr(view, "action", None)
        action_roles = getattr(view, "roles_by_action", {}).get(action)
        if action_roles is not None:
            return role in action_roles
        return role in getattr(view, "roles", ALL_STAFF)
