"""``congvu discipline-check --json FILE``: docs/discipline-check.md."""

from congvu.core.json_command import JsonContractCommand
from congvu.discipline import cli


class Command(JsonContractCommand):
    help = (
        "Thời hiệu, thời hạn xử lý, hình thức hợp lệ và hệ quả của một vụ việc kỷ luật "
        "(tệp JSON); lược đồ trong docs/discipline-check.md."
    )
    contract = staticmethod(cli.check_text)
