from django.urls import path

from helpdesk.store import views

app_name = "store"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("store/", views.choose_store, name="choose-store"),
    path("walk-in/", views.walk_in, name="walk-in"),
    path("customers/<int:pk>/", views.customer_page, name="customer"),
    path("customers/<int:pk>/contacts/", views.log_contact, name="log-contact"),
    path("customers/<int:pk>/consents/", views.record_consent, name="consent"),
]
