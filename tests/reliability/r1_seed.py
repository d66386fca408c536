"""Prepare the R1 crash test's database (run as a script, in a child process).

With CONGVU_VAR_DIR / DATABASE_URL of the test's own database in the environment:
migrate, build the small test province, create four rating desks through the services
and an API token for a Sở Nội vụ account; print what the clients need as JSON.
"""

import json

import django

django.setup()

from django.core.management import call_command  # noqa: E402


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)

    from congvu.accounts.services import token_create
    from congvu.ratings import services
    from congvu.ratings.services import DeskSpec
    from congvu.testing import build_province

    province = build_province()
    admin = province.users["admin"]
    specs = [
        DeskSpec(unit=province.units["syt"], kind="quay", name="Quầy số 1"),
        DeskSpec(
            unit=province.units["syt"],
            kind="can_bo",
            name="Quầy số 2",
            staff=province.staff["syt_cc"],
        ),
        DeskSpec(unit=province.units["stp"], kind="quay", name="Quầy tiếp nhận"),
        DeskSpec(unit=province.units["bv"], kind="don_vi", name="Bệnh viện Đa khoa tỉnh"),
    ]
    desks = []
    for spec in specs:
        desk = services.desk_create(actor=admin, spec=spec)
        token = desk.tokens.get(revoked_at__isnull=True).token
        desks.append({"id": desk.pk, "token": token, "unit": spec.unit.code})
    api_user = province.users["snv"]
    print(
        json.dumps(
            {
                "desks": desks,
                "api_token": token_create(actor=admin, user=api_user, label="R1"),
                "api_user_id": api_user.pk,
                "units": [province.units[k].code for k in ("syt", "stp", "bv")],
            }
        )
    )


if __name__ == "__main__":
    main()
