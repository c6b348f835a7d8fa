"""The chat widget and conversation admin pages work, and show the snippet to paste."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from channels_integrations.chat.models import ChatConversation, ChatWidget

pytestmark = pytest.mark.django_db


def test_admin_list_add_and_change_pages(admin_user):
    widget = ChatWidget.objects.create(name="Webshop", allowed_origins=["https://shop.example"])
    conversation = ChatConversation.objects.create(widget=widget, claimed_email="anna@example.nl")
    client = Client()
    client.force_login(admin_user)
    for model, obj in ((ChatWidget, widget), (ChatConversation, conversation)):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:channels_integrations_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:channels_integrations_{name}_add")).status_code == 200
        change = client.get(reverse(f"admin:channels_integrations_{name}_change", args=[obj.pk]))
        assert change.status_code == 200
    url = reverse("admin:channels_integrations_chatwidget_change", args=[widget.pk])
    page = client.get(url).content.decode()
    assert f"http://testserver/chat/widget.js&quot; data-key=&quot;{widget.key}" in page


def test_a_widget_with_a_bad_origin_cannot_be_saved_in_the_admin(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(reverse("admin:channels_integrations_chatwidget_add"), {
        "name": "Webshop", "active": "on", "allowed_origins": '["shop.example/path"]', "greeting": "Hoi",
        "pre_chat_fields": "[]", "max_attachment_bytes": "1000",
    })
    assert response.status_code == 200 and not ChatWidget.objects.exists()
