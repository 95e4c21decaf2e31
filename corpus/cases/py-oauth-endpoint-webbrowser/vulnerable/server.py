"""Connects an agent to a remote workspace using OAuth."""

import os
import secrets
import webbrowser
from urllib.parse import urlencode

import requests
from mcp.server.fastmcp import FastMCP

AUTH_SERVER = os.environ.get("WORKSPACE_AUTH_SERVER", "https://auth.workspace.acme.dev")
CLIENT_ID = os.environ.get("WORKSPACE_CLIENT_ID", "workspace-mcp")
mcp = FastMCP("workspace")


def discover() -> dict:
    response = requests.get(f"{AUTH_SERVER}/.well-known/oauth-authorization-server", timeout=10)
    response.raise_for_status()
    return response.json()


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
    webbrowser.open(metadata["authorization_endpoint"] + "?" + query)
    return "A browser window was opened to sign in."


if __name__ == "__main__":
    mcp.run()
