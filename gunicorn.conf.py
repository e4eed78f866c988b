"""gunicorn settings, read from the environment: `gunicorn -c gunicorn.conf.py`.

Workers hold no state (sessions, cache and media live in shared services), so
any number of app servers can run side by side behind a load balancer.
"""

import gc
import multiprocessing
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.production")
wsgi_app = "site_config.wsgi:application"

# GUNICORN_BIND (comma-separated); else all interfaces on $PORT, the platform
# convention (Heroku, Render, ...); else loopback only, for a proxy on the same host.
if os.environ.get("GUNICORN_BIND"):
    bind = os.environ["GUNICORN_BIND"].split(",")
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak never takes a server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Load the app once in the master, so a broken configuration fails at start-up.
preload_app = True
# The load balancer or CDN in front sets X-Forwarded-*; trust it from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def on_starting(server) -> None:
    """The app is loaded (preload_app): refuse, before listening, a configuration Django's
    system checks reject, in one line (e.g. a cache local to each worker)."""
    from django.core import checks

    serious = [message for message in checks.run_checks() if message.is_serious()]
    if serious:
        sys.exit(f"error: {serious[0].msg}")


def when_ready(server) -> None:
    """The app is loaded (preload_app) and workers are about to fork: freeze what is loaded.

    Frozen objects are left out of garbage collection, so collections in the workers stop
    walking Django's and Wagtail's hundreds of thousands of long-lived objects on every request.
    """
    gc.freeze()
