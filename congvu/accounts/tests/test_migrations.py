"""Migration accounts 0005: tokens made before the password stamp keep working, once stamped."""

import importlib

import pytest
from django.apps import apps

from congvu.accounts.models import ApiToken
from congvu.accounts.services import token_authenticate, token_create
from congvu.core.actors import SYSTEM

pytestmark = pytest.mark.django_db
migration = importlib.import_module("congvu.accounts.migrations.0005_apitoken_password_stamp")


def test_existing_tokens_are_stamped_with_their_owners_password(province):
    key = token_create(actor=SYSTEM, user=province.users["head_syt"])
    ApiToken.objects.update(password_stamp="")  # as before the migration
    assert token_authenticate(key) is None  # an unstamped token is refused
    ApiToken.objects.update(revoked_at=None)
    migration.stamp_existing(apps, None)
    assert token_authenticate(key) == province.users["head_syt"]
