"""Settings shared by every layer. Safe by default: the layers loosen them explicitly.

Every value a deployment may need to change is read from the environment; the
README lists each variable.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from immunotherapy.plugins import DEFAULT_PLUGINS, plugin_apps

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "site_config",
    "home",
    "immunotherapy",
    "immunotherapy.api",
    "comments",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
    "wagtail.contrib.frontend_cache",
    "wagtail_headless_preview",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "rest_framework",
    "corsheaders",
    "ninja",  # API v3 docs served from our own static files, not a CDN (CSP)
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # CORS first: its headers depend on the request's Origin. The API's kept answers are served
    # next, with the headers the middlewares below added when they were made.
    "corsheaders.middleware.CorsMiddleware",
    "immunotherapy.api.http_cache.APICacheMiddleware",
    # Anonymous readers' pages this process keeps, likewise replayed with their headers.
    "immunotherapy.page_cache.PageCacheMiddleware",
    "site_config.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "site_config.api_errors.APIRequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "site_config.db_router.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Admin views of a page whose plugin is not installed explain instead of failing.
    "immunotherapy.orphans.OrphanedPageAdminMiddleware",
    # Malformed admin requests that Wagtail would answer with a 500 get a 400 instead.
    "site_config.admin_guard.AdminRequestGuardMiddleware",
    # API v3 page actions Wagtail fails on for the root page answer 400 instead.
    "immunotherapy.api.v3_errors.RootPageActionGuardMiddleware",
]

ROOT_URLCONF = "site_config.urls"
WSGI_APPLICATION = "site_config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL names another.
# WAL lets readers and one writer work at once; IMMEDIATE transactions and a
# busy timeout make concurrent writers wait instead of failing.
# Persistent connections are checked before reuse, so a restarted database
# costs one failed check instead of one failed request.
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 0)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=DATABASE_CONN_MAX_AGE != 0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else the database: shared by every process either way.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "immunotherapy",
            # A Redis that stops answering fails requests (and /healthz) within seconds
            # instead of holding gunicorn workers until their timeout.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    # Without Redis, a table in the project database (created by `migrate`), so that flood
    # control and Wagtail's cached lookups hold across every process, as Redis would.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# JSON API bodies nesting objects and arrays deeper than this are refused before parsing.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 64)

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Immunotherapy Guide")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend (PostgreSQL full text, or SQLite FTS5 with ranking in one pass).
WAGTAILSEARCH_BACKENDS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "immunotherapy.search_backend"}
}
# Page URLs per sitemap section page (the protocol's maximum is 50,000; a section of 10,000 takes
# seconds to build after a change), and how long a sitemap is kept at most (it is rebuilt as
# soon as a page is published, moved or removed anyway).
SITEMAP_PAGE_SIZE = min(env_int("SITEMAP_PAGE_SIZE", 10_000), 50_000)
SITEMAP_CACHE_TIMEOUT = env_int("SITEMAP_CACHE_TIMEOUT", 3600)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Wagtail's Draftail editor, reading a blank posted value as empty text instead of failing.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "immunotherapy.editor.DraftailRichTextArea"},
}
WAGTAILAPI_BASE_URL = env_str("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Client IP: trust a proxy header only when told how many proxies sit in front.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
CLIENT_IP_PROXY_COUNT = env_int("CLIENT_IP_PROXY_COUNT", 0)

# Headless delivery: CORS for front-end apps, API caching, CDN purge, front-end preview.
# CORS is closed unless origins are listed; it only ever applies to the APIs.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag"]

# Each process keeps anonymous API v2 answers until content changes anywhere (0: it does not).
API_CACHE_TIMEOUT = env_int("API_CACHE_TIMEOUT", 3600)
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)  # browsers
API_CACHE_S_MAXAGE = env_int("API_CACHE_S_MAXAGE", 60)  # CDNs
API_CACHE_INVALIDATING_APPS = [
    "immunotherapy",
    "comments",
    "wagtailimages",
    "wagtaildocs",
    "wagtailcore",
    *env_list("API_CACHE_INVALIDATING_APPS"),
]

# ---------------------------------------------------------------------------
# Production and scale-out (docs/deploy.md): read replica, object storage for
# media, search backend, CDN purge on publish, Content-Security-Policy.
# ---------------------------------------------------------------------------

# Read replica: anonymous GET requests read from it; writes, signed-in users,
# the admin and management commands use the primary (site_config/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=DATABASE_CONN_MAX_AGE != 0,
    )
    # Tests see the replica as the primary itself (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["site_config.db_router.PrimaryReplicaRouter"]

# Media on S3-compatible object storage when a bucket is named; local disk otherwise.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": env_str("AWS_LOCATION"),
            # Public media: plain URLs a CDN can cache, no expiring signatures.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "default_acl": env_str("AWS_DEFAULT_ACL") or None,
            "file_overwrite": False,
        },
    }

# Search: the database backend (PostgreSQL full text on PostgreSQL, FTS5 on
# SQLite) unless OPENSEARCH_URL points at an OpenSearch cluster.
OPENSEARCH_URL = env_str("OPENSEARCH_URL")
if OPENSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch2",
            "URLS": [OPENSEARCH_URL],
            "INDEX": env_str("OPENSEARCH_INDEX", "immunotherapy"),
            "TIMEOUT": env_int("OPENSEARCH_TIMEOUT", 5),
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }

# CDN purge on publish and unpublish (wagtail.contrib.frontend_cache).
WAGTAILFRONTENDCACHE: dict[str, dict] = {}
if env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
    }
if env_str("CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env_str("CLOUDFLARE_ZONEID"),
    }
if env_str("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env_str("CLOUDFRONT_DISTRIBUTION_ID"),
    }

# Anonymous readers' HTML pages (immunotherapy/page_cache.py), kept in the default cache until a
# change purges them. Browsers revalidate every time (ETag, 304); a CDN keeps a page for
# HTML_CACHE_S_MAXAGE seconds, a day when a purge backend above tells it of changes.
HTML_CACHE_TIMEOUT = env_int("HTML_CACHE_TIMEOUT", 86_400)  # server-side; 0 turns the cache off
HTML_CACHE_MAX_AGE = env_int("HTML_CACHE_MAX_AGE", 0)  # browsers
HTML_CACHE_S_MAXAGE = env_int("HTML_CACHE_S_MAXAGE", 86_400 if WAGTAILFRONTENDCACHE else 60)

# Editors' e-mail hashes are not sent to Gravatar from a health site's admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Content-Security-Policy (site_config/security.py). Readers get a strict policy
# with no inline or third-party script; the admin gets the looser one Wagtail's
# admin needs (docs/deploy.md explains each source). Extra sources come from the
# environment, space-separated.
_media_origin = MEDIA_URL if MEDIA_URL.startswith("http") else ""
_extra_img = [*env_str("CSP_IMG_SRC").split(), *([_media_origin] if _media_origin else [])]
if AWS_STORAGE_BUCKET_NAME:
    _extra_img.append(
        f"https://{env_str('AWS_S3_CUSTOM_DOMAIN')}"
        if env_str("AWS_S3_CUSTOM_DOMAIN")
        else env_str("AWS_S3_ENDPOINT_URL", "https://*.amazonaws.com")
    )
CSP_PUBLIC = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # 'unsafe-inline' styles: 500.html carries its own <style> so it renders when
    # static files are the thing that broke. Inline styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", *_extra_img],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", *env_str("CSP_FRAME_SRC", "https://www.youtube-nocookie.com").split()],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
CSP_EDITOR = {
    **CSP_PUBLIC,
    # Wagtail's admin initialises inline panels and date pickers from inline
    # <script> tags. No 'unsafe-eval': the accessibility checker (axe-core) only
    # compiles messages written in template syntax, and Wagtail ships none.
    "script-src": ["'self'", "'unsafe-inline'"],
    # Embed previews and image chooser thumbnails from other origins; upload previews.
    "img-src": ["'self'", "data:", "blob:", "https:"],
    # The dashboard's upgrade notice asks releases.wagtail.org for the latest version.
    "connect-src": ["'self'", "https://releases.wagtail.org"],
    # The editor's live preview frames our own pages.
    "frame-ancestors": ["'self'"],
}
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)


def _client_urls() -> dict[str, str]:
    """HEADLESS_PREVIEW_CLIENT_URLS: a bare URL is the default; `hostname=URL` items map sites."""
    urls = {}
    for item in env_list("HEADLESS_PREVIEW_CLIENT_URLS"):
        host, sep, url = item.partition("=")
        if sep and "://" not in host:
            urls[host.strip()] = url.strip()
        else:
            urls["default"] = item
    return urls


WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": _client_urls(),
    "REDIRECT_ON_PREVIEW": False,
}

# Reader comments (comments app). Defaults follow WordPress's discussion settings.
# The tags and attributes a comment may use; the form's notice is generated from it.
COMMENTS_ALLOWED_TAGS = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "acronym": ["title"],
    "b": [],
    "blockquote": ["cite"],
    "cite": [],
    "code": [],
    "del": ["datetime"],
    "em": [],
    "i": [],
    "q": ["cite"],
    "s": [],
    "strike": [],
    "strong": [],
}
# A comment posted from a cached page without a valid token gets the form back, text kept.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"
COMMENTS_MODERATE_ALL = env_bool("COMMENTS_MODERATE_ALL", False)
COMMENTS_REQUIRE_PREVIOUS_APPROVAL = env_bool("COMMENTS_REQUIRE_PREVIOUS_APPROVAL", True)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
COMMENTS_MODERATION_KEYS = env_list("COMMENTS_MODERATION_KEYS")
COMMENTS_DISALLOWED_KEYS = env_list("COMMENTS_DISALLOWED_KEYS")
COMMENTS_HOLD_CONTACT_DETAILS = env_bool("COMMENTS_HOLD_CONTACT_DETAILS", True)
COMMENTS_FLOOD_SECONDS = env_int("COMMENTS_FLOOD_SECONDS", 15)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 5)
# Top-level threads per page under an article (WordPress: "Break comments into pages"), and
# which come first: "oldest" or "newest". The API's ?cpage= pages are the same.
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
COMMENTS_ORDER = env_str("COMMENTS_ORDER", "oldest")
if COMMENTS_PER_PAGE < 1 or COMMENTS_ORDER not in ("oldest", "newest"):
    raise ImproperlyConfigured(
        "COMMENTS_PER_PAGE must be 1 or more and COMMENTS_ORDER 'oldest' or 'newest'"
    )
COMMENTS_NOTIFY_MODERATORS = env_bool("COMMENTS_NOTIFY_MODERATORS", True)
# Extra addresses told about held comments, besides users who may moderate (WordPress: admin email).
COMMENTS_NOTIFY_EMAILS = env_list("COMMENTS_NOTIFY_EMAILS")
COMMENTS_SAFETY_NOTICE = env_str(
    "COMMENTS_SAFETY_NOTICE",
    "Comments are not medical advice and are read by moderators, not doctors. If you need "
    "urgent medical help, call your treatment team's emergency line or your local emergency "
    "number now.",
)

# Therapy plugins: each enabled plugin is a Django app appended to INSTALLED_APPS.
# IMMUNOTHERAPY_PLUGINS (comma-separated in the environment) replaces the default list of the
# four built-ins; distributions declaring apps in the `immunotherapy.plugins` entry-point group
# are added to it. A plugin that cannot be imported stops start-up with one line naming it.
# IMMUNOTHERAPY_DISABLED_PLUGINS (comma-separated) turns plugins off without uninstalling them,
# entry-point ones included: name a plugin by app path or by its last component (`car_t`).
# IMMUNOTHERAPY_ENTRY_POINTS=false ignores the entry-point group (the test settings' default).
IMMUNOTHERAPY_PLUGINS = env_list("IMMUNOTHERAPY_PLUGINS", DEFAULT_PLUGINS)
IMMUNOTHERAPY_DISABLED_PLUGINS = env_list("IMMUNOTHERAPY_DISABLED_PLUGINS", [])
IMMUNOTHERAPY_ENTRY_POINTS = env_bool("IMMUNOTHERAPY_ENTRY_POINTS", True)
IMMUNOTHERAPY_PLUGIN_APPS = plugin_apps(
    IMMUNOTHERAPY_PLUGINS,
    IMMUNOTHERAPY_DISABLED_PLUGINS,
    use_entry_points=IMMUNOTHERAPY_ENTRY_POINTS,
)
INSTALLED_APPS += IMMUNOTHERAPY_PLUGIN_APPS

# Medical review (issue 8): the "Medical review" workflow stamps reviewer and dates on approval.
# Months from a page's last medical review to its next review date when editors leave it empty.
MEDICAL_REVIEW_INTERVAL_MONTHS = env_int("MEDICAL_REVIEW_INTERVAL_MONTHS", 12)
# The "Reviews due" report and dashboard panel list pages due within this many days.
MEDICAL_REVIEW_DUE_SOON_DAYS = env_int("MEDICAL_REVIEW_DUE_SOON_DAYS", 30)

# Largest WordPress export the admin's upload form takes; bigger ones go through the command.
WORDPRESS_IMPORT_MAX_UPLOAD_MB = env_int("WORDPRESS_IMPORT_MAX_UPLOAD_MB", 50)
