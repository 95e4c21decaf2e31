"""Access to the log directory."""

import os
from pathlib import Path

LOG_DIR = os.environ.get("LOG_DIR", "/var/log/myapp")
LOG_ROOT = Path(LOG_DIR).resolve()


def list_log_files() -> list[str]:
    return sorted(name for name in os.listdir(LOG_DIR) if name.endswith(".log"))


def read_log_file(name: str) -> str:
    path = (LOG_ROOT / name).resolve()
    if not path.is_relative_to(LOG_ROOT):
        raise ValueError("log files live in the log directory")
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()
