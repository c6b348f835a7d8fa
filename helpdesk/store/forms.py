"""The counter's forms: input parsed at the edge into the services' typed arguments."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings

from helpdesk.customers.identities import InvalidIdentity, normalise_email, normalise_phone
from helpdesk.customers.models import Customer
from helpdesk.customers.selectors import LOOKUP_KEYS
from helpdesk.inbound.types import SenderClaims
from helpdesk.store import selectors
from helpdesk.store.models import Outcome
from helpdesk.store.photos import PhotoRejected, photo_from_upload
from helpdesk.store.services import ORDER_NOT_THEIRS, CounterContact, contact_problems

NEW_QUESTION = "new"


class LookupForm(forms.Form):
    q = forms.CharField(max_length=200, strip=True)
    key = forms.ChoiceField(choices=[(key, key) for key in LOOKUP_KEYS], required=False)

    def clean_key(self) -> str:
        return self.cleaned_data.get("key") or "any"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ContactForm(forms.Form):
    """One counter contact. `customer` is None for a walk-in."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.ModelChoiceField(queryset=selectors.reasons(), empty_label=None,
                                    widget=forms.RadioSelect)
    text = forms.CharField(label="What the customer says", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    order = forms.TypedChoiceField(label="About order", required=False, coerce=int, empty_value=None)
    about = forms.ChoiceField(label="About", required=False)
    photos = PhotosField(label="Photos", required=False)
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Handover note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, customer: Customer | None = None, orders=(), tickets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self._orders = {order.pk: order for order in orders}
        self.fields["order"].choices = [("", "No order")] + [
            (order.pk, f"{order.number} · {order.placed_at:%d-%m-%Y}") for order in orders
        ]
        self.fields["about"].choices = [(NEW_QUESTION, "A new question")] + [
            (str(ticket.pk), f"Open ticket #{ticket.pk}: {ticket.subject or 'no subject'}")
            for ticket in tickets
        ]
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "multiple": True})
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
            self.initial.setdefault("about", NEW_QUESTION)

    def clean_order(self):
        pk = self.cleaned_data.get("order")
        if pk is None:
            return None
        if pk not in self._orders:  # only one of this customer's orders
            raise forms.ValidationError(ORDER_NOT_THEIRS)
        return self._orders[pk]

    def clean_about(self) -> int | None:
        about = self.cleaned_data.get("about") or NEW_QUESTION
        return None if about == NEW_QUESTION else int(about)

    def clean_photos(self):
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > settings.MAX_ATTACHMENTS_PER_MESSAGE:
            raise forms.ValidationError(f"At most {settings.MAX_ATTACHMENTS_PER_MESSAGE} photos.")
        photos, errors = [], []
        for upload in uploads:
            try:
                photos.append(photo_from_upload(upload))
            except PhotoRejected as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        return tuple(photos)

    def clean(self):
        data = super().clean()
        problems = contact_problems(outcome=data.get("outcome") or "", note=data.get("note") or "")
        for name, message in problems.items():
            self.add_error(name, message)
        return data

    def add_problems(self, problems: dict[str, str]) -> None:
        """Rules the service found broken (ContactInvalid), shown beside their fields."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)

    def walk_in_claims(self) -> SenderClaims | None:
        return None

    def counter_contact(self) -> CounterContact:
        data = self.cleaned_data
        return CounterContact(
            reason=data["reason"], text=data["text"], outcome=data["outcome"], token=data["token"],
            order=data.get("order"), note=(data.get("note") or "").strip(),
            about_ticket=data.get("about"), photos=data.get("photos") or (),
            walk_in=self.walk_in_claims(),
        )


class WalkInForm(ContactForm):
    """A contact from someone not looked up; the details they care to give are optional."""

    name = forms.CharField(label="Name", required=False, max_length=200)
    email = forms.CharField(label="Email", required=False, max_length=254)
    phone = forms.CharField(label="Phone", required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["order"]
        del self.fields["about"]
        self.fields["email"].widget.attrs.update({"inputmode": "email", "autocomplete": "off",
                                                   "autocapitalize": "off", "spellcheck": "false"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})

    def clean_email(self) -> str:
        value = (self.cleaned_data.get("email") or "").strip()
        try:
            return normalise_email(value) if value else ""
        except InvalidIdentity as exc:
            raise forms.ValidationError("That is not an email address.") from exc

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        try:
            return normalise_phone(value) if value else ""
        except InvalidIdentity as exc:
            raise forms.ValidationError("That is not a phone number.") from exc

    def walk_in_claims(self) -> SenderClaims:
        data = self.cleaned_data
        return SenderClaims(email=data.get("email", ""), phone=data.get("phone", ""),
                            name=(data.get("name") or "").strip())


class ConsentForm(forms.Form):
    """One choice per channel and purpose: granted, withdrawn, or left as it is."""

    KEEP, YES, NO = "", "yes", "no"

    def __init__(self, *args, channels=(), purposes=(), in_force=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = []
        in_force = in_force or {}
        for channel, channel_label in channels:
            row = []
            for purpose, purpose_label in purposes:
                name = f"{channel}__{purpose}"
                current = in_force.get((channel, purpose))
                self.fields[name] = forms.ChoiceField(
                    label=f"{purpose_label} by {channel_label}", required=False,
                    choices=[(self.YES, "Yes"), (self.NO, "No"), (self.KEEP, "Not asked")],
                    initial=self.KEEP, widget=forms.RadioSelect,
                )
                row.append((name, purpose_label, current))
            self.grid.append((channel_label, row))

    def rows(self) -> list[tuple[str, list]]:
        """Per channel: (bound field, purpose label, the consent in force or None)."""
        return [(label, [(self[name], purpose, current) for name, purpose, current in row])
                for label, row in self.grid]

    def decisions(self) -> dict[tuple[str, str], bool]:
        chosen = {}
        for name, value in self.cleaned_data.items():
            if value in (self.YES, self.NO):
                channel, purpose = name.split("__", 1)
                chosen[(channel, purpose)] = value == self.YES
        return chosen
