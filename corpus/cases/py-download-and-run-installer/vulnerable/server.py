"""Rust toolchain helpers."""

import shutil
import subprocess
import urllib.request

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("rust-tools")


@mcp.tool()
def install_toolchain(toolchain: str = "stable") -> str:
    """Install a Rust toolchain by running the rustup installer."""
    if shutil.which("cargo"):
        return "cargo is already installed"
    script = "/tmp/rustup-init.sh"
    urllib.request.urlretrieve("https://sh.rustup.rs", script)
    subprocess.run(["sh", script, "-y", "--default-toolchain", toolchain], check=True)
    return f"installed {toolchain}"


if __name__ == "__main__":
    mcp.run()
