"""WSGI entry point; gunicorn serves `site_config.wsgi:application`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from immunotherapy.plugins import PluginError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.dev")

try:
    application = get_wsgi_application()
except PluginError as exc:
    # A broken therapy plugin: one readable line, not a traceback.
    sys.exit(f"error: {exc}")
