"""Finding the customer at the counter by every key, typo'd names too; each lookup audited."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from helpdesk.customers.models import Customer, CustomerAccess
from helpdesk.customers.selectors import customer_search
from tests.helpdesk.inbound.helpers import contact

pytestmark = pytest.mark.django_db


def found(client, q: str, key: str) -> list[int]:
    response = client.get("/store/", {"q": q, "key": key})
    assert response.status_code == 200
    return [c.pk for c in response.context["found"]]


@pytest.mark.parametrize(("q", "key"), [
    ("06 12345678", "phone"), ("+31 6 1234 5678", "phone"), ("0031612345678", "phone"),
    ("Anna@Example.NL", "email"), ("bl-000 123", "loyalty_card"), ("#100234", "order"),
    ("100234", "any"), ("Anna de Boer", "name"), ("anna@example.nl", "any"),
])
def test_each_key_finds_anna(web_as, daan, anna, annas_web_order, q, key):
    assert found(web_as(daan), q, key) == [anna.pk]


def test_a_key_only_searches_its_own_kind(web_as, daan, anna, annas_web_order):
    client = web_as(daan)
    assert found(client, "100234", "phone") == []
    assert found(client, "Anna de Boer", "email") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm similarity")
@pytest.mark.parametrize("typo", ["Ana de Bour", "Anna de Boor", "Boerr"])
def test_a_typo_in_the_name_still_finds_her(web_as, daan, anna, typo):
    contact("email", email="piet@example.nl", name="Piet Jansen")
    assert found(web_as(daan), typo, "name")[:1] == [anna.pk]


def test_the_simpler_match_off_postgresql_finds_a_typo_after_the_third_letter(anna, monkeypatch):
    from helpdesk.customers import selectors

    assert selectors._similar_names_plain("Anna de Boerr", exclude=[], limit=5) == [anna.pk]


def test_every_lookup_is_in_the_access_audit(web_as, daan, store, anna):
    found(web_as(daan), "anna@example.nl", "email")
    access = CustomerAccess.objects.get(customer=anna)
    assert (access.user, access.store, access.query) == (daan, store, "anna@example.nl")
    assert access.accessed_at is not None


def test_a_lookup_without_a_match_records_nothing_and_offers_a_walk_in(web_as, daan, anna):
    response = web_as(daan).get("/store/", {"q": "0699999999", "key": "phone"})
    assert response.context["found"] == []
    assert "Log as walk-in" in response.content.decode()
    assert not CustomerAccess.objects.exists()


def test_the_agents_search_is_unchanged_by_the_fuzzy_option(anna):
    contact("email", email="piet@example.nl", name="Piet Jansen")
    assert customer_search("Ana de Bour") == []


def test_the_lookup_and_customer_pages_have_a_fixed_query_count(web_as, daan, anna, annas_web_order):
    client = web_as(daan)
    for i in range(6):
        contact("email", email="anna@example.nl", text=f"vraag {i}")
        contact("email", email=f"anna{i}@example.nl", name=f"Anna de Boer {i}")
    with CaptureQueriesContext(connection) as lookup:
        assert client.get("/store/", {"q": "Anna de Boer", "key": "name"}).status_code == 200
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/store/customers/{anna.pk}/").status_code == 200
    assert len(lookup) <= 13, [q["sql"] for q in lookup.captured_queries]
    assert len(page) <= 18, [q["sql"] for q in page.captured_queries]
    assert Customer.objects.count() == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm GiST index")
def test_the_typo_lookup_reads_names_nearest_first_from_the_gist_index(anna):
    """At 200,000 customers a common first name is similar to thousands of names: the
    lookup must let the GiST index hand out the nearest few (KNN), not sort them all.
    Only the form `upper(name) <->> query` can do that; `query <<-> upper(name)` cannot."""
    with CaptureQueriesContext(connection) as captured:
        assert customer_search("Ana de Bour", key="name", fuzzy=True, limit=10) == [anna]
    sql = next(q["sql"] for q in captured.captured_queries if "<->>" in q["sql"])
    with connection.cursor() as cursor, transaction.atomic():
        # A handful of test rows would just be sorted: ask whether a plan without a sort exists.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.45', true)")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "customer_name_trgm_gist" in plan and "Order By: (upper((name)::text) <->>" in plan, plan
    assert "Sort" not in plan, plan
