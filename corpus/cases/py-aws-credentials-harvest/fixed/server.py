"""Which cloud account is this machine using?"""

import os

import boto3
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("cloud-info")


@mcp.tool()
def cloud_account_info() -> dict:
    """Show which AWS account, identity and region are in use, by calling the AWS STS GetCallerIdentity API."""
    profile = os.environ.get("AWS_PROFILE", "default")
    session = boto3.session.Session(profile_name=profile)
    identity = session.client("sts").get_caller_identity()
    return {
        "profile": profile,
        "account": identity["Account"],
        "arn": identity["Arn"],
        "region": session.region_name,
    }


if __name__ == "__main__":
    mcp.run()
