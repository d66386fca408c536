"""One settings module, driven by the environment.

With nothing set, CôngVụ runs on SQLite (WAL) under var/. Production sets
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, REDIS_URL and HTTPS=1.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # the congvu package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CONGVU_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "congvu.core.admin_apps.CongVuAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # the API docs then use its bundled static files, not a CDN the CSP would block
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "congvu.core",
    "congvu.organisations",
    "congvu.accounts",
    "congvu.evaluations",
    "congvu.discipline",
    "congvu.standards",
    "congvu.feedback",
    "congvu.ratings",
    "congvu.plans",
    "congvu.violations",
    "congvu.emulation",
    "congvu.inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "congvu.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congvu.config.urls"
WSGI_APPLICATION = "congvu.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "congvu.config.navigation.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
# SQLite however it is named (no DATABASE_URL: var/congvu.sqlite3; sqlite:///path) gets
# the same options; options given in the URL's query string take precedence.
SQLITE_PATH = VAR_DIR / "congvu.sqlite3"
SQLITE_OPTIONS = {
    # IMMEDIATE avoids "database is locked" when two writers upgrade read locks.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
    ),
}


def _database(url: str) -> dict:
    if not url:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH}
    else:
        config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # A connection per request (~1 ms with this schema): no server to keep one open
        # to, and a file restored, replaced or made writable again is seen at once.
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["CONN_MAX_AGE"] = 0
        return config
    config["CONN_MAX_AGE"] = 60
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database(os.environ.get("DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and background work -------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {"huey_class": "huey.RedisHuey", "name": "congvu", "url": REDIS_URL}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "congvu",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }
HUEY["immediate"] = env_bool("HUEY_IMMEDIATE", False)
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}

# --- Authentication and security -----------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "congvu.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures of one username from any addresses within the cool-off that lock it everywhere
# (the owner gets an inbox notice): guessing spread over many addresses (congvu.accounts.lockout).
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20)
AXES_HANDLER = "congvu.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "congvu.core.ratelimit.client_ip"  # the address the limits count
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Idle sessions end after SESSION_IDLE_MINUTES (default 30): every request renews the cookie.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "congvu.core.sessions"  # a read-only database skips the renewal (R2)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "congvu.core.views.csrf_failure"  # Vietnamese, not Django's English page
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Behind a reverse proxy --------------------------------------------------
# The request header holding the client's address, as Django names it (e.g.
# HTTP_X_REAL_IP set by nginx); empty: REMOTE_ADDR. Rating and report limits and the login
# lock-out count by it (congvu.core.ratelimit.client_ip). With HTTP_X_FORWARDED_FOR, the
# client is the TRUSTED_PROXIES-th address from the right: values further left are the
# client's own writing.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
if CLIENT_IP_HEADER and not CLIENT_IP_HEADER.startswith("HTTP_"):
    raise ImproperlyConfigured(
        f"CLIENT_IP_HEADER names a request header as Django does (HTTP_X_REAL_IP, "
        f"HTTP_X_FORWARDED_FOR), got {CLIENT_IP_HEADER!r}"
    )
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1)
if TRUSTED_PROXIES < 1:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must be 1 or more, got {TRUSTED_PROXIES}")

# --- Satisfaction dashboard -------------------------------------------------
# Seconds a computed dashboard (per scope, unit, period and language) is served from the
# cache; 0: computed on every request. The page says when its figures were computed.
RATINGS_DASHBOARD_CACHE_SECONDS = env_int("RATINGS_DASHBOARD_CACHE_SECONDS", 60)

# --- Uploads --------------------------------------------------------------
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 500)
# Background files (exports, core.jobs): kept this many days, then deleted; progress written
# every so many rows; unfinished jobs one user may have at once.
JOB_KEEP_DAYS = env_int("JOB_KEEP_DAYS", 7)
JOB_PROGRESS_EVERY = env_int("JOB_PROGRESS_EVERY", 1000)
JOB_ACTIVE_MAX = env_int("JOB_ACTIVE_MAX", 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_ROOT = VAR_DIR / "private"  # never served directly; downloads go through views
BACKUP_DIR = VAR_DIR / "backups"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["congvu.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]  # congvu/static is not inside an app
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- Logging: structured UTC records (QUALITY.md S10) ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "congvu.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "congvu": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
