//! `AS601` provider-api-token: a credential in a provider's own token format (GitHub,
//! AWS, Slack, Stripe, OpenAI, Anthropic, …), found by the [`providers`] table.

use assay_core::{Evidence, Example, Family, Finding, RuleMeta, Severity};

use super::candidate::{Candidate, Kind};
use super::providers;
use super::report;
use crate::registry::{FileContext, Rule};

/// The rule.
pub struct ProviderApiToken;

static META: RuleMeta = RuleMeta {
    id: "AS601",
    name: "provider-api-token",
    title: "Hard-coded provider API token",
    family: Family::Secrets,
    severity: Severity::High,
    cwe: &[798, 312],
    owasp_mcp: "MCP01:2025",
    cvss_vector: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
    summary: "Finds credentials in a provider's own token format — AWS access keys, GitHub, \
        GitLab, Slack, Stripe, OpenAI, Anthropic, Google, npm, PyPI, Hugging Face, Twilio, \
        SendGrid, DigitalOcean, Azure, Shopify, Discord, Telegram and about thirty more — \
        using a keyword prefilter, one regex per format, an entropy floor and a list of \
        known documentation values (`AKIAIOSFODNN7EXAMPLE`, `xxxx` and `<your-token>` \
        placeholders, alphabet sequences).",
    why: "Whoever installs or downloads the MCP server gets the token too: a published \
        package is public. An agent runs the server with the token's full authority, and \
        the owner's account (cloud resources, repositories, billing, messages) is open to \
        anyone who reads the package. Self-identifying formats leave little doubt that the \
        value is a live credential.",
    remediation: "Revoke and rotate the token at the provider now — removing it from the \
        code does not un-publish it. Read credentials from the environment or a secret \
        manager at run time (`process.env.X`, `os.environ[\"X\"]`), document the variable, \
        and add a secret scanner to CI.",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://owasp.org/www-project-mcp-top-10/",
        "https://github.com/gitleaks/gitleaks",
    ],
    examples: &[
        Example::flags(
            "src/index.ts",
            concat!(
                "import { Octokit } from \"@octokit/rest\";\nconst octokit = new Octokit({ auth: \"ghp",
                "_qR8ETjSnDHHNrpzQF6drgvVyKsbKbBNNBEP7\" });\n"
            ),
        ),
        Example::flags(
            ".env",
            concat!(
                "PORT=3000\nSLACK_BOT_TOKEN=xox",
                "b-562703780028-5621677532508-tRho2HzMlQWpZVKUj27XBCJb\n"
            ),
        ),
        Example::flags(
            "server.py",
            concat!(
                "import stripe\nstripe.api_key = \"sk_",
                "live_RcTvb3Qgus1ie4EoUYCpDEiD\"\n"
            ),
        ),
        Example::flags(
            "config/aws.json",
            concat!(
                "{\n  \"region\": \"eu-west-1\",\n  \"accessKeyId\": \"AKI",
                "AZJIAH5OQALSGKR2K\"\n}\n"
            ),
        ),
        Example::allows(
            "src/index.ts",
            "const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });\n",
        ),
        Example::allows(
            "README.md",
            "Set `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE` and `GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.\n",
        ),
        Example::allows(
            ".env.example",
            "STRIPE_SECRET_KEY=sk_live_<your-key>\nOPENAI_API_KEY=sk-proj-...\n",
        ),
        Example::allows(
            "server.py",
            "stripe.api_key = \"sk_test_4eC39HqLyjWDarjtT1zdp7dc\"\n",
        ),
    ],
};

impl Rule for ProviderApiToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, file: &FileContext<'_>, out: &mut Vec<Finding>) {
        report::check(&META, Kind::Provider, file, out);
    }
}

/// Every provider token in `text`.
pub(super) fn candidates(text: &str) -> Vec<Candidate> {
    providers::find(text)
        .into_iter()
        .map(|m| {
            let mut c = Candidate::new(m.secret, m.detector.name, m.detector.confidence);
            c.notes.push(Evidence::new("detector id", m.detector.id));
            c
        })
        .collect()
}
