"""Routings made before they carried a due time (0004) get the one they had in effect: the
communication's feedback deadline (core.deadlines.routing_due), so core.routing's overdue
rule and "my work" order read one field (ADR 0009)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_due_at(apps, schema_editor):
    Routing = apps.get_model("communications", "Routing")
    Communication = apps.get_model("communications", "Communication")
    feedback_due = Communication.objects.filter(pk=OuterRef("communication_id")).values(
        "feedback_due_at"
    )[:1]
    Routing.objects.filter(due_at__isnull=True).update(due_at=Subquery(feedback_due))


class Migration(migrations.Migration):
    dependencies = [
        ("communications", "0005_list_indexes"),
    ]

    operations = [migrations.RunPython(fill_due_at, migrations.RunPython.noop)]
