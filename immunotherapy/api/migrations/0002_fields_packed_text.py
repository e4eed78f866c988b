from django.db import migrations, models


def drop_stored_json(apps, schema_editor):
    # The stored JSON changes format; pages are built again on their next read, or by
    # `manage.py rebuild_page_json`.
    apps.get_model("immunotherapy_api", "StoredPage").objects.using(
        schema_editor.connection.alias
    ).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("immunotherapy_api", "0001_page_json_store"),
    ]

    operations = [
        migrations.RunPython(drop_stored_json, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="storedpage",
            name="fields",
            field=models.TextField(),
        ),
    ]
