"""WSGI entry point; gunicorn serves `site_config.wsgi:application`."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # A broken therapy plugin (PluginError) or a missing setting: one readable line, not a
    # traceback. Caught by its Django base class, as this project module imports no app.
    sys.exit(f"error: {exc}")
