"""Claims imports become core import jobs (issue 8): every WarrantyImport is copied into a
core.ImportJob (same number, file, counts and errors), the claims follow it, the model goes."""

import django.db.models.deletion
from django.db import migrations, models

STATUS = {"imported": "done", "discarded": "discarded", "checked": "failed"}
STALE = (
    "This check was made before imports became background jobs; upload the file again to "
    "import it."
)


def forwards(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    WarrantyImport = apps.get_model("warranty", "WarrantyImport")
    WarrantyClaim = apps.get_model("warranty", "WarrantyClaim")
    for old in WarrantyImport.objects.order_by("pk"):
        summary = dict(old.decisions or {})
        if old.first_number:
            summary.update(first_number=old.first_number, last_number=old.last_number)
        job = ImportJob.objects.create(
            number=old.number,
            kind="warranty-claims",
            mode="valid_rows" if old.valid_rows_only else "all_or_nothing",
            status=STATUS[old.status],
            phase="store" if old.status == "imported" else "check",
            file=old.file.name,
            original_name=old.original_name,
            rows_total=old.total_rows,
            rows_valid=old.valid_rows,
            rows_failed=old.error_rows,
            rows_done=old.imported_count,
            rows_created=old.imported_count,
            progress=1.0,
            errors=[
                {"row": e["row"], "column": e["column"], "message": e["message"],
                 "value": e.get("value", "")}
                for e in old.errors
            ],
            error_count=len(old.errors),
            warnings=old.warnings,
            summary=summary,
            message=STALE if old.status == "checked" else "",
            created_by_id=old.created_by_id,
            checked_at=old.created_at,
            finished_at=old.imported_at or old.updated_at,
        )
        ImportJob.objects.filter(pk=job.pk).update(created_at=old.created_at)
        WarrantyClaim.objects.filter(import_batch_id=old.pk).update(import_job=job)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_import_job"),
        ("warranty", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="warrantyclaim",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.importjob",
                verbose_name="import",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="warrantyclaim", name="import_batch"),
        migrations.RenameField(
            model_name="warrantyclaim", old_name="import_job", new_name="import_batch"
        ),
        migrations.DeleteModel(name="WarrantyImport"),
    ]
