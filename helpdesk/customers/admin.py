from django.contrib import admin

from helpdesk.customers.models import Consent, Customer, CustomerAccess, Identity, MergeSuggestion


class IdentityInline(admin.TabularInline):
    model = Identity
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ("recorded_at",)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "created_at", "merged_into")
    search_fields = ("name", "identities__value")
    inlines = [IdentityInline, ConsentInline]
    raw_id_fields = ("merged_into",)


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ("kind", "value", "customer", "verified")
    list_filter = ("kind", "verified")
    search_fields = ("value",)
    raw_id_fields = ("customer",)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("customer", "channel", "purpose", "granted", "recorded_at")
    list_filter = ("channel", "purpose", "granted")
    raw_id_fields = ("customer", "recorded_by")


@admin.register(MergeSuggestion)
class MergeSuggestionAdmin(admin.ModelAdmin):
    list_display = ("customer", "other", "reason", "created_at", "resolved_at")
    raw_id_fields = ("customer", "other")


@admin.register(CustomerAccess)
class CustomerAccessAdmin(admin.ModelAdmin):
    list_display = ("customer", "user", "store", "accessed_at")
    raw_id_fields = ("customer", "user")
