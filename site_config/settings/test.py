"""The test suite: fast hashing, mail kept in memory. Honours DATABASE_URL and REDIS_URL."""

import os
import tempfile
from pathlib import Path

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
