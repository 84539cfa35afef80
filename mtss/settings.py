"""One settings module, driven by environment variables (see .env.example).

Runs with nothing set (development defaults). With DEBUG=0 it refuses to start without
SECRET_KEY and turns on the HTTPS/cookie hardening that `check --deploy` asks for.
"""

from pathlib import Path

import environ
import plotly
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set it in the environment to 50 or "
            'more random characters, for example the output of: python -c "import secrets; '
            'print(secrets.token_urlsafe(50))" (or set DEBUG=1 for development).'
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin with a site for active superusers only (mtss/admin.py).
    "mtss.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "students",
    "indicators",
    "screening",
    "interventions",
    "decisions",
    "smallgroups",
    "meetings",
    "families",
    "ownership",
    "dashboards",
]

MIDDLEWARE = [
    # Outermost: turns the 500s of a database outage into a clear 503 (page or JSON).
    "mtss.degraded.DatabaseDownMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Picks the page language among LANGUAGES (only English ships for staff pages today;
    # the strings are marked, so another language is a catalog away).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "mtss.middleware.NoStoreWhenSignedInMiddleware",
    # Last, as django-axes asks: turns a locked sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mtss.urls"
WSGI_APPLICATION = "mtss.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mtss.context.navigation",
                "mtss.js_catalog.context",
            ],
        },
    },
]

# Development and tests default to the PostgreSQL on localhost; `make run` / `make test`
# export DATABASE_URL (embedded pgserver when nothing else is reachable).
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@localhost:5432/mtss"),
}
# Seconds a web or worker process keeps its database connection between requests (0: a
# new one per request, the development default). docker-compose.yml sets 60: a new
# connection costs PostgreSQL a process and cold catalog caches, which made every query of a
# request slower under load (docs/deployment.md, "Many users at once"). A kept connection is
# checked before a request reuses it, so a database restart costs no request an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT spends ~0.9 s compiling our short dashboard/list queries at 50,000 students
# for no gain; these are OLTP-sized queries.
DATABASES["default"].setdefault("OPTIONS", {}).update(
    {"options": "-c jit=off", "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", default=5)}
)
# Connection pooling (docs/state-scale.md): with DATABASE_POOL_MAX_SIZE > 0 each process
# keeps up to that many open connections (psycopg_pool through Django) instead of opening one
# per request: the connection set-up (~5-20 ms with TLS, a backend process forked) leaves the
# request path, and PostgreSQL's connection count stays bounded at processes x max size.
# Django requires CONN_MAX_AGE = 0 with a pool. Off by default: one process, few connections.
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
if DATABASE_POOL_MAX_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": DATABASE_POOL_MAX_SIZE,
        # Seconds a request waits for a free connection before failing loudly.
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }
# Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator()) would not
# survive between transactions: set this to true there (docs/state-scale.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "students.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in lockout (django-axes; the rule is in students/lockout.py): an account after
# LOGIN_FAILURE_LIMIT failures, an address after LOGIN_ADDRESS_FAILURE_LIMIT failures across
# any accounts (or after it locked one account), each for LOGIN_LOCKOUT_MINUTES.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked sign-in before any password is checked, on every path that
    # calls authenticate() (sign-in page, admin sign-in).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "students.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = "students.lockout.failure_limit"
AXES_COOLOFF_TIME = "students.lockout.cooloff"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "students.lockout.normalize_username"
AXES_CLIENT_IP_CALLABLE = "mtss.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "students.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful sign-ins are not kept (no table of everyone's sign-in times and addresses).
AXES_DISABLE_ACCESS_LOG = True
# How many proxies in front of the app append to X-Forwarded-For (mtss/client_ip.py). 0: the
# header is ignored and the connection's address is the client's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# A signed-in session ends after SESSION_COOKIE_AGE seconds (8 hours: one school day).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# How long a password reset link works, in seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 60 * 60)
# API tokens (students/tokens.py) expire this many days after they are made.
API_TOKEN_EXPIRY_DAYS = env.int("API_TOKEN_EXPIRY_DAYS", default=90)

LANGUAGE_CODE = "en-us"
# The staff interface's languages (strings marked for translation; English ships).
LANGUAGES = [("en", "English")]
# The languages family letters and progress reports are written in (locale/<code>/), chosen
# by the guardian's preferred language; anything else gets English.
FAMILY_LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Days from the parents' consent to the end of an evaluation for special education (IDEA
# 34 CFR 300.301(c): 60 days unless the state sets its own timeline).
EVALUATION_TIMELINE_DAYS = env.int("EVALUATION_TIMELINE_DAYS", default=60)
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # plotly.js as shipped inside the plotly package (same version as the Python figures),
    # served as static/plotly/plotly.min.js: no CDN, nothing to vendor by hand.
    ("plotly", Path(plotly.__file__).resolve().parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# Roster imports (docs/imports.md): the folder holding each district's nightly drop folder,
# the largest a zip may unpack to (a zip bomb is refused), how long finished uploads are
# kept under MEDIA_ROOT/imports/ before the nightly sweep deletes them, and the address put
# in front of links in e-mails.
IMPORT_DROP_ROOT = env.path("IMPORT_DROP_ROOT", default=BASE_DIR / "var" / "drop")
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=2 * 1024**3)
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=30)
# A roster import deactivating more than this share of a district's students, classes or
# staff waits for a district administrator's confirmation (students/oneroster/guard.py).
IMPORT_DEACTIVATION_GUARD_SHARE = env.float("IMPORT_DEACTIVATION_GUARD_SHARE", default=0.10)
# A plan with no progress point for this many days is "overdue for data" on the caseload.
PROGRESS_OVERDUE_DAYS = env.int("PROGRESS_OVERDUE_DAYS", default=14)
SITE_URL = env.str("SITE_URL", default="")

REDIS_URL = env.str("REDIS_URL", default="redis://localhost:6379/0")
CELERY_BROKER_URL = REDIS_URL
# Django's own cache stays per process (nothing shared relies on it); the "ratelimit" cache is
# Redis, so every gunicorn worker counts a client address's failed sign-in codes together
# (django-ratelimit, ownership/ratelimits.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ratelimit",
    },
    # Dashboard figures keyed by the data version (dashboards/panel_cache.py): the timeout
    # only bounds memory, as a superseded version's entries are never read again.
    "dashboards": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "dashboards",
        "TIMEOUT": env.int("DASHBOARD_CACHE_SECONDS", default=600),
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
# The student's own page (ownership/): how many wrong sign-in codes one client address may
# try, and in what period, before it must wait. A whole class signs in from one school
# address, so right codes do not count, only wrong ones.
STUDENT_CODE_FAILURE_RATE = env.str("STUDENT_CODE_FAILURE_RATE", default="20/10m")
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # every task is idempotent: a lost one runs again
# kombu's Redis transport, made to survive a broker restart with messages in flight.
CELERY_BROKER_TRANSPORT = "mtss.broker:Transport"
# A save must never hang on a dead broker: fail fast; the outbox (students/outbox.py) sends
# what could not be sent once the broker is back. A message a worker took and never
# acknowledged (the worker died) goes back to the queue after the visibility timeout, which
# must outlast the longest task (an import: one hour) or a running task would be handed out
# twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "max_retries": 1,
    "interval_start": 0,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=65 * 60),
}
# Honest jobs (docs/imports.md): a running job stamps its heartbeat this often, and the
# periodic check fails a job whose heartbeat is older than JOB_STALE_SECONDS.
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=15)
JOB_STALE_SECONDS = env.float("JOB_STALE_SECONDS", default=180)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Several worker machines (docs/state-scale.md): with CELERY_QUEUES_BY_KIND on, the long
# tasks go to queues of their own, so a state's nightly sweeps never wait behind a roster
# import, and each kind gets the machines it needs: workers started with `-Q sweeps`,
# `-Q imports` and `-Q celery` (everything else: the outbox, the checks, the fan-outs).
# Off by default: one worker without -Q reads only the default queue.
if env.bool("CELERY_QUEUES_BY_KIND", default=False):
    CELERY_TASK_ROUTES = {
        "decisions.tasks.sweep_district": {"queue": "sweeps"},
        "decisions.tasks.sweep_school": {"queue": "sweeps"},
        "decisions.tasks.sweep_run": {"queue": "sweeps"},
        "interventions.tasks.refresh_progress": {"queue": "sweeps"},
        "students.tasks.import_job_run": {"queue": "imports"},
    }
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="mtss@localhost")
# SMTP, for EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (password resets).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous request with the first class's challenge, so
    # this order gives 401 + `WWW-Authenticate: Token` instead of a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "students.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API renders every related field as a <select> of all its
    # rows (all students of all schools, for a student field), which no scoping covers.
    # /api/docs/ is the human-readable API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "mtss.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mtss.errors.api_exception_handler",
    "DEFAULT_METADATA_CLASS": "mtss.api_metadata.ApiMetadata",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MTSS platform API",
    "DESCRIPTION": "Screening, decision rules, interventions, meetings and dashboards.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs describe the interface, never data: readable without logging in,
    # so integrators and API fuzzers can fetch them. Every endpoint they list checks access.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Stable enum names: drf-spectacular would name same-named fields' enums by a hash.
    "ENUM_NAME_OVERRIDES": {
        "ImportJobKindEnum": "students.models_imports.ImportJob.Kind",
        "SettingsPreviewStatusEnum": "decisions.models_previews.SettingsPreview.Status",
    },
    # Every operation's error answers, documented once (mtss/api_schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mtss.api_schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs its version at INFO in every process that starts (web, worker, beat):
    # nothing to act on. Its lockout messages are WARNING and still show.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Orchestrators probe /healthz over plain HTTP inside the network; a redirect would
    # hide the answer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): scripts and styles from our own static files only,
# never inline, no eval. Two exceptions for plotly.js, each a hash that admits one exact
# <style> content and nothing else:
# - the empty string: plotly.js adds its chart styles by creating an empty <style> element
#   and filling it through the CSSOM, which the browser allows once the empty element is;
# - the map stylesheet (maplibre-gl) that plotly.js adds as it loads. Its hash changes with
#   the plotly package: tests/students/test_security_headers.py names the new one.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *PLOTLY_STYLE_HASHES],
        # data: for Bootstrap's inline SVG icons and the page's empty favicon.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
