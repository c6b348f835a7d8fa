"""Every per-channel rule the core needs, in one place (no `if channel == …` elsewhere).

`adapter` is the import path of the class that delivers outbound messages on the
channel; channels whose adapter has not been built keep replies queued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    label: str
    # Identity kind that a provider "handle" on this channel is (a PSID, a visitor id…).
    handle_kind: str
    # Identity kinds through which a reply can reach the customer on this channel.
    reach_kinds: tuple[str, ...] = field(default_factory=tuple)
    # Whether an agent can send a reply on this channel at all.
    outbound: bool = True
    adapter: str | None = None
    # The customer has a live socket on this channel that shows "agent is typing".
    live_typing: bool = False
    # Where a reply goes by default when the adapter says the customer has left this
    # channel (a chat visitor who left a message and an address).
    offline_fallback: str = ""


CHANNELS: dict[str, ChannelSpec] = {
    spec.name: spec
    for spec in (
        ChannelSpec("email", "Email", "email", ("email",),
                    adapter="channels_integrations.email.adapter.EmailAdapter"),
        ChannelSpec("chat", "Live chat", "web_visitor", ("web_visitor",), live_typing=True,
                    adapter="channels_integrations.chat.adapter.ChatAdapter", offline_fallback="email"),
        ChannelSpec("whatsapp", "WhatsApp", "whatsapp", ("whatsapp", "phone")),
        ChannelSpec("messenger", "Messenger", "messenger", ("messenger",)),
        ChannelSpec("instagram", "Instagram", "instagram", ("instagram",)),
        ChannelSpec("sms", "SMS", "phone", ("phone",)),
        ChannelSpec("phone", "Phone", "phone", ("phone",)),
        ChannelSpec("instore", "In store", "loyalty_card", (), outbound=False),
        ChannelSpec("api", "API", "external_id", ("external_id",)),
    )
}


class UnknownChannel(KeyError):
    pass


def spec(channel: str) -> ChannelSpec:
    try:
        return CHANNELS[channel]
    except KeyError as exc:
        raise UnknownChannel(channel) from exc


def reachable_channels(identity_kinds: set[str]) -> list[str]:
    """Channels a reply can go out on, given the kinds of identity a customer has."""
    return [
        name
        for name, item in CHANNELS.items()
        if item.outbound and identity_kinds.intersection(item.reach_kinds)
    ]


@cache
def adapter_for(channel: str):
    path = spec(channel).adapter
    return import_string(path)() if path else None


def customer_left(channel: str, ticket_id: int) -> bool:
    """Whether the customer of this ticket can no longer be answered on `channel` itself."""
    adapter = adapter_for(channel) if spec(channel).offline_fallback else None
    return bool(adapter is not None and adapter.customer_left(ticket_id))
