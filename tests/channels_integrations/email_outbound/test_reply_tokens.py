"""Reply tokens route a customer's answer to their ticket and cannot be guessed or altered."""

from __future__ import annotations

from channels_integrations.email.tokens import (
    reply_address,
    reply_token,
    ticket_id_from_address,
    ticket_id_from_token,
)


def test_a_token_names_its_ticket():
    token = reply_token(1234)
    assert token.startswith("t1234-") and len(token.split("-")[1]) == 10
    assert ticket_id_from_token(token) == 1234
    assert ticket_id_from_token(token.upper()) == 1234


def test_forged_or_altered_tokens_name_nothing():
    token = reply_token(1234)
    digest = token.split("-")[1]
    assert ticket_id_from_token(f"t1235-{digest}") is None
    assert ticket_id_from_token(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    for junk in ("", "t1234", "1234-abcdefabcd", "t-abcdefabcd", "tabc-abcdefabcd", "t1234-xyz"):
        assert ticket_id_from_token(junk) is None


def test_a_token_depends_on_the_secret_key(settings):
    token = reply_token(7)
    settings.SECRET_KEY = "another-deployment"
    assert ticket_id_from_token(token) is None


def test_reply_addresses_are_built_from_the_mailbox_and_parsed_back():
    address = reply_address("Support@Shop.example", 42)
    assert address == f"Support+{reply_token(42)}@Shop.example"
    assert ticket_id_from_address(address) == 42
    assert ticket_id_from_address(f"<{address.upper()}>") == 42
    # An existing +tag on the mailbox is replaced, not stacked.
    assert reply_address("support+nl@shop.example", 42) == f"support+{reply_token(42)}@shop.example"


def test_addresses_without_a_valid_token_name_nothing():
    for address in ("support@shop.example", "support+@shop.example", "support+t42-0000000000@shop.example",
                    "not an address", ""):
        assert ticket_id_from_address(address) is None
