from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from helpdesk.health import healthz
from helpdesk.web.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("helpdesk.web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("helpdesk.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("chat/", include("channels_integrations.chat.urls")),
    path("email/", include("channels_integrations.email.urls")),
    path("shops/", include("channels_integrations.shops.urls")),
    path("store/", include("helpdesk.store.urls")),
]

handler400 = "helpdesk.api.errors.bad_request_json"
handler403 = "helpdesk.api.errors.permission_denied_json"
handler404 = "helpdesk.api.errors.not_found_json"
handler500 = "helpdesk.api.errors.server_error_json"
