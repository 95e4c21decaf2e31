"""Scratch state that an agent can save and restore between sessions."""

import base64
import json

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("scratchpad")
STATE: dict[str, str] = {}


@mcp.tool()
def set_value(key: str, value: str) -> str:
    """Store a value in the scratch state."""
    STATE[key] = value
    return f"{len(STATE)} keys"


@mcp.tool()
def export_state() -> str:
    """Export the scratch state as a portable string."""
    return base64.b64encode(json.dumps(STATE).encode()).decode()


@mcp.tool()
def import_state(blob: str) -> str:
    """Restore scratch state produced by export_state."""
    restored = json.loads(base64.b64decode(blob))
    if not isinstance(restored, dict) or not all(isinstance(v, str) for v in restored.values()):
        raise ValueError("state must be an object of strings")
    STATE.clear()
    STATE.update(restored)
    return f"restored {len(STATE)} keys"


if __name__ == "__main__":
    mcp.run()
