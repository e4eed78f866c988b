from django.contrib.auth.management import create_permissions
from django.db import migrations

# Clinical leads remove reviewer records too: a duplicate, or a colleague who has left. The
# delete page first says how many pages name the record (those pages then name no reviewer).
GROUP_NAME = "Clinical leads"
CODENAME = "delete_medicalreviewer"


def _delete_permission(apps):
    # Permissions are normally created after all migrations run; make sure ours exist now.
    app_config = apps.get_app_config("immunotherapy")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="immunotherapy", codename=CODENAME)


def let_leads_delete(apps, schema_editor):
    permission = _delete_permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME):
        group.permissions.add(permission)


def stop_leads_deleting(apps, schema_editor):
    permission = _delete_permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("immunotherapy", "0013_clinical_leads_group")]

    operations = [migrations.RunPython(let_leads_delete, stop_leads_deleting)]
