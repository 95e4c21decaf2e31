"""Rust toolchain helpers."""

import shutil
import subprocess

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("rust-tools")


@mcp.tool()
def install_toolchain(toolchain: str = "stable") -> str:
    """Install a Rust toolchain by running the locally installed `rustup` command."""
    if not shutil.which("rustup"):
        return "rustup is not installed; see https://rustup.rs for instructions"
    subprocess.run(["rustup", "toolchain", "install", "--", toolchain], check=True)
    return f"installed {toolchain}"


if __name__ == "__main__":
    mcp.run()
