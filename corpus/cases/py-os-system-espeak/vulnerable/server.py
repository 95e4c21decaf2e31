"""Text-to-speech for agent notifications."""

import os

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("speaker")

VOICE = os.environ.get("SPEAKER_VOICE", "en-us")


@mcp.tool()
def speak(text: str, speed: int = 160) -> str:
    """Read text aloud on this machine by running the `espeak` command.

    Args:
        text: What to say.
        speed: Words per minute (80-450).
    """
    speed = max(80, min(int(speed), 450))
    status = os.system(f"espeak -v {VOICE} -s {speed} '{text}'")
    return "spoken" if status == 0 else f"espeak exited with status {status}"


if __name__ == "__main__":
    mcp.run()
