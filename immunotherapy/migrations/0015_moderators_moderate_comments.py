from django.contrib.auth.management import create_permissions
from django.db import migrations

# Wagtail's "Moderators" group moderates comments too: a team that puts its moderators there
# finds the comment queue (as well as "Comment moderators", which has no page permissions). It
# still cannot publish pages (0009): only a medical reviewer's approval makes a page live.
GROUP_NAME = "Moderators"
COMMENT_CODENAMES = ["view_comment", "change_comment", "delete_comment"]


def _comment_permissions(apps):
    # Permissions are normally created after all migrations run; make sure ours exist now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="comments", codename__in=COMMENT_CODENAMES
    )


def let_moderators_moderate(apps, schema_editor):
    permissions = _comment_permissions(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME):
        group.permissions.add(*permissions)


def stop_moderators_moderating(apps, schema_editor):
    permissions = _comment_permissions(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("immunotherapy", "0014_clinical_leads_delete_reviewers")]

    operations = [migrations.RunPython(let_moderators_moderate, stop_moderators_moderating)]
