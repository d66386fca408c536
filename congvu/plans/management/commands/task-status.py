"""``congvu task-status --json FILE``: docs/task-status.md."""

from congvu.core.json_command import JsonContractCommand
from congvu.plans import cli


class Command(JsonContractCommand):
    help = (
        "Trạng thái của các nhiệm vụ trong kế hoạch vào một ngày, suy ra từ thời hạn và tiến độ "
        "(tệp JSON); lược đồ trong docs/task-status.md."
    )
    contract = staticmethod(cli.task_status_text)
