from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from helpdesk.home import home as landing_page

login = auth_views.LoginView.as_view(
    template_name="web/login.html", redirect_authenticated_user=True, next_page="web:inbox"
)
logout = auth_views.LogoutView.as_view(next_page="web:login")


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in staff start in their inbox; everyone else sees the landing page."""
    if request.user.is_authenticated:
        return redirect("web:inbox")
    return landing_page(request)
