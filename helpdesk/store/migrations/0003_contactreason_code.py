"""Reasons get a stable code for the API (API.md: return, exchange, complaint,
delivery_question, product_advice, other), and the "Other" reason the contract names."""

from django.db import migrations, models
from django.utils.text import slugify


def code_for(name: str) -> str:
    return slugify(name).replace("-", "_")[:40]


def forwards(apps, schema_editor):
    ContactReason = apps.get_model("store", "ContactReason")
    taken: set[str] = set()
    for reason in ContactReason.objects.order_by("id"):
        code = code_for(reason.name) or f"reason_{reason.pk}"
        if code in taken:  # two names that slugify alike: the later one is told apart by id
            code = f"{code[:30]}_{reason.pk}"
        taken.add(code)
        reason.code = code
        reason.save(update_fields=["code"])
    if "other" not in taken and not ContactReason.objects.filter(name="Other").exists():
        ContactReason.objects.create(name="Other", code="other", position=90)


def backwards(apps, schema_editor):
    ContactReason = apps.get_model("store", "ContactReason")
    ContactReason.objects.filter(code="other", contacts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("store", "0002_default_reasons")]
    operations = [
        migrations.AddField(
            model_name="contactreason",
            name="code",
            # Unindexed until filled: the unique constraint below brings the index.
            field=models.SlugField(blank=True, default="", max_length=40, db_index=False,
                                   help_text="What the API calls this reason, e.g. delivery_question."),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="contactreason",
            name="code",
            field=models.SlugField(blank=True, max_length=40, unique=True,
                                   help_text="What the API calls this reason, e.g. delivery_question."),
        ),
    ]
