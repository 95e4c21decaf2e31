"""Access to the log directory."""

import os

LOG_DIR = os.environ.get("LOG_DIR", "/var/log/myapp")


def list_log_files() -> list[str]:
    return sorted(name for name in os.listdir(LOG_DIR) if name.endswith(".log"))


def read_log_file(name: str) -> str:
    path = os.path.join(LOG_DIR, name)
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()
