"""The only writers of ratings: desks and their QR tokens, a citizen's rating, a one-stop
system's bulk push, the review of flagged ratings and the purge of personal data.

Each write is one transaction; staff actions leave an audit record. A citizen's rating is
its own record (written once, never edited), so it has no audit row; its review has.
"""

from congvu.ratings.services.common import (
    CLIENT_KEY_DAYS,
    CONTACT_DAYS,
    MAX_BATCH,
    DeskUnavailable,
    KeyConflict,
    RatingRefused,
)
from congvu.ratings.services.desks import DeskSpec, desk_create, desk_token_rotate, desk_update
from congvu.ratings.services.ingest import IngestItem, ItemResult, ratings_ingest
from congvu.ratings.services.public import (
    ClientInfo,
    Submission,
    desk_for_token,
    new_form_key,
    rating_submit,
)
from congvu.ratings.services.review import ratings_personal_data_purge, ratings_review

__all__ = [
    "CLIENT_KEY_DAYS",
    "CONTACT_DAYS",
    "MAX_BATCH",
    "ClientInfo",
    "DeskSpec",
    "DeskUnavailable",
    "IngestItem",
    "ItemResult",
    "KeyConflict",
    "RatingRefused",
    "Submission",
    "desk_create",
    "desk_for_token",
    "desk_token_rotate",
    "desk_update",
    "new_form_key",
    "rating_submit",
    "ratings_ingest",
    "ratings_personal_data_purge",
    "ratings_review",
]
