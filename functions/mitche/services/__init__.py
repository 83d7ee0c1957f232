"""Firestore and Authentication services: lazy clients, units of work that count their cost,
settings with code defaults, and the custom claims the rules read."""

from mitche.services._accounts import Accounts, FirebaseAccounts
from mitche.services._clients import DEFAULT_DATABASE, admin_app, firestore_client, project_id
from mitche.services._cost import CostRecorder, CostSample, record_cost, recording_costs
from mitche.services._declared import (
    UndeclaredFieldError,
    check_declared,
    field_paths,
    model_for_path,
    undeclared_fields,
)
from mitche.services._dry_run import dry_run, is_dry_run
from mitche.services._errors import TRANSLATED, translate_errors
from mitche.services._images import THUMBNAIL_SIDE, CleanImage, clean_image, gps_of, make_thumbnail
from mitche.services._log import log_debug, log_error, log_info, log_warning
from mitche.services._push import FcmSender, PushMessage, PushResult, PushSender, token_is_gone
from mitche.services._settings import DEFAULT_TTL_SECONDS, GameRules, SettingsStore, settings_path
from mitche.services._unit import Unit, run_batch, run_transaction
from mitche.services.codec import from_document, to_document

__all__ = [
    "DEFAULT_DATABASE",
    "DEFAULT_TTL_SECONDS",
    "THUMBNAIL_SIDE",
    "TRANSLATED",
    "Accounts",
    "CleanImage",
    "CostRecorder",
    "CostSample",
    "FcmSender",
    "FirebaseAccounts",
    "GameRules",
    "PushMessage",
    "PushResult",
    "PushSender",
    "SettingsStore",
    "UndeclaredFieldError",
    "Unit",
    "admin_app",
    "check_declared",
    "clean_image",
    "dry_run",
    "field_paths",
    "firestore_client",
    "from_document",
    "gps_of",
    "is_dry_run",
    "log_debug",
    "log_error",
    "log_info",
    "log_warning",
    "make_thumbnail",
    "model_for_path",
    "project_id",
    "record_cost",
    "recording_costs",
    "run_batch",
    "run_transaction",
    "settings_path",
    "to_document",
    "token_is_gone",
    "translate_errors",
    "undeclared_fields",
]
