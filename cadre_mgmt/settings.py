"""Settings for the village cadre rank management product.

One module, read from the environment. The defaults give a working local run
(SQLite file, Celery tasks executed eagerly in-process); production sets
DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, DEBUG=False and ALLOWED_HOSTS.
A malformed value stops the process at start with a message naming the variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false/1/0), got {raw!r}")


def env_int(name, default, *, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False")
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is False")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Name printed on rosters and page titles.
COUNTY_NAME = env_str("COUNTY_NAME", "示范县")

INSTALLED_APPS = [
    # Django's admin with the product's site (cadre_mgmt/admin_site.py: nothing is asked of a signed-out visitor).
    "cadre_mgmt.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Core: imports no feature app.
    "cadre_mgmt.accounts",
    "cadre_mgmt.audit",
    "cadre_mgmt.cadres",
    # Feature apps, bottom to top.
    "incentives",
    "supervision",
    "assessments",
    "ranks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A NUL character in any parameter is a 400 before any view or query sees it (cadre_mgmt/nul_bytes.py).
    "cadre_mgmt.nul_bytes.RefuseNulBytesMiddleware",
    "cadre_mgmt.audit.middleware.RequestContextMiddleware",
    "cadre_mgmt.accounts.middleware.ForcePasswordChangeMiddleware",
    # County roles: enrolment or the code page until the session is verified (accounts/second_factor).
    "cadre_mgmt.accounts.second_factor.middleware.SecondFactorMiddleware",
    # A cadre account (DESIGN §12) reaches only its own pages: every other URL is a 403 (default deny).
    "cadre_mgmt.accounts.middleware.CadreConfinementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cadre_mgmt.urls"
WSGI_APPLICATION = "cadre_mgmt.wsgi.application"

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
                "cadre_mgmt.accounts.context_processors.navigation",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's township with the user (every page header shows it).
    "cadre_mgmt.accounts.backends.ModelBackend",
]

# Chosen passwords only (forms, createsuperuser, create_county_admin); every message is Chinese
# (cadre_mgmt/accounts/validators.py). Refused: like the user's names, under 10 characters, one of Django's
# 20,000 common passwords, all digits, fewer than 3 character classes, the published demo password, and any
# of the user's last 5 passwords.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "cadre_mgmt.accounts.validators.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "cadre_mgmt.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "cadre_mgmt.accounts.validators.CommonPasswordValidator"},
    {"NAME": "cadre_mgmt.accounts.validators.NumericPasswordValidator"},
    {"NAME": "cadre_mgmt.accounts.validators.CharacterClassValidator"},
    {"NAME": "cadre_mgmt.accounts.validators.PublishedPasswordValidator"},
    {"NAME": "cadre_mgmt.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"keep": 5}},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle session timeout: the session expires SESSION_IDLE_MINUTES after the last request. Saving it on
# every request pushes the deadline forward; the engine writes that at most once a minute, so the
# timeout is exact to SESSION_IDLE_REFRESH_SECONDS (cadre_mgmt/accounts/sessions.py).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ENGINE = "cadre_mgmt.accounts.sessions"
SESSION_IDLE_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout: 5 failures lock the username and, separately, the address for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Axes' database handler; for county roles the password alone does not clear the failures, the code does.
AXES_HANDLER = "cadre_mgmt.accounts.second_factor.lockout.SecondFactorAxesHandler"
# Behind the county's reverse proxy every request comes from the proxy: trust the address it puts
# last in X-Forwarded-For. Lockout and the audit log see the same client address.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
AXES_CLIENT_IP_CALLABLE = "cadre_mgmt.audit.middleware.client_ip"

# Second factor (django-otp: TOTP app + ten recovery codes). County administrators, approvers and
# supervisors always; SECOND_FACTOR_ALL_STAFF=1 adds township staff and finance. Wrong codes count in the
# lockout above, so django-otp's own growing delay is off (it would refuse a right code after a slip).
SECOND_FACTOR_ALL_STAFF = env_bool("SECOND_FACTOR_ALL_STAFF", False)
OTP_TOTP_ISSUER = "村干部职级管理"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Django admin never shows a device's secret key or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The demo (seed_demo, DEBUG only) enrols its accounts with this published secret; never used otherwise.
DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
# Password ageing (等保 assessors ask): 0 is off; N days makes an older password be changed at sign-in.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0, minimum=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploads: nothing larger than this is read into memory; import files are refused above it.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Resident ID numbers are stored encrypted (Fernet) and looked up through a keyed hash.
# Production must set its own key; the development default is derived from SECRET_KEY.
ID_NUMBER_KEY = env_str("ID_NUMBER_KEY", None)
if not DEBUG and not ID_NUMBER_KEY:
    raise ImproperlyConfigured("ID_NUMBER_KEY must be set when DEBUG is False (32+ random characters)")
# 密评: personal data is SM4-GCM encrypted and HMAC-SM3 looked up (cadre_mgmt/crypto.py). SM4_KEY (32 hex
# digits) encrypts, SM4_OLD_KEYS (comma-separated) are still read until `manage.py rotate_keys` is done,
# LOOKUP_KEY (32+ hex digits) keys the lookups. Unset, each is derived from ID_NUMBER_KEY under its own label.
SM4_KEY = env_str("SM4_KEY", None)
SM4_OLD_KEYS = env_list("SM4_OLD_KEYS", [])
LOOKUP_KEY = env_str("LOOKUP_KEY", None)
# The audit log's hash chain (HMAC-SM3, cadre_mgmt/audit/chain.py): hex, 32+ digits; derived when unset.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", None)
# Chains per day: that many transactions append at once without waiting (8 measured in docs/security.md).
AUDIT_CHAIN_PARTITIONS = env_int("AUDIT_CHAIN_PARTITIONS", 8, minimum=1)

# Mass evaluation (assessments/evaluation): the villagers' one-time codes are kept only as HMAC-SHA256 digests
# under this key (default: derived from SECRET_KEY). The slips print the ballot address as
# EVALUATION_BASE_URL + /v/<code>/ (default: the address the township's browser used) in the CJK font below.
# Changing the key makes every slip already printed unusable.
EVALUATION_CODE_KEY = env_str("EVALUATION_CODE_KEY", None)
EVALUATION_BASE_URL = env_str("EVALUATION_BASE_URL", "")
EVALUATION_SLIP_FONT = env_str("EVALUATION_SLIP_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Wrong codes typed on the ballot page, per address (django-ratelimit, counted in the default cache).
EVALUATION_WRONG_CODE_RATE = env_str("EVALUATION_WRONG_CODE_RATE", "10/h")

# Celery: with no broker, tasks run eagerly in-process so the local run needs no Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", None)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", None)
CELERY_TIMEZONE = TIME_ZONE
# A task whose worker dies comes back: it is acknowledged only when it ends (acks_late), a worker lost
# mid-task puts it back on the queue (reject_on_worker_lost), and a worker holds one task beyond the one it
# runs (prefetch 1), so nothing waits behind a long task in a dead worker's buffer. Every task stops at the
# hard time limit (the soft one raises SoftTimeLimitExceeded first, for a clean stop). Redis hands an
# unacknowledged task to another worker after the visibility timeout, so that timeout must be longer than
# the longest task may run — the hard limit plus a margin — or a slow task would run twice.
# The longest task (one township's promotion review, a roster, a long export) takes about a minute at
# 100,000 cadres; the limits leave wide room: soft 55 min, hard 60 min, visibility 2 h.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 60 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = env_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", CELERY_TASK_TIME_LIMIT - min(5 * 60, CELERY_TASK_TIME_LIMIT // 10), minimum=5
)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_TASK_SOFT_TIME_LIMIT ({CELERY_TASK_SOFT_TIME_LIMIT}) must be below "
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT})"
    )
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 2 * 60 * 60, minimum=60)
if CELERY_BROKER_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_BROKER_VISIBILITY_TIMEOUT ({CELERY_BROKER_VISIBILITY_TIMEOUT}) must exceed CELERY_TASK_TIME_LIMIT "
        f"({CELERY_TASK_TIME_LIMIT}), or a task still running is handed to a second worker"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://", "memory://")):
    raise ImproperlyConfigured(f"CELERY_BROKER_URL must be a redis:// or amqp:// URL, got {CELERY_BROKER_URL!r}")

# Cache: Redis in production (CACHE_URL, or REDIS_URL), so that every web worker counts the API throttle
# (and anything else kept in the cache) in one place; local runs and tests keep a per-process memory cache.
# Give the cache its own Redis database (redis://host:6379/1): clearing the cache empties that database,
# which must not be the Celery broker's. The sign-in lockout (django-axes) keeps its counts in the database,
# which every worker already shares.
CACHE_URL = env_str("CACHE_URL", None) or env_str("REDIS_URL", None)
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL / REDIS_URL must be a redis://, rediss:// or unix:// URL, got {CACHE_URL!r}")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "cadre",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_CACHE = "default"

# Content Security Policy: no inline script, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fontTools (used by fpdf2 for the evaluation slips) logs every font subset at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# REST API (/api/v1/): token auth for machine clients, session auth for the browser; same scoping as pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cadre_mgmt.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["cadre_mgmt.api.permissions.IsSignedIn"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cadre_mgmt.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "cadre_mgmt.api.schema.AutoSchema",
    # JSON only: no browsable HTML pages, and every error is JSON (cadre_mgmt/api/errors.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "cadre_mgmt.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_THROTTLE", "10/minute")},
}
# API tokens end after API_TOKEN_IDLE_MINUTES without a request and API_TOKEN_MAX_AGE_DAYS after they were
# issued, and on a password change or "sign out everywhere" (cadre_mgmt/accounts/tokens.py).
API_TOKEN_IDLE_MINUTES = env_int("API_TOKEN_IDLE_MINUTES", 8 * 60, minimum=1)
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 30, minimum=1)
if API_TOKEN_IDLE_MINUTES > API_TOKEN_MAX_AGE_DAYS * 24 * 60:
    raise ImproperlyConfigured(
        f"API_TOKEN_IDLE_MINUTES ({API_TOKEN_IDLE_MINUTES}) must not exceed API_TOKEN_MAX_AGE_DAYS "
        f"({API_TOKEN_MAX_AGE_DAYS}) in minutes"
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "村干部职级管理 API",
    "DESCRIPTION": "县委组织部村干部职级管理系统的接口（v1）。权限与页面一致：乡镇账号只能访问本乡镇数据。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No validator badge: Swagger UI would fetch it from validator.swagger.io (the intranet is offline).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Choice sets used by several components get a readable name instead of a hash.
    "ENUM_NAME_OVERRIDES": {"RosterStatusEnum": "ranks.models.Roster.Status"},
}

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "Demo@County2026")
