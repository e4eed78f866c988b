"""With a read replica, readers' page views read from it; whatever writes uses the primary."""

from types import SimpleNamespace

from django.http import HttpResponse
from django.test import RequestFactory

from wagtail.models import Page

import pytest

from site_config.db_router import PrimaryReplicaRouter, ReplicaReadsMiddleware, replica_reads
from tests.helpers import run_python

pytestmark = pytest.mark.backends

router = PrimaryReplicaRouter()


def test_reads_go_to_the_primary_outside_a_reader_request() -> None:
    assert router.db_for_read(Page) == "default"


def test_reads_go_to_the_replica_inside_one() -> None:
    with replica_reads():
        assert router.db_for_read(Page) == "replica"
    assert router.db_for_read(Page) == "default"


def test_writes_always_go_to_the_primary() -> None:
    assert router.db_for_write(Page) == "default"
    with replica_reads():
        assert router.db_for_write(Page) == "default"


def test_relations_of_an_object_read_from_the_primary_stay_there() -> None:
    page = SimpleNamespace(_state=SimpleNamespace(db="default"))
    with replica_reads():
        assert router.db_for_read(Page, instance=page) == "default"


def test_migrations_run_on_the_primary_only() -> None:
    assert router.allow_migrate("default", "wagtailcore")
    assert not router.allow_migrate("replica", "wagtailcore")
    assert router.allow_relation(SimpleNamespace(), SimpleNamespace())


def route_of(request) -> str:
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(Page)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen["db"]


@pytest.mark.parametrize(
    ("method", "cookies", "expected"),
    [
        ("get", {}, "replica"),
        ("head", {}, "replica"),
        ("post", {}, "default"),
        ("get", {"sessionid": "abc"}, "default"),  # a signed-in editor reads what they wrote
    ],
)
def test_middleware_sends_only_anonymous_safe_requests_to_the_replica(
    method: str, cookies: dict[str, str], expected: str
) -> None:
    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies)
    assert route_of(request) == expected


def test_replica_url_adds_the_database_and_the_router(tmp_path) -> None:
    code = (
        "import json; print(json.dumps({'dbs': sorted(settings.DATABASES), "
        "'replica': settings.DATABASES['replica']['HOST'], "
        "'mirror': settings.DATABASES['replica']['TEST']['MIRROR'], "
        "'routers': settings.DATABASE_ROUTERS}))"
    )
    env = {"DATABASE_REPLICA_URL": "postgres://reader:pw@replica.internal:5432/cms"}
    result = run_python(code, "site_config.settings.dev", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"dbs": ["default", "replica"], "replica": "replica.internal", "mirror": "default", '
        '"routers": ["site_config.db_router.PrimaryReplicaRouter"]}'
    )


def test_without_a_replica_there_is_no_router() -> None:
    result = run_python(
        "print(settings.DATABASE_ROUTERS, sorted(settings.DATABASES))", "site_config.settings.dev"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] ['default']"


REPLICA_WIRING = """
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from site_config.db_router import replica_reads
for alias in ("default", "replica"):
    with connections[alias].schema_editor() as editor:
        editor.create_model(ContentType)
    ContentType.objects.using(alias).create(app_label=alias, model="marker")
with replica_reads():
    read = ContentType.objects.get().app_label
    ContentType.objects.create(app_label="written", model="while-reading-replica")
print(ContentType.objects.get(model="marker").app_label, read,
      ContentType.objects.using("default").filter(app_label="written").count(),
      ContentType.objects.using("replica").filter(app_label="written").count())
"""


def test_reads_and_writes_reach_the_right_database_end_to_end(tmp_path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    }
    result = run_python(REPLICA_WIRING, "site_config.settings.dev", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["default", "replica", "1", "0"]
