"""The store counter's API routes, included under /api/v1/."""

from django.urls import path

from helpdesk.store.api import InStoreContactCreate

urlpatterns = [
    path("instore/contacts/", InStoreContactCreate.as_view(), name="instore-contact"),
]
