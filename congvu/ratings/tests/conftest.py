"""Fixtures of the ratings tests: desks of the small province, clients, rating helpers."""

import pytest

from congvu.ratings import services
from congvu.ratings.services import ClientInfo, DeskSpec


def make_desk(province, unit_key="syt", name="Quầy số 1", actor_key="admin", **extra):
    spec = DeskSpec(
        unit=province.units[unit_key], kind=extra.pop("kind", "quay"), name=name, **extra
    )
    return services.desk_create(actor=province.users[actor_key], spec=spec)


def token_of(desk) -> str:
    return desk.tokens.get(revoked_at__isnull=True).token


_counter = iter(range(10**9))


def citizen(n: int | None = None) -> ClientInfo:
    """A distinct citizen (own address and phone) unless ``n`` repeats."""
    n = next(_counter) if n is None else n
    return ClientInfo(
        ip=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}", user_agent=f"Phone/{n}"
    )


def submit(desk, score=5, client=None, key=None, **fields):
    fields.setdefault("answers", {})
    return services.rating_submit(
        token=token_of(desk),
        key=services.new_form_key() if key is None else key,
        score=score,
        client=client or citizen(),
        **fields,
    )


@pytest.fixture
def desk(province):
    return make_desk(province)


@pytest.fixture
def official_desk(province):
    return make_desk(province, name="Quầy số 2", kind="can_bo", staff=province.staff["syt_cc"])
