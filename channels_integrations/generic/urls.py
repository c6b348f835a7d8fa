from django.urls import path

from channels_integrations.generic.views import GenericInbound

urlpatterns = [path("inbound/api/", GenericInbound.as_view(), name="inbound-api")]
