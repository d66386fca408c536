"""Factories and a small province for tests (not imported by production code)."""

from dataclasses import dataclass, field
from datetime import date
from itertools import count

from congvu.accounts.models import User
from congvu.accounts.services import role_assign, user_create
from congvu.core.actors import SYSTEM
from congvu.organisations import services
from congvu.organisations.models import Staff, Unit, UnitType
from congvu.organisations.services import StaffSpec, UnitSpec

TODAY = date(2026, 11, 21)
FOUNDED = date(2008, 1, 1)
MERGER = date(2025, 7, 1)
PASSWORD = "Mat-khau-thu-nghiem-2026"  # noqa: S105 (test fixtures only)
_codes = count(1)


def make_unit(
    code: str, name: str, unit_type: str, parent: Unit | None = None, day: date = FOUNDED
) -> Unit:
    return services.unit_create(
        actor=SYSTEM,
        spec=UnitSpec(code=code, name=name, unit_type=unit_type, parent=parent),
        valid_from=day,
    )


def make_staff(
    unit: Unit,
    ho: str = "Nguyễn",
    dem: str = "Văn",
    ten: str = "An",
    category: str = "cong_chuc",
    code: str | None = None,
    day: date = date(2020, 1, 1),
    **extra,
) -> Staff:
    spec = StaffSpec(
        code=code or f"T{next(_codes):05d}",
        ho=ho,
        dem=dem,
        ten=ten,
        gender=extra.pop("gender", "nam"),
        birth_year=extra.pop("birth_year", 1985),
        category=category,
        **extra,
    )
    return services.staff_create(actor=SYSTEM, spec=spec, unit=unit, valid_from=day)


def make_user(username: str, staff: Staff | None = None) -> User:
    return user_create(actor=SYSTEM, username=username, password=PASSWORD, staff=staff)


@dataclass
class Province:
    """A small Khánh Hòa: two departments, a hospital, the 2025 merger and a district."""

    units: dict[str, Unit] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, key: str):
        """Users first, then units, then staff ("head_syt" is a user; its staff record
        is ``province.staff["head_syt"]``)."""
        return self.users.get(key) or self.units.get(key) or self.staff[key]


def build_province() -> Province:
    p = Province()
    u = p.units
    u["kh"] = make_unit("KHA", "UBND tỉnh Khánh Hòa", UnitType.UBND_TINH)
    u["snv"] = make_unit("KHA-SNV", "Sở Nội vụ", UnitType.SO_BAN_NGANH, u["kh"])
    u["syt"] = make_unit("KHA-SYT", "Sở Y tế", UnitType.SO_BAN_NGANH, u["kh"])
    u["bv"] = make_unit("KHA-BVDK", "Bệnh viện Đa khoa tỉnh", UnitType.DON_VI_SU_NGHIEP, u["syt"])
    u["stp"] = make_unit("KHA-STP", "Sở Tư pháp", UnitType.SO_BAN_NGANH, u["kh"])
    u["huyen"] = make_unit("KHA-H-CL", "UBND huyện Cam Lâm", UnitType.UBND_HUYEN, u["kh"])
    u["xa_old"] = make_unit("KHA-X-CHB", "UBND xã Cam Hải Đông", UnitType.UBND_XA, u["huyen"])
    u["nt"] = make_unit("NTH", "UBND tỉnh Ninh Thuận", UnitType.UBND_TINH)
    u["nt_snv"] = make_unit("NTH-SNV", "Sở Nội vụ Ninh Thuận", UnitType.SO_BAN_NGANH, u["nt"])

    s = p.staff
    s["head_syt"] = make_staff(u["syt"], "Trần", "Thị", "Bích", position="Giám đốc", is_leader=True)
    s["nurse"] = make_staff(u["bv"], "Lê", "Văn", "Đức", category="vien_chuc")
    s["syt_cc"] = make_staff(u["syt"], "Nguyễn", "Văn", "An")
    s["head_stp"] = make_staff(
        u["stp"], "Phạm", "Minh", "Châu", position="Giám đốc", is_leader=True
    )
    s["stp_cc"] = make_staff(u["stp"], "Võ", "Thị", "Ánh")
    s["snv_cc"] = make_staff(u["snv"], "Đặng", "Quốc", "Bảo")
    s["xa_cc"] = make_staff(u["xa_old"], "Huỳnh", "Văn", "Em", category="can_bo")
    s["nt_cc"] = make_staff(u["nt_snv"], "Bùi", "Thị", "Giang")

    # 01/07/2025: Ninh Thuận merges into Khánh Hòa; districts are abolished.
    services.units_merge(
        actor=SYSTEM,
        predecessors=[u["kh"], u["nt"]],
        into=u["kh"],
        day=MERGER,
        basis="Nghị quyết 202/2025/QH15",
    )
    services.units_merge(
        actor=SYSTEM,
        predecessors=[u["snv"], u["nt_snv"]],
        into=u["snv"],
        day=MERGER,
        basis="Sáp nhập Sở Nội vụ",
    )
    services.units_merge(
        actor=SYSTEM,
        predecessors=[u["xa_old"]],
        day=MERGER,
        basis="NQ của UBTVQH",
        new=UnitSpec(
            code="KHA-X-CL", name="UBND xã Cam Lâm", unit_type=UnitType.UBND_XA, parent=u["kh"]
        ),
    )
    u["xa_new"] = Unit.objects.get(code="KHA-X-CL")
    services.unit_dissolve(
        actor=SYSTEM, unit=u["huyen"], day=MERGER, successors=[u["xa_new"]], basis="Bỏ cấp huyện"
    )
    for key in list(u):
        u[key].refresh_from_db()
    for key in list(s):
        s[key].refresh_from_db()

    users = p.users
    users["admin"] = make_user("quantri")
    users["snv"] = make_user("sonoivu", s["snv_cc"])
    users["head_syt"] = make_user("gd_syt", s["head_syt"])
    users["head_stp"] = make_user("gd_stp", s["head_stp"])
    users["staff"] = make_user("cb_syt", s["syt_cc"])
    users["leader"] = make_user("lanhdao")
    users["mttq"] = make_user("mttq")
    users["council"] = make_user("hoidong")
    users["inspector"] = make_user("kiemtra")
    users["outsider"] = make_user("nguoingoai")
    grant = [
        ("admin", "admin", None, False),
        ("snv", "so_noi_vu", u["kh"], True),
        ("head_syt", "unit_head", u["syt"], True),
        ("head_stp", "unit_head", u["stp"], True),
        ("staff", "staff", u["syt"], False),
        ("leader", "leader", u["kh"], True),
        ("mttq", "mttq", u["kh"], True),
        ("council", "council", u["syt"], True),
        ("inspector", "inspector", u["stp"], True),
    ]
    for user_key, role, unit, subtree in grant:
        role_assign(
            actor=SYSTEM,
            user=users[user_key],
            role=role,
            unit=unit,
            include_subtree=subtree,
            valid_from=date(2024, 1, 1),
        )
    return p


def export_via_job(client, url: str, data: dict | None = None):
    """POST an export form as a page does, run its background job (queued after commit: the
    test's transaction never commits, so the callbacks run here), and return the response to
    the POST and, when a job page was reached, the downloaded file's bytes."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    if response.status_code != 302 or "/tep-xuat/" not in response["Location"]:
        return response, None
    page = client.get(response["Location"])
    assert page.status_code == 200, page.status_code
    download = client.get(response["Location"] + "tai-ve/")
    if download.status_code != 200:
        return response, None
    return response, b"".join(download.streaming_content)
