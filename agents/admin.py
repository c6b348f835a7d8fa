from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from agents.models import CannedReply, Store, Team, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "name", "email", "role", "is_active", "is_superuser")
    list_filter = ("role", "is_active", "teams", "stores")
    search_fields = ("username", "name", "email")
    fieldsets = UserAdmin.fieldsets + (
        ("Helpdesk", {"fields": ("name", "role", "teams", "stores", "skills", "capacity")}),
    )
    filter_horizontal = ("groups", "user_permissions", "teams", "stores")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default", "channels")
    search_fields = ("name",)


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "city", "team")
    search_fields = ("name", "code", "city")
    list_filter = ("team",)


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "shortcut", "team")
    list_filter = ("team",)
    search_fields = ("title", "shortcut", "body")
