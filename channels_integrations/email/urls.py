from django.urls import include, path

urlpatterns: list = [
    # Provider webhooks (inbound mail and delivery tracking), checked by anymail (signature or
    # basic auth); our receivers refuse them when neither is configured (webhooks.py).
    path("anymail/", include("anymail.urls")),
]
