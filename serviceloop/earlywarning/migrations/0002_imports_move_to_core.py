"""Data imports become core import jobs (issue 8): every DataImport is copied into a
core.ImportJob (same number, file, counts and errors), the records follow it, the model goes."""

import django.db.models.deletion
from django.db import migrations, models

KIND = {
    "production_volumes": "production-volumes",
    "purchase_volumes": "purchase-volumes",
    "survey_responses": "surveys",
}
STATUS = {"imported": "done", "discarded": "discarded", "checked": "failed"}
STALE = (
    "This check was made before imports became background jobs; upload the file again to "
    "import it."
)
MODELS = ("ProductionVolume", "PurchaseVolume", "SurveyResponse")


def forwards(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    DataImport = apps.get_model("earlywarning", "DataImport")
    for old in DataImport.objects.order_by("pk"):
        job = ImportJob.objects.create(
            number=old.number,
            kind=KIND.get(old.kind, old.kind),
            mode="valid_rows" if old.valid_rows_only else "all_or_nothing",
            status=STATUS[old.status],
            phase="store" if old.status == "imported" else "check",
            file=old.file.name,
            original_name=old.original_name,
            rows_total=old.total_rows,
            rows_valid=old.valid_rows,
            rows_failed=old.error_rows,
            rows_done=old.created_count + old.updated_count + old.unchanged_count,
            rows_created=old.created_count,
            rows_updated=old.updated_count,
            rows_skipped=old.unchanged_count,
            progress=1.0,
            errors=old.errors,
            error_count=len(old.errors),
            warnings=old.warnings,
            message=STALE if old.status == "checked" else "",
            created_by_id=old.created_by_id,
            confirmed_by_id=old.imported_by_id,
            checked_at=old.created_at,
            finished_at=old.imported_at or old.updated_at,
        )
        ImportJob.objects.filter(pk=job.pk).update(created_at=old.created_at)
        for name in MODELS:
            apps.get_model("earlywarning", name).objects.filter(import_batch_id=old.pk).update(
                import_job=job
            )


def _field():
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.importjob",
        verbose_name="import",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_import_job"),
        ("earlywarning", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AddField(model_name=name.lower(), name="import_job", field=_field())
            for name in MODELS
        ],
        migrations.RunPython(forwards, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name=name.lower(), name="import_batch") for name in MODELS],
        *[
            migrations.RenameField(
                model_name=name.lower(), old_name="import_job", new_name="import_batch"
            )
            for name in MODELS
        ],
        migrations.DeleteModel(name="DataImport"),
    ]
