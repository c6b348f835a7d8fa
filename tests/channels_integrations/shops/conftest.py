"""Shop connections, signed deliveries, eager tasks and a local fake shop API."""

from __future__ import annotations

import contextlib
import copy
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import TestCase

from channels_integrations.shops import shopify, woocommerce
from channels_integrations.shops.models import ShopConnection
from helpdesk.celery import app as celery_app

FIXTURES = Path(__file__).parent / "fixtures"
SHOPIFY_SECRET = "shpss_test_4b1d0c0ffee"
WOO_SECRET = "wc-webhook-secret-9f8e"


def payload(name: str) -> dict:
    return copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text()))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded receipt files go to the test's own folder, never the repository's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager():
    """Tasks run in the test process (queued after commit, as on a worker); see committed()."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def committed():
    """Run what the block queues for after commit when it ends (the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def shop_env(monkeypatch):
    monkeypatch.setenv("SHOP_NL_WEBHOOK_SECRET", SHOPIFY_SECRET)
    monkeypatch.setenv("SHOP_NL_ACCESS_TOKEN", "shpat_test_token")
    monkeypatch.setenv("WOO_WEBHOOK_SECRET", WOO_SECRET)
    monkeypatch.setenv("WOO_KEY", "ck_test")
    monkeypatch.setenv("WOO_SECRET", "cs_test")


@pytest.fixture
def shopify_shop(db, shop_env):
    return ShopConnection.objects.create(
        kind="shopify",
        name="Webshop NL",
        slug="webshop-nl",
        base_url="https://noordwind.myshopify.com",
        api_version="2025-01",
        access_token_env="SHOP_NL_ACCESS_TOKEN",
        webhook_secret_env="SHOP_NL_WEBHOOK_SECRET",
    )


@pytest.fixture
def woo_shop(db, shop_env):
    return ShopConnection.objects.create(
        kind="woocommerce",
        name="Outlet",
        slug="outlet",
        base_url="https://outlet.example",
        consumer_key_env="WOO_KEY",
        consumer_secret_env="WOO_SECRET",
        webhook_secret_env="WOO_WEBHOOK_SECRET",
    )


def post_shopify(
    client,
    shop,
    topic: str,
    body: dict | bytes,
    *,
    signature: str | None = None,
    webhook_id: str | None = None,
    queued: bool = True,
):
    """POST a signed webhook; `queued=False`: what it queues after commit is lost (broker down)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "HTTP_X_SHOPIFY_TOPIC": topic,
        "HTTP_X_SHOPIFY_HMAC_SHA256": shopify.sign(raw, SHOPIFY_SECRET) if signature is None else signature,
        "HTTP_X_SHOPIFY_SHOP_DOMAIN": "noordwind.myshopify.com",
        "HTTP_X_SHOPIFY_API_VERSION": "2025-01",
    }
    if webhook_id:
        headers["HTTP_X_SHOPIFY_WEBHOOK_ID"] = webhook_id
    with committed() if queued else contextlib.nullcontext():
        return client.post(
            f"/shops/{shop.slug}/shopify/webhook/", raw, content_type="application/json", **headers
        )


def post_woo(
    client,
    shop,
    topic: str,
    body: dict | bytes,
    *,
    signature: str | None = None,
    delivery_id: str | None = None,
):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "HTTP_X_WC_WEBHOOK_TOPIC": topic,
        "HTTP_X_WC_WEBHOOK_RESOURCE": topic.split(".")[0],
        "HTTP_X_WC_WEBHOOK_EVENT": topic.split(".")[-1],
        "HTTP_X_WC_WEBHOOK_SIGNATURE": woocommerce.sign(raw, WOO_SECRET) if signature is None else signature,
        "HTTP_X_WC_WEBHOOK_SOURCE": "https://outlet.example/",
        "HTTP_X_WC_WEBHOOK_ID": "12",
    }
    if delivery_id:
        headers["HTTP_X_WC_WEBHOOK_DELIVERY_ID"] = delivery_id
    with committed():
        return client.post(
            f"/shops/{shop.slug}/woocommerce/webhook/", raw, content_type="application/json", **headers
        )


class FakeShopServer:
    """A loopback HTTP server; `handle(request) -> (status, headers, body)` is set per test."""

    def __init__(self, handle):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                request = {"path": self.path, "headers": dict(self.headers)}
                outer.requests.append(request)
                status, headers, body = handle(request, outer)
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
