"""Primary/replica routing: readers' page views read from the replica, the rest the primary.

Replication lags a little, so only requests that cannot have just written anything
(safe methods, no session: anonymous readers, the bulk of the traffic) read from the
replica. Editors, form posts, management commands and tests read what they wrote.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads go to the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    """Send reads to `replica` inside `replica_reads()`, all writes and migrations to `default`."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == "default":
            return "default"  # follow a relation from an object read off the primary
        return "replica" if _replica_reads.get() else "default"

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # both databases hold the same data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class ReplicaReadsMiddleware:
    """Let anonymous GET/HEAD requests read from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method in {"GET", "HEAD"} and anonymous:
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
