"""Order routings become core.routing.DepartmentRouting rows (ADR 0009): acknowledged_at/by
and note are renamed responded_at/by and response; the due date becomes `due_at`, the end of
that day in the company's time zone (late from the next day on, as before)."""

from django.db import migrations, models

from serviceloop.core import deadlines


def due_date_to_due_at(apps, schema_editor):
    OrderRouting = apps.get_model("presales", "OrderRouting")
    for r in OrderRouting.objects.all().only("pk", "due_date"):
        r.due_at = deadlines.end_of_day(r.due_date)
        r.save(update_fields=["due_at"])


def due_at_to_due_date(apps, schema_editor):
    OrderRouting = apps.get_model("presales", "OrderRouting")
    for r in OrderRouting.objects.all().only("pk", "due_at"):
        r.due_date = deadlines.local_date(r.due_at) if r.due_at else None
        r.save(update_fields=["due_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("presales", "0004_order_routings"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="orderrouting", name="presales_or_departm_6fbfde_idx"),
        migrations.RenameField("orderrouting", "acknowledged_at", "responded_at"),
        migrations.RenameField("orderrouting", "acknowledged_by", "responded_by"),
        migrations.RenameField("orderrouting", "note", "response"),
        migrations.AlterField(
            model_name="orderrouting",
            name="due_date",
            field=models.DateField(null=True, verbose_name="due date"),
        ),
        migrations.AddField(
            model_name="orderrouting",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reply due"),
        ),
        migrations.RunPython(due_date_to_due_at, due_at_to_due_date),
        migrations.RemoveField(model_name="orderrouting", name="due_date"),
        migrations.AlterField(
            model_name="orderrouting",
            name="instruction",
            field=models.TextField(blank=True, verbose_name="what is needed"),
        ),
        migrations.AlterField(
            model_name="orderrouting",
            name="responded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="responded at"),
        ),
        migrations.AlterField(
            model_name="orderrouting",
            name="response",
            field=models.TextField(blank=True, verbose_name="department's response"),
        ),
        migrations.AddIndex(
            model_name="orderrouting",
            index=models.Index(
                fields=["department", "responded_at"], name="presales_or_departm_8bf2e5_idx"
            ),
        ),
    ]
