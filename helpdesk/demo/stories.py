"""The demo's conversations as scripts: who says what, when, on which channel.

A story's steps run through the real services (ingest, reply, note, assign, status), so
each one leaves the tickets, messages and timeline entries that real traffic would.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY = 24 * 60  # minutes


@dataclass(frozen=True)
class Step:
    minutes: int  # after the story's start
    action: str  # in | reply | note | status | handover | release | claim
    arg: str = ""  # text key (in, reply, note, release), status, or a username
    channel: str = ""  # in: another channel than the story's; reply: a channel to force
    text: str = ""  # handover: the note's text key


@dataclass(frozen=True)
class Story:
    name: str
    # email, chat, phone, instore; "messaging": WhatsApp if the customer has it, else
    # email; "social": the customer's Instagram or Messenger.
    channel: str
    steps: tuple[Step, ...]
    order: str = ""  # "", shipped, delivered, returned, pos: the order the story is about
    order_days: tuple[int, int] = (3, 7)  # the order was placed this many days before
    return_at: int = 3 * DAY  # returned orders: when the return arrived, after the start
    needs: tuple[str, ...] = ()  # contact details the customer must have
    weight: int = 10
    recent_only: bool = False  # only as a customer's latest contact (left unanswered)
    by: str = ""  # the staff member who logs the contact (phone, in store)
    store: str = ""  # AMS1 or "other" (Utrecht or Rotterdam)


def _closed(after: int) -> Step:
    return Step(after + 7 * DAY, "status", "closed")


STORIES: tuple[Story, ...] = (
    Story("order_where", "email", order="shipped", order_days=(3, 5), needs=("email",), weight=14,
          steps=(
        Step(0, "in", "order_where"), Step(95, "reply", "order_where_reply"),
        Step(DAY + 200, "in", "order_where_thanks"), Step(DAY + 230, "status", "solved"),
        _closed(DAY + 230),
    )),
    Story("reopened", "email", order="delivered", needs=("email",), weight=6, steps=(
        Step(0, "in", "order_where"), Step(80, "reply", "order_where_reply"),
        Step(85, "status", "solved"), Step(DAY + 300, "in", "reopen_still"),
        Step(DAY + 420, "reply", "reopen_reply"), Step(DAY + 425, "status", "pending"),
        Step(4 * DAY, "status", "solved"),
    )),
    Story("return", "messaging", order="returned", order_days=(4, 8), needs=("email",), weight=12,
          steps=(
        Step(0, "in", "return_ask"), Step(40, "reply", "return_label"),
        Step(42, "status", "pending"), Step(2 * DAY, "in", "return_sent"),
        Step(3 * DAY, "note", "return_received_note"), Step(3 * DAY + 5, "reply", "return_refund"),
        Step(3 * DAY + 10, "status", "solved"), _closed(3 * DAY + 10),
    )),
    Story("damaged", "email", order="delivered", needs=("email", "whatsapp"), weight=8, steps=(
        Step(0, "in", "damaged"), Step(60, "reply", "damaged_photo"), Step(62, "status", "pending"),
        Step(180, "in", "damaged_photo_sent", channel="whatsapp"), Step(200, "note", "damaged_note"),
        Step(205, "handover", "another agent", text="damaged_handover"),
        Step(DAY, "reply", "damaged_replacement"), Step(DAY + 5, "status", "on_hold"),
        Step(4 * DAY, "status", "solved"),
    )),
    Story("chat", "chat", weight=10, steps=(
        Step(0, "in", "chat_size"), Step(2, "reply", "chat_size_reply"),
        Step(4, "in", "chat_thanks"), Step(6, "status", "solved"),
    )),
    Story("instore_exchange", "instore", order="pos", order_days=(0, 10), needs=("loyalty_card",),
          weight=8,
          by="daan", store="AMS1", steps=(
        Step(0, "in", "instore_exchange"), Step(1, "claim", "daan"),
        Step(6, "note", "instore_exchange_done"), Step(7, "status", "solved"),
    )),
    Story("instore_refund", "instore", order="returned", needs=("loyalty_card", "email"),
          order_days=(16, 22), return_at=-10 * DAY, weight=6, store="other", steps=(
        Step(0, "in", "instore_refund"), Step(30, "note", "instore_refund_note"),
        Step(35, "reply", "instore_refund_reply"), Step(40, "status", "solved"), _closed(40),
    )),
    Story("social_refund", "social", order="returned", needs=("social",), order_days=(16, 22),
          return_at=-10 * DAY, weight=8, steps=(
        Step(0, "in", "social_refund"), Step(90, "reply", "social_refund_reply"),
        Step(91, "status", "pending"), Step(2 * DAY, "in", "social_thanks"),
        Step(2 * DAY + 30, "status", "solved"),
    )),
    Story("phone_delivery", "phone", order="shipped", order_days=(3, 5), needs=("phone",), weight=6,
          by="sanne", steps=(
        Step(0, "in", "phone_delivery"), Step(3, "note", "phone_delivery_note"),
        Step(4, "reply", "phone_delivery_sms", channel="sms"), Step(5, "status", "solved"),
        _closed(5),
    )),
    Story("complaint", "email", order="delivered", needs=("email",), weight=5, steps=(
        Step(0, "in", "complaint"), Step(120, "reply", "complaint_reply"),
        Step(125, "note", "complaint_note"),
        Step(130, "handover", "fatima", text="complaint_handover"),
        Step(DAY, "reply", "complaint_voucher"), Step(DAY + 5, "status", "solved"), _closed(DAY + 5),
    )),
    Story("question", "messaging", weight=10, recent_only=True, steps=(Step(0, "in", "question"),)),
    Story("question_released", "messaging", weight=6, recent_only=True, steps=(
        Step(0, "in", "question_stock"), Step(25, "release", "release_note"),
    )),
)

CHAT_STORY = next(story for story in STORIES if story.name == "chat")


def span(story: Story) -> int:
    """Minutes from a story's first step to its last."""
    return max(step.minutes for step in story.steps)
