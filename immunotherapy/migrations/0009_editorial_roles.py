from django.contrib.auth.management import create_permissions
from django.db import migrations

# Clinical content (Snippets → Clinical content): editors and medical reviewers add and correct
# agents, references and glossary terms. Deleting one stays with administrators: pages cite
# them, and a deleted reference silently drops out of every page's evidence.
CLINICAL_SNIPPETS = ["agent", "reference", "glossaryterm"]
CLINICAL_SNIPPET_ACTIONS = ["add", "change", "view"]
CLINICAL_GROUPS = ["Editors", "Medical reviewers"]

# Comment moderation is its own role, with no page permissions at all.
COMMENT_MODERATORS = "Comment moderators"
COMMENT_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "delete_comment"),
]
# Wagtail's "Moderators" group publishes pages out of the box; clinical pages go live only through
# a medical reviewer's approval (or a superuser), so it keeps editing but not publishing.
WAGTAIL_MODERATORS = "Moderators"


def _ensure_permissions(apps):
    # Permissions are normally created after all migrations run; make sure ours exist now.
    for label in ("immunotherapy", "comments"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def set_up_roles(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    snippet_permissions = [
        _permission(apps, "immunotherapy", f"{action}_{model}")
        for model in CLINICAL_SNIPPETS
        for action in CLINICAL_SNIPPET_ACTIONS
    ]
    for name in CLINICAL_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*snippet_permissions)

    comment_permissions = [_permission(apps, *pair) for pair in COMMENT_PERMISSIONS]
    moderators, _ = Group.objects.get_or_create(name=COMMENT_MODERATORS)
    moderators.permissions.add(*comment_permissions)
    for group in Group.objects.filter(name=WAGTAIL_MODERATORS):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="comments"))
        GroupPagePermission.objects.filter(
            group=group, permission__codename="publish_page"
        ).delete()


def undo_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for group in Group.objects.filter(name__in=CLINICAL_GROUPS):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="immunotherapy", content_type__model__in=CLINICAL_SNIPPETS
            )
        )
    for group in Group.objects.filter(name=WAGTAIL_MODERATORS):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="comments",
                codename__in=[codename for _, codename in COMMENT_PERMISSIONS],
            )
        )
        publish = Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        )
        for root in Page.objects.filter(depth=1):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=publish)
    Group.objects.filter(name=COMMENT_MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("immunotherapy", "0008_merge_20261201_0059"),
        ("comments", "0002_moderators_group"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up_roles, undo_roles)]
