from django.contrib import admin

from helpdesk.orders.models import Order, OrderLine, Return, Shipment


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0


class ShipmentInline(admin.TabularInline):
    model = Shipment
    extra = 0


class ReturnInline(admin.TabularInline):
    model = Return
    extra = 0


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "source", "customer", "status", "total", "placed_at")
    list_filter = ("source", "status")
    search_fields = ("number", "external_id", "email")
    raw_id_fields = ("customer",)
    inlines = [LineInline, ShipmentInline, ReturnInline]
