"""ASGI entry point."""

import os
import sys

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")

try:
    application = get_asgi_application()
except ImproperlyConfigured as exc:
    # A broken therapy plugin (PluginError) or a missing setting: one readable line, not a
    # traceback. Caught by its Django base class, as this project module imports no app.
    sys.exit(f"error: {exc}")
