from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Medical reviewers"
WORKFLOW_NAME = "Medical review"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("immunotherapy", "medicalreviewer", "add_medicalreviewer"),
    ("immunotherapy", "medicalreviewer", "change_medicalreviewer"),
    ("immunotherapy", "medicalreviewer", "view_medicalreviewer"),
]
# Approving the last task publishes the page as the approver, so reviewers need publish rights.
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def create_medical_review_workflow(apps, schema_editor):
    """Create the "Medical reviewers" group and the "Medical review" workflow on the whole tree."""
    # Permissions are normally created after all migrations run; make sure ours exist now.
    app_config = apps.get_app_config("immunotherapy")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    MedicalReviewTask = apps.get_model("immunotherapy", "MedicalReviewTask")

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="immunotherapy", model="medicalreviewtask"
    )
    task = MedicalReviewTask.objects.create(
        name=WORKFLOW_NAME, content_type=task_type, active=True
    )
    task.groups.add(group)
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    # The tree's root: every page, wherever it is created, inherits the workflow. It replaces
    # Wagtail's default "Moderators approval" there (that workflow stays, unassigned).
    for root in Page.objects.filter(depth=1):
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def remove_medical_review_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Group = apps.get_model("auth", "Group")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=WORKFLOW_NAME, content_type__model="medicalreviewtask").delete()
    Group.objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("immunotherapy", "0004_medical_review"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_medical_review_workflow, remove_medical_review_workflow)
    ]
