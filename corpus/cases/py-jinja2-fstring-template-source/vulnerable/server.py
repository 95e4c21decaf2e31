"""Drafts customer e-mails."""

from jinja2 import Environment, select_autoescape
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("welcome-mail")
env = Environment(autoescape=select_autoescape(default_for_string=True))


@mcp.tool()
def welcome_email(name: str, product: str) -> str:
    """Draft an HTML welcome e-mail for a new customer."""
    template = env.from_string(
        f"<p>Hello {name},</p><p>Welcome to {{{{ product }}}}! Reply to this e-mail if you need help.</p>"
    )
    return template.render(product=product)


if __name__ == "__main__":
    mcp.run()
