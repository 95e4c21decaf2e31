"""Thin wrapper around the pandoc command line."""

import subprocess


def convert_document(source: str, target_format: str) -> str:
    command = f"pandoc {source} --to {target_format}"
    return run_command(command)


def run_command(command: str) -> str:
    completed = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr)
    return completed.stdout
