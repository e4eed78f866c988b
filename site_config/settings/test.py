"""The test suite: fast hashing, mail kept in memory. Honours DATABASE_URL and REDIS_URL."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from immunotherapy.plugins import plugin_apps

from .base import *  # noqa: F403
from .base import IMMUNOTHERAPY_PLUGINS  # named: reassigned below, which mypy must see
from .env import env_bool

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No collectstatic here: files are found in the apps (runserver serves them in development).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405
MEDIA_ROOT = BASE_DIR / "build" / "test-media"  # noqa: F405

# Installed entry-point plugins are ignored unless IMMUNOTHERAPY_ENTRY_POINTS=true, so the suite
# tests this project alone whatever else is installed; the tests of entry points set it.
IMMUNOTHERAPY_ENTRY_POINTS = env_bool("IMMUNOTHERAPY_ENTRY_POINTS", False)
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in IMMUNOTHERAPY_PLUGIN_APPS]  # noqa: F405
IMMUNOTHERAPY_PLUGIN_APPS = plugin_apps(
    IMMUNOTHERAPY_PLUGINS,
    IMMUNOTHERAPY_DISABLED_PLUGINS,  # noqa: F405
    use_entry_points=IMMUNOTHERAPY_ENTRY_POINTS,
)
INSTALLED_APPS += IMMUNOTHERAPY_PLUGIN_APPS

# The suite enables the example out-of-tree plugin (tests/plugins/oncolytic_virus) the way a
# deployment would, by adding it to IMMUNOTHERAPY_PLUGINS. Setting the IMMUNOTHERAPY_PLUGINS
# environment variable replaces the whole list, which is how tests run the site without it.
if "IMMUNOTHERAPY_PLUGINS" not in os.environ:
    IMMUNOTHERAPY_PLUGINS = [*IMMUNOTHERAPY_PLUGINS, "tests.plugins.oncolytic_virus"]
    _added = [
        app
        for app in plugin_apps(
            IMMUNOTHERAPY_PLUGINS,
            IMMUNOTHERAPY_DISABLED_PLUGINS,  # noqa: F405
            use_entry_points=False,
        )
        if app not in IMMUNOTHERAPY_PLUGIN_APPS
    ]
    IMMUNOTHERAPY_PLUGIN_APPS = [*IMMUNOTHERAPY_PLUGIN_APPS, *_added]
    INSTALLED_APPS = [*INSTALLED_APPS, *_added]

# The browser tests' live server answers several requests at once (the admin pings in the
# background). In-memory SQLite would be one connection shared by all its threads, so the test
# database is a file, where each thread gets its own connection (WAL, busy timeout from base).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"immunotherapy-test-{os.getpid()}.sqlite3")
    }

# `make test` runs the suite in pytest-xdist workers (gw0, gw1, ...). pytest-django gives each its
# own test database; here each gets its own Redis database too, the URL's number plus the
# worker's, because every test empties the cache (tests/conftest.py). A process a test starts
# inherits PYTEST_XDIST_WORKER, so from the same REDIS_URL it reaches the same database.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _xdist_worker.startswith("gw"):  # noqa: F405
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _redis_db = int(_redis.path.strip("/") or 0) + int(_xdist_worker[2:])
    CACHES["default"]["LOCATION"] = urlunsplit(_redis._replace(path=f"/{_redis_db}"))  # noqa: F405
