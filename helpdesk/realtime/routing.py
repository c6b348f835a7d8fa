"""WebSocket routes. Each route carries its own origin rule:

staff sockets authenticate with the session cookie, so only our own hosts may open them
(cross-site WebSocket hijacking); visitor sockets come from shops' origins, which each
chat widget checks against its own allowed list.
"""

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from channels_integrations.chat.consumers import VisitorConsumer
from helpdesk.realtime.consumers import AgentConsumer


def staff_socket(consumer):
    return AllowedHostsOriginValidator(AuthMiddlewareStack(consumer.as_asgi()))


websocket_urlpatterns = [
    path("ws/agent/", staff_socket(AgentConsumer)),
    # No session, no host check: the consumer checks the Origin against the widget's own list.
    path("ws/chat/<str:key>/", VisitorConsumer.as_asgi()),
]
