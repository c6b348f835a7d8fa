"""The shop admin pages name the secrets' variables and never show their values."""

from __future__ import annotations

import pytest

from tests.channels_integrations.shops.conftest import SHOPIFY_SECRET

pytestmark = pytest.mark.django_db


def test_connection_pages_show_variable_names_not_secrets(client, admin_user, shopify_shop, monkeypatch):
    client.force_login(admin_user)
    listing = client.get("/admin/shops/shopconnection/")
    assert listing.status_code == 200 and b"all set" in listing.content
    page = client.get(f"/admin/shops/shopconnection/{shopify_shop.pk}/change/")
    assert page.status_code == 200
    assert b"SHOP_NL_WEBHOOK_SECRET" in page.content and b"/shops/webshop-nl/shopify/webhook/" in page.content
    assert SHOPIFY_SECRET.encode() not in page.content and b"shpat_test_token" not in page.content
    monkeypatch.delenv("SHOP_NL_ACCESS_TOKEN")
    assert b"missing: SHOP_NL_ACCESS_TOKEN" in client.get("/admin/shops/shopconnection/").content


@pytest.mark.parametrize("path", ["/admin/shops/webhookdelivery/", "/admin/shops/receiptimport/"])
def test_delivery_and_import_lists_open(client, admin_user, path):
    client.force_login(admin_user)
    assert client.get(path).status_code == 200
