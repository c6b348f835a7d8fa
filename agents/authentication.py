"""API token authentication: DRF's TokenAuthentication with one hand-written query.

Every API request authenticates; reading the token and its user through the ORM cost
more Python time than the rest of a small request (see helpdesk/rows.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from agents.models import User
from helpdesk import rows


class StaffTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        token, user = rows.columns(Token, "t"), rows.columns(User, "u")
        found = rows.fetch(
            f"SELECT {token.sql}, {user.sql} FROM {Token._meta.db_table} t "
            f"JOIN {User._meta.db_table} u ON u.id = t.user_id WHERE t.key = %s",
            [key],
        )
        if not found:
            raise AuthenticationFailed(_("Invalid token."))
        credentials = rows.joined(found[0], token, [("user", user)])
        if not credentials.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return credentials.user, credentials
