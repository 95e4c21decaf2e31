"""Current weather from OpenWeatherMap."""

import os

import requests
from mcp.server.fastmcp import FastMCP

API_KEY = os.environ["OPENWEATHER_API_KEY"]
mcp = FastMCP("weather-api")


@mcp.tool()
def current_weather(city: str) -> dict:
    """Get the current weather for a city from the OpenWeatherMap API."""
    data = requests.get(
        "https://api.openweathermap.org/data/2.5/weather",
        params={"q": city, "appid": API_KEY, "units": "metric"},
        timeout=10,
    ).json()
    return {"city": data["name"], "temp_c": data["main"]["temp"], "conditions": data["weather"][0]["description"]}


if __name__ == "__main__":
    mcp.run()
