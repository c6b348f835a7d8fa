"""The workspace pages. Views parse input, call the ticket and customer services and
selectors (which apply reach), and render; they hold no business rules."""

from helpdesk.web.views.actions import assign, claim, link_order, note, reply, set_status
from helpdesk.web.views.auth import home, login, logout
from helpdesk.web.views.inbox import inbox, inbox_rows
from helpdesk.web.views.search import search
from helpdesk.web.views.ticket import ticket_detail, ticket_live

__all__ = [
    "assign",
    "claim",
    "home",
    "inbox",
    "inbox_rows",
    "link_order",
    "login",
    "logout",
    "note",
    "reply",
    "search",
    "set_status",
    "ticket_detail",
    "ticket_live",
]
