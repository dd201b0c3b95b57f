"""Seed the fixed roles and the default departments of SJ/QP-021 (names editable later)."""

from django.db import migrations

from serviceloop.core.seed import seed_roles_and_departments


def seed(apps, schema_editor):
    seed_roles_and_departments(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
