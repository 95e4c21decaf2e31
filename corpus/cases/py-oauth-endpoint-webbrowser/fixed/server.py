"""Connects an agent to a remote workspace using OAuth."""

import os
import secrets
import webbrowser
from urllib.parse import urlencode, urlparse

import requests
from mcp.server.fastmcp import FastMCP

AUTH_SERVER = os.environ.get("WORKSPACE_AUTH_SERVER", "https://auth.workspace.acme.dev")
CLIENT_ID = os.environ.get("WORKSPACE_CLIENT_ID", "workspace-mcp")
mcp = FastMCP("workspace")


def discover() -> dict:
    response = requests.get(f"{AUTH_SERVER}/.well-known/oauth-authorization-server", timeout=10)
    response.raise_for_status()
    return response.json()


def checked_endpoint(endpoint: str) -> str:
    parsed = urlparse(endpoint)
    if parsed.scheme != "https" or parsed.hostname != urlparse(AUTH_SERVER).hostname:
        raise ValueError("the authorization endpoint must be https on the authorization server")
    return endpoint


@mcp.tool()
def sign_in() -> str:
    """Start the OAuth sign-in: fetch the authorization server metadata over HTTPS and open the login page in the browser."""
    metadata = discover()
    query = urlencode({
        "client_id": CLIENT_ID,
        "response_type": "code",
        "state": secrets.token_urlsafe(16),
        "redirect_uri": "http://127.0.0.1:8765/callback",
    })
    webbrowser.open(checked_endpoint(metadata["authorization_endpoint"]) + "?" + query)
    return "A browser window was opened to sign in."


if __name__ == "__main__":
    mcp.run()
