"""The demo's internal rules: Sở Y tế's nội quy, typed by its head, with the suggested
mappings accepted but for a wrong one, so ``gd_soyte``, ``kiemtra`` and ``sonoivu`` see the
four required contents it still lacks (seed 003 item 1); loaded once, through the services."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from congvu.accounts.models import User as UserModel
from congvu.standards import selectors, services
from congvu.standards.models import UnitRules

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.organisations.models import Unit

SO_Y_TE_RULES = """NỘI QUY CƠ QUAN SỞ Y TẾ
Chương I. Quy định chung
Điều 1. Thời gian làm việc: sáng từ 7 giờ đến 11 giờ 30, chiều từ 13 giờ 30 đến 17 giờ; sử dụng hiệu quả thời gian làm việc, không làm việc riêng trong giờ làm việc.
Điều 2. Trang phục gọn gàng, lịch sự; đi giày hoặc dép có quai hậu; mặc lễ phục trong các buổi lễ, cuộc họp trọng thể.
Điều 3. Cán bộ, công chức, viên chức phải đeo thẻ khi thực hiện nhiệm vụ.
Điều 4. Giao tiếp với người dân hòa nhã, lắng nghe, hướng dẫn tận tình; nghe điện thoại xưng tên và cơ quan.
Chương II. Những việc không được làm
Điều 5. Nghiêm cấm hút thuốc lá trong phòng làm việc, phòng họp; không uống rượu, bia trong giờ làm việc và giờ nghỉ trưa.
Điều 6. Khách đến làm việc để xe tại nhà xe của cơ quan."""
WRONG = ("Điều 5", "qd1847.tinh-than-thai-do")
"""Suggested by "giờ làm việc" in the ban on alcohol: the head unticks it."""


def demo_unit_rules(*, actor: User, units: dict[str, Unit]) -> None:
    unit = units.get("KHA-SYT")
    if unit is None or UnitRules.objects.filter(unit=unit).exists():
        return
    head = UserModel.objects.filter(username="gd_soyte").first() or actor
    rules = services.rules_create(
        actor=head,
        unit=unit,
        title="Nội quy cơ quan Sở Y tế",
        adopted_on=date(2025, 7, 15),
        text=SO_Y_TE_RULES,
    )
    items = selectors.rules_items(rules)
    numbers = {item.pk: item.number for item in items}
    pairs = [
        (s.item, s.code)
        for s in selectors.rules_suggestions(items)
        if (numbers[s.item], s.code) != WRONG
    ]
    services.item_map(actor=head, rules=rules, pairs=pairs)
