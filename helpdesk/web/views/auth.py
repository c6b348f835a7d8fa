from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url

from agents.models import Role
from helpdesk.home import home as landing_page
from helpdesk.store.access import counter_stores


def start_page(user) -> str:
    """Where staff land after signing in: store staff at their counter, the rest in the inbox."""
    if user.effective_role == Role.STORE_STAFF and counter_stores(user).exists():
        return resolve_url("store:lookup")
    return resolve_url("web:inbox")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Without a safe ?next=, the signed-in person's start page."""
        return start_page(self.request.user)


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view(next_page="web:login")


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in staff go to their start page; everyone else sees the landing page."""
    if request.user.is_authenticated:
        return redirect(start_page(request.user))
    return landing_page(request)
