"""The inspector's checklist of Quy chế văn hóa công sở (QĐ 129/2007/QĐ-TTg) and the items of
QĐ 1847/QĐ-TTg that inspectors check on site, as data with stable codes (A1 … F4), as
../shared/LEGAL.md §3 lists them. Pure: no Django.

Each item keeps its basis and how sure that basis is (``C`` confirmed from a source, ``S``
from a seed document, ``U`` unconfirmed article number: the check stands, its article may
move when the official text is read); ``person_level`` items are about one official (the
inspector names who), the others about the office. The texts are Vietnamese data, like the
standards catalogues: they go into the biên bản as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "2026.12"
"""Built from LEGAL.md §3 as updated 2026-12-04 (item 8: no national 2025–2026 rule on kiểm
tra công vụ found; provinces run it themselves)."""

AREA_NAMES = {
    "A": "Trang phục",
    "B": "Thẻ cán bộ, công chức, viên chức",
    "C": "Giao tiếp, ứng xử",
    "D": "Những việc bị cấm tại công sở",
    "E": "Bài trí công sở",
    "F": "Chấp hành kỷ luật, kỷ cương",
}
FREE_AREA = "G"
"""Items the team lead types for one inspection."""


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    basis: str
    confidence: str
    person_level: bool
    source: str = ""

    @property
    def area(self) -> str:
        return self.code[0]


_DONG_NAI = (
    "https://hdnd.dongnai.gov.vn/Pages/glp-5de077a2-2371-476e-8679-6a99293b1a89-glptype-news-"
    "glpprint-23653-glpsite-1.html"
)
_CARD = (
    "http://118.69.201.249:801/lao-dong-tien-luong/the-can-bo-cong-chuc-phai-the-hien-duoc-"
    "nhung-thong-tin-gi-5915.html"
)
_AFP = "http://patrick.guenin2.free.fr/cantho/vnnews07/manners.htm"

ITEMS: tuple[Item, ...] = (
    Item("A1", "Trang phục gọn gàng, lịch sự khi thực hiện nhiệm vụ", "QĐ 129/2007 Điều 5; QĐ 1847 mục IV.4", "C", True),
    Item("A2", "Đi giày hoặc dép có quai hậu (không đi dép lê)", "QĐ 1847; TT 01/2021/TT-TTCP", "C", True),
    Item("A3", "Mặc trang phục ngành đối với ngành có quy định", "QĐ 1847", "C", True),
    Item("A4", "Mặc lễ phục trong buổi lễ, cuộc họp trọng thể, tiếp khách nước ngoài", "QĐ 129/2007 Điều 6", "U", True),
    Item("A5", "Không mặc quần bò, áo phông không cổ; váy dài quá gối, không xẻ cao (nơi có quy định riêng)", "QĐ 758/QĐ-BNV 2021", "C", True),
    Item("B1", "Đeo thẻ khi thực hiện nhiệm vụ", "QĐ 129/2007 Điều 7 khoản 1", "C", True, _CARD),
    Item("B2", "Thẻ có tên cơ quan, ảnh, họ và tên, chức danh, số hiệu", "QĐ 129/2007 Điều 7 khoản 2", "C", True, _CARD),
    Item("B3", "Thẻ đúng mẫu của Bộ Nội vụ, đeo trước ngực", "QĐ 129/2007 Điều 7 khoản 3; QĐ 06/2008/QĐ-BNV", "C", True),
    Item("C1", "Lịch sự, tôn trọng, ngôn ngữ rõ ràng; không nói tục, nói tiếng lóng, quát nạt", "QĐ 129/2007", "C", True, _AFP),
    Item("C2", "Với người dân: nhã nhặn, lắng nghe, hướng dẫn rõ ràng; không hách dịch, cửa quyền, gây khó khăn, phiền hà", "QĐ 129/2007 Điều 9; QĐ 1847", "C", True),
    Item("C3", "Với đồng nghiệp: trung thực, thân thiện, hợp tác", "QĐ 129/2007 Điều 10", "U", True),
    Item("C4", "Khi giao tiếp qua điện thoại: xưng tên, cơ quan; trao đổi ngắn gọn; không ngắt điện thoại đột ngột", "QĐ 129/2007 Điều 11", "C", True, _AFP),
    Item("D1", "Không hút thuốc lá trong phòng làm việc, phòng họp, hội trường", "QĐ 129/2007 (điều về những việc bị cấm); Chỉ thị 26/CT-TTg", "C", True, _DONG_NAI),
    Item("D2", "Không sử dụng đồ uống có cồn tại công sở, trừ khi được lãnh đạo cơ quan đồng ý vào dịp liên hoan, lễ tết, tiếp khách ngoại giao", "QĐ 129/2007 (điều về những việc bị cấm); Chỉ thị 26/CT-TTg", "C", True, _DONG_NAI),
    Item("D3", "Không quảng cáo thương mại tại công sở", "QĐ 129/2007 (điều về những việc bị cấm)", "C", False, _DONG_NAI),
    Item("D4", "Không lập bàn thờ, thắp hương, không đun nấu trong phòng làm việc", "QĐ 129/2007", "C", False, _AFP),
    Item("E1", "Quốc huy treo trang trọng phía trên cổng chính hoặc tòa nhà chính, kích thước phù hợp", "QĐ 129/2007 Điều 12", "U", False),
    Item("E2", "Quốc kỳ treo trang trọng trước công sở hoặc tòa nhà chính, đúng màu sắc, kích thước", "QĐ 129/2007 Điều 13", "U", False),
    Item("E3", "Biển tên cơ quan đặt tại cổng chính, ghi rõ tên đầy đủ bằng tiếng Việt và địa chỉ", "QĐ 129/2007 Điều 14", "U", False),
    Item("E4", "Phòng làm việc có biển tên ghi tên đơn vị, họ tên, chức danh người làm việc; sắp xếp gọn gàng, ngăn nắp", "QĐ 129/2007 Điều 15", "U", False),
    Item("E5", "Có chỗ để phương tiện cho cán bộ và người đến giao dịch; không thu phí gửi xe của người đến giao dịch, làm việc", "QĐ 129/2007 Điều 16", "C", False, _DONG_NAI),
    Item("E6", "Niêm yết công khai thủ tục hành chính tại trụ sở", "QĐ 1847 nhiệm vụ 10; QĐ 733", "S", False),
    Item("E7", "Cơ quan Đảng, đoàn thể treo cờ theo quy định riêng", "QĐ 733 (Sóc Trăng)", "S", False),
    Item("F1", "Chấp hành giờ làm việc; không làm việc riêng, không bỏ vị trí không có lý do", "TT 01/2021/TT-TTCP", "C", True),
    Item("F2", "Không uống rượu, bia trong giờ làm việc và giờ nghỉ trưa", "QĐ 1847; Chỉ thị 26/CT-TTg", "C", True),
    Item("F3", "Không đánh bạc, mê tín dị đoan; không tổ chức cưới, tang phô trương", "QĐ 1847", "C", True),
    Item("F4", "Chấp hành quy định về sử dụng mạng xã hội", "QĐ 1847", "C", True),
)  # fmt: skip

BY_CODE = {item.code: item for item in ITEMS}


def items_for_areas(areas: list[str] | tuple[str, ...]) -> list[Item]:
    """The catalogue's items of the chosen areas, in catalogue order; unknown areas ignored."""
    chosen = set(areas)
    return [item for item in ITEMS if item.area in chosen]
