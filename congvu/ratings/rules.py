"""Pure rules of citizen ratings (no database): the conduct items, input checks, abuse
decisions and the satisfaction index. docs/feedback.md states the same formulas in words.

Sources: the communication standard "4 xin, 4 luôn, 3 không" (seed 001 §II.2.a, seed 004
§III.1; docs/legal/feedback.md#f-1); the SIPAS convention (docs/legal/feedback.md#f-2: share
of answers at levels 4–5; a factor index averages its questions; the overall index averages
the factors — QĐ 1001/QĐ-BNV, exact weights [U]); QUALITY.md S4 for the abuse budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from congvu.core.text import clean_text as clean_text  # re-exported: services.review

# --- The conduct items ("4 xin, 4 luôn, 3 không") -------------------------------------


@dataclass(frozen=True)
class ConductItem:
    code: str
    label: str  # the behaviour asked about, phrased so that "Đúng" is the good answer
    group: str


GROUPS = (
    ("4_xin", "4 xin"),
    ("4_luon", "4 luôn"),
    ("3_khong", "3 không"),
)
CONDUCT_ITEMS: tuple[ConductItem, ...] = (
    ConductItem("chao", "Xin chào khi tiếp đón", "4_xin"),
    ConductItem("xin_loi", "Xin lỗi khi để bạn chờ hoặc có sai sót", "4_xin"),
    ConductItem("cam_on", "Xin cảm ơn", "4_xin"),
    ConductItem("xin_phep", "Xin phép khi cần", "4_xin"),
    ConductItem("mim_cuoi", "Luôn mỉm cười", "4_luon"),
    ConductItem("nhe_nhang", "Luôn nhẹ nhàng", "4_luon"),
    ConductItem("lang_nghe", "Luôn lắng nghe", "4_luon"),
    ConductItem("giup_do", "Luôn giúp đỡ", "4_luon"),
    ConductItem("khong_hach_dich", "Không hách dịch, cửa quyền", "3_khong"),
    ConductItem("khong_nhung_nhieu", "Không nhũng nhiễu, gây phiền hà", "3_khong"),
    ConductItem("khong_cau_gat", "Không cáu gắt", "3_khong"),
)
CONDUCT_CODES = tuple(item.code for item in CONDUCT_ITEMS)
BIT = {code: 1 << i for i, code in enumerate(CONDUCT_CODES)}

SCORE_LABELS = {
    1: "Rất không hài lòng",
    2: "Không hài lòng",
    3: "Bình thường",
    4: "Hài lòng",
    5: "Rất hài lòng",
}
SATISFIED = frozenset({4, 5})  # SIPAS: "hài lòng" + "rất hài lòng"
REASON_REQUIRED_AT_OR_BELOW = 3
REASON_MAX = 1000
PHONE_MAX_INPUT = 30
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
DOSSIER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/]{2,39}")


def conduct_masks(answers: dict[str, bool]) -> tuple[int, int]:
    """(yes bits, no bits) of the answered items; unanswered items are in neither."""
    yes = no = 0
    for code, value in answers.items():
        if value:
            yes |= BIT[code]
        else:
            no |= BIT[code]
    return yes, no


def conduct_answers(yes: int, no: int) -> dict[str, bool]:
    """The inverse of ``conduct_masks``."""
    answers = {}
    for code, bit in BIT.items():
        if yes & bit:
            answers[code] = True
        elif no & bit:
            answers[code] = False
    return answers


# --- Input checks ------------------------------------------------------------------


def parse_score(value: object) -> int | None:
    """1–5 from a form or JSON value, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value or "").strip()
        if text not in ("1", "2", "3", "4", "5"):  # ASCII digits only: "٣".isdigit() too
            return None
        number = int(text)
    return number if 1 <= number <= 5 else None


_YES = {"1", "co", "có", "dung", "đúng", "true", "yes"}
_NO = {"0", "khong", "không", "sai", "false", "no"}


def parse_answer(value: object) -> bool | None | str:
    """True / False / None (not answered); the string "invalid" for anything else."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    return "invalid"


def normalise_phone(value: str) -> str | None:
    """A Vietnamese phone number in national form, or None if it is not one.

    Mobile: 0 + 3/5/7/8/9 + 8 digits (10 digits, after the 2018 renumbering); fixed
    lines: 02 + 9 digits (11 digits, area codes 2xx since 2017). "+84" and "84" become 0.
    Spaces, dots, dashes and brackets between digits are allowed.
    """
    text = re.sub(r"[\s.\-()]", "", value or "")
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    if re.fullmatch(r"0[35789]\d{8}", text) or re.fullmatch(r"02\d{9}", text):
        return text
    return None


MASK = "•"


def mask_phone(phone: str) -> str:
    """A stored phone number as shown to whoever sees a rating but does not call back: the
    first two and last three digits (``0912345678`` → ``09•••••678``), enough to tell two
    numbers apart, not to call. Anything shorter than 8 characters is masked whole."""
    if len(phone) < 8:
        return MASK * len(phone)
    return phone[:2] + MASK * (len(phone) - 5) + phone[-3:]


@dataclass(frozen=True)
class CleanRating:
    score: int
    answers: dict[str, bool]
    reason: str
    phone: str
    dossier: str


MSG_SCORE = "Vui lòng chọn mức độ hài lòng, từ 1 sao (rất không hài lòng) đến 5 sao (rất hài lòng)."
MSG_REASON_REQUIRED = (
    "Vui lòng cho biết lý do khi bạn chọn từ 3 sao trở xuống, để đơn vị biết cần sửa điều gì."
)
MSG_REASON_LONG = "Lý do quá dài: tối đa 1.000 ký tự."
MSG_ANSWER = "Câu trả lời về «{label}» không hợp lệ: chọn Đúng hoặc Không đúng."
MSG_PHONE = "Số điện thoại không đúng định dạng Việt Nam (ví dụ 0912 345 678 hoặc 0258 3822 123)."
MSG_DOSSIER = (
    "Mã hồ sơ không hợp lệ: 3–40 ký tự gồm chữ không dấu, số và các dấu . - _ / "
    "(in trên giấy biên nhận)."
)
MSG_UNKNOWN_FIELD = "Có câu hỏi không thuộc phiếu đánh giá."


def check_rating(
    *, score: object, answers: dict[str, object], reason: object, phone: object, dossier: object
) -> tuple[CleanRating | None, dict[str, list[str]]]:
    """Clean one rating's input; the errors are by field, in Vietnamese, for the citizen."""
    errors: dict[str, list[str]] = {}
    number = parse_score(score)
    if number is None:
        errors["score"] = [MSG_SCORE]
    clean_answers: dict[str, bool] = {}
    labels = {item.code: item.label for item in CONDUCT_ITEMS}
    for code, raw in answers.items():
        if code not in labels:
            errors.setdefault("conduct", []).append(MSG_UNKNOWN_FIELD)
            continue
        value = parse_answer(raw)
        if value == "invalid":
            errors.setdefault("conduct", []).append(MSG_ANSWER.format(label=labels[code]))
        elif value is not None:
            clean_answers[code] = bool(value)
    raw_reason = str(reason or "")
    text = clean_text(raw_reason[: REASON_MAX * 4])
    if len(raw_reason) > REASON_MAX * 4 or len(text) > REASON_MAX:
        errors["reason"] = [MSG_REASON_LONG]
    elif number is not None and number <= REASON_REQUIRED_AT_OR_BELOW and not text:
        errors["reason"] = [MSG_REASON_REQUIRED]
    raw_phone = str(phone or "")
    clean_phone = ""
    if raw_phone.strip():
        found = normalise_phone(raw_phone) if len(raw_phone) <= PHONE_MAX_INPUT else None
        if found is None:
            errors["phone"] = [MSG_PHONE]
        else:
            clean_phone = found
    raw_dossier = str(dossier or "").strip()
    if raw_dossier and not DOSSIER_RE.fullmatch(raw_dossier):
        errors["dossier"] = [MSG_DOSSIER]
    if errors:
        return None, errors
    assert number is not None
    return CleanRating(number, clean_answers, text, clean_phone, raw_dossier.upper()), {}


def valid_key(key: object) -> bool:
    """The form's or client's idempotency key: 16–64 URL-safe characters."""
    return isinstance(key, str) and KEY_RE.fullmatch(key) is not None


# --- Abuse: rate limits, duplicates, flags (QUALITY.md S4) ----------------------------


@dataclass(frozen=True)
class Recent:
    """Counts of ratings already stored (flagged ones included), from the database.

    A client is one network address (an IPv4 address or an IPv6 /64), whatever browser (user
    agent) it claims: a script can send a new User-Agent with every post, so the browser
    never makes a new client.
    """

    client_desk_30min: int = 0  # this client at this desk, last 30 minutes
    client_hour: int = 0  # this client, any desk, last hour
    client_day: int = 0  # this client, any desk, last 24 hours
    desk_minute: int = 0  # this desk, anyone, last minute
    identical_day: int = 0  # this client, this desk, the same answers, last 24 hours
    phone_desk_day: int = 0  # this phone number at this desk, last 24 hours


@dataclass(frozen=True)
class Limits:
    """Thresholds on the counts of ``Recent``: at ``flag_*`` a new rating is kept but
    flagged (excluded from indexes until reviewed); at ``refuse_*`` it is not stored."""

    refuse_client_hour: int = 20
    refuse_desk_minute: int = 60
    flag_client_desk_30min: int = 1
    flag_client_day: int = 5
    flag_desk_minute: int = 10
    flag_identical_day: int = 1
    flag_phone_desk_day: int = 1


LIMITS = Limits()

FLAGS = {
    "lap_lai": "Cùng địa chỉ mạng đánh giá lại cùng quầy trong 30 phút",
    "nhieu_trong_ngay": "Cùng địa chỉ mạng gửi nhiều đánh giá trong 24 giờ",
    "mang_dong": "Nhiều đánh giá từ cùng một địa chỉ mạng",  # no longer raised; older ratings
    "dot_bien_quay": "Số đánh giá tại quầy tăng đột biến trong một phút",
    "trung_noi_dung": "Trùng nội dung với đánh giá khác từ cùng địa chỉ mạng trong 24 giờ",
    "trung_so_dt": "Cùng số điện thoại đánh giá lại cùng quầy trong 24 giờ",
}
MSG_TOO_MANY = (
    "Hệ thống đang nhận quá nhiều đánh giá từ thiết bị hoặc mạng của bạn. "
    "Vui lòng thử lại sau ít phút."
)


@dataclass(frozen=True)
class Decision:
    refusal: str | None = None  # a message for the citizen: nothing is stored
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def stored(self) -> bool:
        return self.refusal is None


def abuse_decision(recent: Recent, limits: Limits = LIMITS) -> Decision:
    """Refuse, flag or accept one new public rating, from what was stored before it.

    Budget (S4): one client, i.e. one address or IPv6 /64 whatever its browsers, adds at most
    ``flag_client_day`` counted ratings per 24 hours (one per desk per 30 minutes); anything
    beyond is flagged for review or, past the ``refuse_*`` thresholds, not stored.
    """
    if (
        recent.client_hour >= limits.refuse_client_hour
        or recent.desk_minute >= limits.refuse_desk_minute
    ):
        return Decision(refusal=MSG_TOO_MANY)
    flags = []
    if recent.client_desk_30min >= limits.flag_client_desk_30min:
        flags.append("lap_lai")
    if recent.client_day >= limits.flag_client_day:
        flags.append("nhieu_trong_ngay")
    if recent.desk_minute >= limits.flag_desk_minute:
        flags.append("dot_bien_quay")
    if recent.identical_day >= limits.flag_identical_day:
        flags.append("trung_noi_dung")
    if recent.phone_desk_day >= limits.flag_phone_desk_day:
        flags.append("trung_so_dt")
    return Decision(flags=tuple(flags))


def limits_from(overrides: dict[str, int] | None) -> Limits:
    """``Limits`` with the values of settings.RATINGS_LIMITS (unknown names refused)."""
    if not overrides:
        return LIMITS
    known = set(Limits.__dataclass_fields__)
    unknown = set(overrides) - known
    if unknown:  # the network_* limits of old are the client_* ones: a client is an address
        raise ValueError(f"RATINGS_LIMITS: unknown limits {sorted(unknown)}, known {sorted(known)}")
    return Limits(**{**LIMITS.__dict__, **overrides})


# --- Tallies and the satisfaction index ------------------------------------------------

_ZERO_ITEMS = (0,) * len(CONDUCT_ITEMS)


@dataclass(frozen=True)
class Tally:
    """Sums over a set of counted ratings; tallies add up (day → month → year, unit → tree)."""

    n: int = 0
    score_sum: int = 0
    stars: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # how many 1★ … 5★
    yes: tuple[int, ...] = _ZERO_ITEMS  # per conduct item, answered "Đúng"
    no: tuple[int, ...] = _ZERO_ITEMS  # per conduct item, answered "Không đúng"

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.n + other.n,
            self.score_sum + other.score_sum,
            tuple(a + b for a, b in zip(self.stars, other.stars, strict=True)),  # type: ignore[arg-type]
            tuple(a + b for a, b in zip(self.yes, other.yes, strict=True)),
            tuple(a + b for a, b in zip(self.no, other.no, strict=True)),
        )

    @classmethod
    def of(cls, score: int, yes_mask: int = 0, no_mask: int = 0) -> Tally:
        """The tally of one rating."""
        stars = [0] * 5
        stars[score - 1] = 1
        return cls(
            1,
            score,
            tuple(stars),  # type: ignore[arg-type]
            tuple(1 if yes_mask & BIT[c] else 0 for c in CONDUCT_CODES),
            tuple(1 if no_mask & BIT[c] else 0 for c in CONDUCT_CODES),
        )


def tally_sum(tallies: Iterable[Tally]) -> Tally:
    """The sum of many tallies, column by column (one pass per column, not one per tally)."""
    found = list(tallies)
    if not found:
        return Tally()
    return Tally(
        sum(t.n for t in found),
        sum(t.score_sum for t in found),
        tuple(map(sum, zip(*(t.stars for t in found), strict=True))),  # type: ignore[arg-type]
        tuple(map(sum, zip(*(t.yes for t in found), strict=True))),
        tuple(map(sum, zip(*(t.no for t in found), strict=True))),
    )


def _pct(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


@dataclass(frozen=True)
class SatisfactionIndex:
    count: int
    mean: Decimal | None  # mean stars, 2 decimals
    satisfied: Decimal | None  # % of ratings at 4–5 stars, 1 decimal
    items: dict[str, Decimal | None]  # % "Đúng" among the answers to each conduct item
    groups: dict[str, Decimal | None]  # mean of the item rates of the group
    conduct: Decimal | None  # mean of the group rates

    @property
    def empty(self) -> bool:
        return self.count == 0


def satisfaction_index(tally: Tally) -> SatisfactionIndex:
    """The satisfaction index of a set of counted ratings (docs/feedback.md).

    - count = number of counted ratings; mean = sum of stars / count;
    - satisfied = ratings at 4 or 5 stars / count × 100 (SIPAS convention,
      docs/legal/feedback.md#f-2);
    - item rate = "Đúng" / ("Đúng" + "Không đúng") × 100 over the ratings that answered it;
    - group rate = mean of its item rates; conduct = mean of the group rates.
    Exact fractions inside; rounded half up only at the end.
    """
    item_rates: dict[str, Fraction | None] = {}
    for i, code in enumerate(CONDUCT_CODES):
        answered = tally.yes[i] + tally.no[i]
        item_rates[code] = Fraction(tally.yes[i], answered) if answered else None
    group_rates: dict[str, Fraction | None] = {}
    for group, _label in GROUPS:
        rates = [
            rate
            for item in CONDUCT_ITEMS
            if item.group == group and (rate := item_rates[item.code]) is not None
        ]
        group_rates[group] = _mean(rates)
    conduct = _mean([rate for rate in group_rates.values() if rate is not None])
    if tally.n == 0:
        mean = satisfied = None
    else:
        mean = (Decimal(tally.score_sum) / tally.n).quantize(Decimal("0.01"), ROUND_HALF_UP)
        satisfied = _pct(Fraction(tally.stars[3] + tally.stars[4], tally.n))
    return SatisfactionIndex(
        count=tally.n,
        mean=mean,
        satisfied=satisfied,
        items={code: _pct(rate) for code, rate in item_rates.items()},
        groups={group: _pct(rate) for group, rate in group_rates.items()},
        conduct=_pct(conduct),
    )


def trend(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The change from the previous period, in points (percentage points for rates)."""
    if current is None or previous is None:
        return None
    return current - previous


PUBLIC_MIN_COUNT = 5
"""The public statistics page shows a unit's figures only from this many counted ratings:
one or two ratings are not a unit's satisfaction."""


def abuse_budget(existing: int, budget: int) -> Fraction:
    """The largest share of a unit's counted ratings that ``budget`` counted ratings from one
    client can make: budget / (existing + budget). The mean moves by at most 4 × that
    share (stars go from 1 to 5), the satisfied rate by at most 100 × that share points."""
    return Fraction(budget, existing + budget)


# --- Periods -----------------------------------------------------------------------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """A year, a quarter or a month: [start, end)."""

    kind: str  # "year" | "quarter" | "month"
    year: int
    number: int = 0  # quarter 1–4 or month 1–12

    @property
    def start(self) -> date:
        if self.kind == "year":
            return date(self.year, 1, 1)
        month = self.number if self.kind == "month" else 3 * self.number - 2
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        if self.kind == "year":
            return date(self.year + 1, 1, 1)
        months = 1 if self.kind == "month" else 3
        month = self.start.month + months
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1)
        last = 12 if self.kind == "month" else 4
        if self.number == 1:
            return Period(self.kind, self.year - 1, last)
        return Period(self.kind, self.year, self.number - 1)

    @property
    def slug(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"Năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.number]}/{self.year}"
        return f"Tháng {self.number:02d}/{self.year}"

    def months(self) -> list[date]:
        """The first day of each month in the period."""
        found, day = [], self.start
        while day < self.end:
            found.append(day)
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return found


def parse_period(text: str | None, today: date) -> Period | None:
    """ "2026", "2026-q3" or "2026-11"; empty means the current year; None if invalid."""
    text = (text or "").strip().lower()
    if not text:
        return Period("year", today.year)
    if match := re.fullmatch(r"(\d{4})", text):
        period = Period("year", int(match[1]))
    elif match := re.fullmatch(r"(\d{4})-q([1-4])", text):
        period = Period("quarter", int(match[1]), int(match[2]))
    elif match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if not 1 <= int(match[2]) <= 12:
            return None
        period = Period("month", int(match[1]), int(match[2]))
    else:
        return None
    return period if 2000 <= period.year <= today.year + 1 else None


def period_choices(today: date, years: int = 2) -> list[Period]:
    """Years, then quarters, then months, newest first, for the period picker."""
    choices: list[Period] = []
    for year in range(today.year, today.year - years, -1):
        choices.append(Period("year", year))
        last_quarter = (today.month - 1) // 3 + 1 if year == today.year else 4
        choices += [Period("quarter", year, q) for q in range(last_quarter, 0, -1)]
        last_month = today.month if year == today.year else 12
        choices += [Period("month", year, m) for m in range(last_month, 0, -1)]
    return choices


def month_start(day: date) -> date:
    return day.replace(day=1)
