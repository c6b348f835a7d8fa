"""Forms of the workspace: what a POST or an inbox query may carry, parsed at the edge."""

from __future__ import annotations

from django import forms

from agents.models import User
from helpdesk.tickets.models import Channel, Priority, Status
from helpdesk.tickets.selectors import VIEWS
from helpdesk.web.selectors import InboxFilters

# The default is every status that still needs work: new, open, pending and on hold.
STATUS_FILTERS = [("", "Needs work"), *Status.choices, ("any", "Any status")]


class InboxFilterForm(forms.Form):
    view = forms.ChoiceField(choices=[(v, v) for v in VIEWS], required=False)
    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False)
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    priority = forms.ChoiceField(choices=[("", "Any priority"), *Priority.choices], required=False)
    sla = forms.BooleanField(required=False, label="SLA due within the hour")
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def filters(self) -> InboxFilters:
        """The valid part of the query; anything invalid falls back to its default."""
        self.is_valid()  # invalid fields are left out of cleaned_data
        data = self.cleaned_data
        return InboxFilters(
            view=data.get("view") or "all",
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            priority=data.get("priority") or "",
            sla_soon=bool(data.get("sla")),
            customer=data.get("customer"),
        )

    def page_number(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("page") or 1


class ReplyForm(forms.Form):
    text = forms.CharField(max_length=100_000, widget=forms.Textarea)
    channel = forms.ChoiceField(choices=Channel.choices, required=False)
    # The ticket version the agent saw: a reply to a ticket that changed since asks first.
    seen_at = forms.DateTimeField()
    seen_entry = forms.IntegerField(min_value=0, required=False)
    confirm = forms.BooleanField(required=False)


class NoteForm(forms.Form):
    text = forms.CharField(max_length=100_000, widget=forms.Textarea)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        empty_label="Nobody (back to the queue)",
    )
    note = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class LinkOrderForm(forms.Form):
    order = forms.IntegerField(min_value=1)
