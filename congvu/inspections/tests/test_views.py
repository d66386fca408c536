"""The inspections' pages: the JSON answer endpoint sent twice, the plain form post, the
unannounced inspection as a 404 for the inspected unit, and the biên bản opened with
python-docx."""

import io

import pytest
from django.test import Client
from docx import Document

from congvu.inspections import rules, services
from congvu.inspections.models import Answer
from congvu.inspections.tests.factories import KEY, inspection_of_syt

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def started(province):
    inspection = inspection_of_syt(province, kind=rules.UNANNOUNCED)
    services.team_set(
        actor=province.users["snv"],
        inspection=inspection,
        lead=province.users["snv"],
        members=[province.users["head_stp"]],
    )
    return inspection


def test_the_inspected_unit_gets_404_until_the_unannounced_inspection_starts(province, started):
    head = _client(province.users["head_syt"])
    url = f"/kiem-tra/{started.pk}/"
    assert head.get(url).status_code == 404
    assert "Kiểm tra văn hóa công sở tại Sở Y tế" not in head.get("/kiem-tra/").content.decode()
    services.inspection_start(actor=province.users["snv"], inspection=started)
    assert head.get(url).status_code == 200
    assert head.get(f"/kiem-tra/{started.pk}/phieu/").status_code == 404  # not on the team


def test_an_answer_posted_twice_by_the_script_is_stored_once(province, started):
    services.inspection_start(actor=province.users["snv"], inspection=started)
    item = started.items.get(code="B1")
    member = _client(province.users["head_stp"])
    page = member.get(f"/kiem-tra/{started.pk}/phieu/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'accept="image/*" capture="environment"' in html and "congvu/inspections.js" in html
    data = {
        "key": KEY,
        "result": rules.NOT_COMPLIANT,
        "note": "Không đeo thẻ",
        "staff": province.staff["syt_cc"].pk,
    }
    url = f"/kiem-tra/{started.pk}/muc/{item.pk}/"
    first = member.post(url, data, HTTP_ACCEPT="application/json")
    second = member.post(url, data, HTTP_ACCEPT="application/json")
    assert first.json()["ok"] and first.json()["stored"] is True
    assert second.json() == {"ok": True, "stored": False, "answer": first.json()["answer"]}
    assert Answer.objects.filter(item=item).count() == 1
    refused = member.post(url, {**data, "note": "Khác"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "đã dùng" in refused.json()["error"]
    inspected = _client(province.users["head_syt"])
    other = {**data, "key": KEY[:-1] + "9"}
    assert inspected.post(url, other, HTTP_ACCEPT="application/json").status_code == 403
    plain = member.post(url, {**data, "key": KEY[:-1] + "8", "result": rules.COMPLIANT})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#muc-{item.pk}")
    assert Answer.objects.get(item=item, current=True).result == rules.COMPLIANT


def test_the_bien_ban_is_an_nd30_word_file_with_the_findings(province, started):
    lead = province.users["snv"]
    services.inspection_start(actor=lead, inspection=started)
    for n, item in enumerate(started.items.all()):
        bad = item.code == "B1"
        services.answer_record(
            actor=lead,
            key=f"{KEY[:-2]}{n:02d}",
            item=item,
            result=rules.NOT_COMPLIANT if bad else rules.COMPLIANT,
            note="Không đeo thẻ khi tiếp dân" if bad else "",
            staff=province.staff["syt_cc"] if bad else None,
        )
    services.inspection_close(actor=lead, inspection=started, conclusion="Chấn chỉnh việc đeo thẻ.")
    response = _client(lead).get(f"/kiem-tra/{started.pk}/bien-ban.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0].rows[0].cells
    assert header[1].paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header[1].paragraphs[0].runs[0].bold
    assert header[1].paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert "15/QĐ-SNV" in header[0].text and "SỞ NỘI VỤ" in header[0].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BIÊN BẢN" in text and "Sở Y tế" in text
    assert "- B1. Đeo thẻ khi thực hiện nhiệm vụ: Không đeo thẻ khi tiếp dân" in text
    assert "Nguyễn Văn An" in text
    assert "Chấn chỉnh việc đeo thẻ." in text
    results = document.tables[1]
    assert [c.text for c in results.rows[0].cells] == [
        "Mã",
        "Nội dung kiểm tra",
        "Căn cứ",
        "Kết quả",
        "Ghi chú",
    ]
    assert [row.cells[3].text for row in results.rows[1:3]] == ["Không đạt", "Đạt"]
    signers = "\n".join(c.text for c in document.tables[-1].rows[0].cells)
    assert "TRƯỞNG ĐOÀN" in signers and "Nơi nhận:" in signers
