"""Who a contact is from: known identities, anonymous newcomers, conflicting claims."""

from __future__ import annotations

import pytest

from helpdesk.customers.models import Customer, Identity, MergeSuggestion
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def test_an_unknown_sender_becomes_an_anonymous_customer_with_its_identities(sanne):
    result = contact("whatsapp", phone="+31612345678", handle="31612345678")
    customer = Customer.objects.get(pk=result.customer_id)
    assert customer.name == ""
    assert sorted(customer.identities.values_list("kind", "value")) == [
        ("phone", "+31612345678"),
        ("whatsapp", "31612345678"),
    ]


def test_a_new_identity_of_a_known_customer_is_linked_to_them(sanne):
    first = contact("email", email="anna@example.nl", name="Anna de Boer")
    second = contact("sms", email="anna@example.nl", phone="+31612345678")
    assert second.customer_id == first.customer_id
    assert Identity.objects.get(kind="phone").customer_id == first.customer_id


def test_claims_of_two_customers_are_never_merged_automatically(sanne):
    anna = contact("email", email="anna@example.nl").customer_id
    bram = contact("sms", phone="+31687654321").customer_id
    both = contact("email", email="anna@example.nl", phone="+31687654321")

    assert both.customer_id == anna  # the email is the stronger claim on the email channel
    assert Customer.objects.count() == 2
    assert Identity.objects.get(kind="phone").customer_id == bram
    suggestion = MergeSuggestion.objects.get()
    assert {suggestion.customer_id, suggestion.other_id} == {anna, bram}


def test_phone_numbers_are_stored_in_e164_with_the_default_region(admin_api, sanne, settings):
    for raw in ("06 12345678", "+31 (0)6-1234 5678", "0031612345678"):
        response = admin_api.post(
            "/api/v1/inbound/api/", {"channel": "sms", "from": {"phone": raw}, "text": "hoi"}, format="json"
        )
        assert response.status_code == 201, response.json()
    assert list(Identity.objects.values_list("value", flat=True)) == ["+31612345678"]
    settings.DEFAULT_PHONE_REGION = "BE"
    admin_api.post(
        "/api/v1/inbound/api/",
        {"channel": "sms", "from": {"phone": "0470 12 34 56"}, "text": "hoi"},
        format="json",
    )
    assert Identity.objects.filter(value="+32470123456").exists()


def test_email_addresses_are_matched_case_insensitively(admin_api, sanne):
    for address in ("Anna@Example.NL", "anna@example.nl ", "ANNA@EXAMPLE.NL"):
        admin_api.post(
            "/api/v1/inbound/api/",
            {"channel": "email", "from": {"email": address}, "text": "hoi"},
            format="json",
        )
    assert Customer.objects.count() == 1
