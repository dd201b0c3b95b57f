"""Service-record imports become core import jobs (issue 8): every ImportBatch is copied into
a core.ImportJob (file name, counts and errors; the file itself was never kept), the records
follow it, the model goes."""

import django.db.models.deletion
from django.db import migrations, models

STATUS = {"imported": "done", "partial": "done", "rejected": "failed"}


def forwards(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    ImportBatch = apps.get_model("fieldservice", "ImportBatch")
    ServiceRecord = apps.get_model("fieldservice", "ServiceRecord")
    for old in ImportBatch.objects.order_by("pk"):
        errors = [
            {"row": e["row"], "column": e["column"], "message": e["message"], "value": ""}
            for e in old.errors or []
        ]
        job = ImportJob.objects.create(
            number=f"FSI-{old.uploaded_at:%Y}-{old.pk:05d}",
            kind="service-records",
            mode="valid_rows" if old.valid_only else "all_or_nothing",
            status=STATUS.get(old.status, "failed"),
            phase="store" if old.imported_rows else "check",
            original_name=old.filename[:200],
            rows_total=old.total_rows,
            rows_valid=old.imported_rows,
            rows_failed=len({e["row"] for e in errors}),
            rows_done=old.imported_rows,
            rows_created=old.imported_rows,
            progress=1.0,
            errors=errors,
            error_count=len(errors),
            created_by_id=old.uploaded_by_id,
            checked_at=old.uploaded_at,
            finished_at=old.uploaded_at,
        )
        ImportJob.objects.filter(pk=job.pk).update(created_at=old.uploaded_at)
        ServiceRecord.objects.filter(import_batch_id=old.pk).update(import_job=job)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_import_job"),
        ("fieldservice", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerecord",
            name="import_job",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.importjob",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="servicerecord", name="import_batch"),
        migrations.RenameField(
            model_name="servicerecord", old_name="import_job", new_name="import_batch"
        ),
        migrations.DeleteModel(name="ImportBatch"),
    ]
