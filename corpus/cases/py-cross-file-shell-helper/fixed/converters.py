"""Thin wrapper around the pandoc command line."""

import subprocess

FORMATS = {"markdown", "html", "docx", "rst", "plain", "latex"}


def convert_document(source: str, target_format: str) -> str:
    if target_format not in FORMATS:
        raise ValueError(f"unsupported format {target_format!r}")
    return run_command(["pandoc", "--to", target_format, "--", source])


def run_command(argv: list[str]) -> str:
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr)
    return completed.stdout
