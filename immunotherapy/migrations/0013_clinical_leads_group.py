from django.contrib.auth.management import create_permissions
from django.db import migrations

# The clinical lead runs the panel of medical reviewers: adds reviewers, keeps every reviewer's
# name, credentials and affiliation right, and links each record to its admin user. A lead who
# also reviews pages joins "Medical reviewers" as well. Deleting a record (pages name their
# reviewer) stays with administrators.
GROUP_NAME = "Clinical leads"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("immunotherapy", "add_medicalreviewer"),
    ("immunotherapy", "change_medicalreviewer"),
    ("immunotherapy", "view_medicalreviewer"),
    ("immunotherapy", "manage_medicalreviewer"),
]


def create_clinical_leads(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure ours exist now.
    app_config = apps.get_app_config("immunotherapy")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in PERMISSIONS
        ]
    )


def remove_clinical_leads(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("immunotherapy", "0012_medical_reviewer_manage_permission"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_clinical_leads, remove_clinical_leads)]
