"""Signing in and out of the workspace; the front page sends signed-in staff to the inbox."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_sign_in_with_the_form_lands_in_the_inbox(client, sanne):
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post("/login/", {"username": "sanne", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert client.get("/inbox/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client, sanne):
    response = client.post(
        "/login/", {"username": "sanne", "password": "correct horse battery", "next": "/search/?q=anna"}
    )
    assert response["Location"] == "/search/?q=anna"


def test_a_wrong_password_says_so(client, sanne):
    response = client.post("/login/", {"username": "sanne", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_the_front_page_sends_staff_to_the_inbox_and_shows_the_landing_page_otherwise(client, sanne):
    assert client.get("/").status_code == 200
    assert "Retail helpdesk" in client.get("/").content.decode()
    client.force_login(sanne)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_sign_out_is_a_post(client, sanne):
    client.force_login(sanne)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/inbox/").status_code == 302
