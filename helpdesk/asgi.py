"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

from helpdesk.http_handler import get_lane_asgi_application  # noqa: E402

# Django must be set up before consumers (and their models) are imported.
django_asgi_app = get_lane_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from helpdesk.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": URLRouter(websocket_urlpatterns)})

# Everything loaded so far (Django, the apps, URL patterns) lives as long as the process:
# kept out of the collector's full passes, which otherwise walk it all and stall every
# socket for tens of milliseconds under load.
gc.freeze()
