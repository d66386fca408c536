"""``congvu eligibility --json FILE``: docs/eligibility.md."""

from congvu.core.json_command import JsonContractCommand
from congvu.emulation import cli


class Command(JsonContractCommand):
    help = (
        "Xét điều kiện một danh hiệu thi đua hoặc hình thức khen thưởng theo quá trình thành "
        "tích (tệp JSON); lược đồ trong docs/eligibility.md."
    )
    contract = staticmethod(cli.eligibility_text)
