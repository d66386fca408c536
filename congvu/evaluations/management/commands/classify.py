from congvu.core.json_command import JsonContractCommand
from congvu.evaluations import cli


class Command(JsonContractCommand):
    help = (
        "Xếp loại chất lượng theo quy tắc của từng chế độ (nd90, nd335, nd233) từ tệp JSON; "
        "lược đồ trong docs/classify.md."
    )
    contract = staticmethod(cli.classify_text)
