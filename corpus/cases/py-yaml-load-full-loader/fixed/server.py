"""Lints Kubernetes manifests for an agent."""

import yaml
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("k8s-lint")


@mcp.tool()
def lint_manifest(manifest: str) -> list[str]:
    """Check a Kubernetes Deployment manifest (YAML) for common mistakes."""
    doc = yaml.safe_load(manifest)
    problems = []
    containers = doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])
    for container in containers:
        name = container.get("name", "?")
        if ":" not in container.get("image", "") or container["image"].endswith(":latest"):
            problems.append(f"{name}: pin the image tag")
        if "resources" not in container:
            problems.append(f"{name}: set resource requests and limits")
    return problems or ["no problems found"]


if __name__ == "__main__":
    mcp.run()
