"""System checks: refuse a configuration whose caches some processes would not see changes in."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# Backends that keep a separate cache in each process: flood control and Wagtail's own cached
# lookups (site root paths) would differ between gunicorn workers, cron jobs and the shell.
PROCESS_LOCAL = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register()
def check_shared_cache(**_kwargs: Any) -> list[CheckMessage]:
    """With DEBUG off (production), the default cache must be shared by every process."""
    default: dict[str, Any] = settings.CACHES.get("default", {})
    backend = default.get("BACKEND", "")
    if settings.DEBUG or backend not in PROCESS_LOCAL:
        return []
    return [
        Error(
            f"CACHES['default'] is {backend.rsplit('.', 1)[-1]}, local to each process: set "
            "REDIS_URL, or keep the default database cache (site_config/settings/base.py).",
            id="immunotherapy_api.E001",
        )
    ]
