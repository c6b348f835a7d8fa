from django.urls import path

from channels_integrations.chat import views

app_name = "chat"
urlpatterns = [
    path("widget.js", views.widget_js, name="widget-js"),
    path("demo/", views.demo, name="demo"),
    path("verify/<str:token>/", views.verify_email, name="verify-email"),
]
