"""The reasons a store starts with; the admin edits them afterwards."""

from django.db import migrations

DEFAULTS = ["Return", "Exchange", "Complaint", "Delivery question", "Product advice"]


def forwards(apps, schema_editor):
    ContactReason = apps.get_model("store", "ContactReason")
    for position, name in enumerate(DEFAULTS, start=1):
        ContactReason.objects.get_or_create(name=name, defaults={"position": position * 10})


def backwards(apps, schema_editor):
    ContactReason = apps.get_model("store", "ContactReason")
    ContactReason.objects.filter(name__in=DEFAULTS, contacts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
