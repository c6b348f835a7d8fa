from django.urls import path

from helpdesk.web import views

app_name = "web"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/rows/", views.inbox_rows, name="inbox-rows"),
    path("search/", views.search, name="search"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/live/", views.ticket_live, name="ticket-live"),
    path("tickets/<int:pk>/claim/", views.claim, name="ticket-claim"),
    path("tickets/<int:pk>/assign/", views.assign, name="ticket-assign"),
    path("tickets/<int:pk>/status/", views.set_status, name="ticket-status"),
    path("tickets/<int:pk>/note/", views.note, name="ticket-note"),
    path("tickets/<int:pk>/reply/", views.reply, name="ticket-reply"),
    path("tickets/<int:pk>/orders/", views.link_order, name="ticket-link-order"),
]
