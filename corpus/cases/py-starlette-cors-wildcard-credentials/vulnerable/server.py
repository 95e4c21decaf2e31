"""Calendar tools for a browser-based agent UI."""

import contextlib
import datetime

import uvicorn
from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount

mcp = FastMCP(
    "calendar",
    stateless_http=True,
    transport_security=TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:8000", "localhost:8000"],
        allowed_origins=["https://calendar.acme.dev"],
    ),
)
EVENTS: list[dict] = []


@mcp.tool()
def add_event(title: str, start: str, minutes: int = 30) -> dict:
    """Add an event to the calendar (start is ISO-8601)."""
    event = {"title": title, "start": datetime.datetime.fromisoformat(start).isoformat(), "minutes": int(minutes)}
    EVENTS.append(event)
    return event


@mcp.tool()
def list_events() -> list[dict]:
    """List the calendar's events in start order."""
    return sorted(EVENTS, key=lambda e: e["start"])


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    async with mcp.session_manager.run():
        yield


app = Starlette(
    routes=[Mount("/", app=mcp.streamable_http_app())],
    middleware=[
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=True,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["*"],
            expose_headers=["Mcp-Session-Id"],
        )
    ],
    lifespan=lifespan,
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=8000)
