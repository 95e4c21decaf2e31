"""Classifies user utterances with a small ONNX model."""

from pathlib import Path

import numpy as np
import onnxruntime
from mcp.server.fastmcp import FastMCP

MODEL = Path(__file__).with_name("intent.onnx")
LABELS = ["question", "command", "complaint", "smalltalk"]
mcp = FastMCP("intent")


@mcp.tool()
def classify_intent(text: str) -> str:
    """Classify the intent of a user utterance with the bundled model."""
    session = onnxruntime.InferenceSession(str(MODEL))
    scores = session.run(None, {"text": np.array([text])})[0][0]
    return LABELS[int(np.argmax(scores))]


def main() -> None:
    mcp.run()
