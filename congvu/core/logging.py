"""Structured log records in UTC (QUALITY.md S10), without secrets."""

import json
import logging
from datetime import UTC, datetime

_REDACT = {"password", "token", "secret", "authorization", "cccd", "id_number"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        extra = getattr(record, "data", None)
        if isinstance(extra, dict):
            payload.update(
                {k: ("[redacted]" if k.lower() in _REDACT else v) for k, v in extra.items()}
            )
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def log_event(event: str, **data: object) -> None:
    logging.getLogger("congvu.audit").info(event, extra={"data": data})
