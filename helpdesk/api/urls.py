from django.urls import include, path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import SimpleRouter

from agents.views import AgentViewSet, StoreViewSet, TeamViewSet
from helpdesk.customers import views as customers
from helpdesk.orders import views as orders
from helpdesk.tickets import views as tickets

router = SimpleRouter()
router.register("agents", AgentViewSet, basename="agent")
router.register("teams", TeamViewSet, basename="team")
router.register("stores", StoreViewSet, basename="store")

urlpatterns = [
    path("auth/token/", ObtainAuthToken.as_view(), name="api-token"),
    path("", include(router.urls)),
    path("", include("channels_integrations.generic.urls")),
    path("", include("channels_integrations.email.api_urls")),
    path("", include("helpdesk.store.api_urls")),
    path("customers/", customers.CustomerSearch.as_view(), name="customer-search"),
    path("customers/<int:pk>/", customers.CustomerProfile.as_view(), name="customer-detail"),
    path("customers/<int:pk>/timeline/", customers.CustomerTimeline.as_view(), name="customer-timeline"),
    path("customers/<int:pk>/merge/", customers.CustomerMerge.as_view(), name="customer-merge"),
    path("tickets/", tickets.TicketListCreate.as_view(), name="ticket-list"),
    path("tickets/<int:pk>/", tickets.TicketDetail.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/claim/", tickets.TicketClaim.as_view(), name="ticket-claim"),
    path("tickets/<int:pk>/assign/", tickets.TicketAssign.as_view(), name="ticket-assign"),
    path("tickets/<int:pk>/reply/", tickets.TicketReply.as_view(), name="ticket-reply"),
    path("tickets/<int:pk>/notes/", tickets.TicketNote.as_view(), name="ticket-notes"),
    path("tickets/<int:pk>/status/", tickets.TicketStatus.as_view(), name="ticket-status"),
    path("tickets/<int:pk>/orders/", tickets.TicketOrders.as_view(), name="ticket-orders"),
    path("orders/", orders.OrderListUpsert.as_view(), name="order-list"),
]
