"""Consent given at the counter: per channel and purpose, changes only, history kept."""

from __future__ import annotations

import pytest

from helpdesk.customers.models import Consent
from helpdesk.customers.selectors import current_consents
from helpdesk.timeline.models import EntryKind, TimelineEntry

pytestmark = pytest.mark.django_db


def test_consent_is_recorded_with_its_history(counter, daan, anna):
    url = f"/store/customers/{anna.pk}/consents/"
    page = counter.get(f"/store/customers/{anna.pk}/")
    # Anna has an email address and a phone number: those are the channels she can consent to.
    channels = [label for label, _ in page.context["consent_form"].rows()]
    assert channels == ["Email", "WhatsApp", "SMS", "Phone"]
    answers = {"email__marketing": "yes", "sms__surveys": "no", "phone__service": ""}
    assert counter.post(url, answers).status_code == 302
    assert counter.post(url, {"email__marketing": "no"}).status_code == 302
    assert counter.post(url, {"email__marketing": "no"}).status_code == 302  # unchanged: nothing new

    history = list(Consent.objects.filter(channel="email", purpose="marketing").order_by("id"))
    assert [c.granted for c in history] == [True, False]
    assert all((c.recorded_by, c.source) == (daan, "store AMS1") for c in history)
    in_force = {(c.channel, c.purpose): c.granted for c in current_consents(anna)}
    assert in_force == {("email", "marketing"): False, ("sms", "surveys"): False}
    assert TimelineEntry.objects.filter(customer=anna, kind=EntryKind.CONSENT_CHANGED).count() == 3


def test_an_unknown_answer_is_refused(counter, anna):
    response = counter.post(f"/store/customers/{anna.pk}/consents/", {"email__marketing": "maybe"})
    assert response.status_code == 400
    assert not Consent.objects.exists()
