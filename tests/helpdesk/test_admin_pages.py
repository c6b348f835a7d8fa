"""Every domain model has a working admin list, add and change page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"agents", "customers", "orders", "tickets", "timeline"}


def test_every_domain_model_is_in_the_admin():
    registered = {(m._meta.app_label, m._meta.model_name) for m in admin.site._registry}
    expected = {
        ("agents", "user"), ("agents", "team"), ("agents", "store"),
        ("customers", "customer"), ("customers", "identity"), ("customers", "consent"),
        ("customers", "mergesuggestion"), ("customers", "customeraccess"),
        ("orders", "order"), ("tickets", "ticket"), ("tickets", "message"), ("timeline", "timelineentry"),
    }
    assert expected <= registered


def test_admin_pages_render(admin_user, admin_api, sanne, store):
    contact("email", email="anna@example.nl", text="bestelling 100234")
    admin_api.post("/api/v1/orders/", {"source": "webshop", "external_id": "1", "number": "100234",
                                       "email": "anna@example.nl", "placed_at": "2026-11-01T10:00:00Z"},
                   format="json")
    client = Client()
    client.force_login(admin_user)
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in DOMAIN_APPS:
            continue
        changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert changelist.status_code == 200, meta.label
        add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert add.status_code == 200, meta.label
        first = model.objects.first()
        if first is not None:
            change = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
            assert change.status_code == 200, meta.label


def test_staff_without_admin_role_cannot_open_the_admin(sanne):
    client = Client()
    client.force_login(sanne)
    assert client.get("/admin/").status_code == 302
