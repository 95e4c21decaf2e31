//! Developer platforms: GitHub, GitLab, npm, PyPI, Postman, Linear, Notion, Atlassian,
//! Sentry, and `age` encryption keys.

use assay_core::Confidence::High;

use super::Detector;
use super::Pattern::Token;

/// The detectors of this domain.
pub(super) const DETECTORS: &[Detector] = &[
    Detector {
        id: "github-pat",
        name: "GitHub personal access token (classic)",
        keywords: &["ghp_"],
        pattern: Token(r"\b(ghp_[A-Za-z0-9]{36})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("GITHUB_TOKEN=ghp", "_KtJBwgB1kru10mH4LEdyc9PGSCDR54k3Qiuy"),
            concat!(
                "const octokit = new Octokit({ auth: \"ghp",
                "_qR8ETjSnDHHNrpzQF6drgvVyKsbKbBNNBEP7\" });"
            ),
            concat!("token = 'ghp", "_KtJBwgB1kru10mH4LEdyc9PGSCDR54k3Qiuy'"),
        ],
        false_positives: &[
            "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "ghp_************************************",
            "token: ghp_your_token_here",
            "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
        ],
    },
    Detector {
        id: "github-oauth-token",
        name: "GitHub OAuth access token",
        keywords: &["gho_"],
        pattern: Token(r"\b(gho_[A-Za-z0-9]{36})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "access_token = \"gho",
            "_pEq6EZa5F4GxqcD3tAAMfbHXX6OiS1c8UM64\""
        )],
        false_positives: &["gho_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"],
    },
    Detector {
        id: "github-app-token",
        name: "GitHub App user-to-server or server-to-server token",
        keywords: &["ghu_", "ghs_"],
        pattern: Token(r"\b((?:ghu|ghs)_[A-Za-z0-9]{36})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!(
                "Authorization: token ghu",
                "_0VsMW4gN7B2NnTPmoIcrYGaPWhOsZlW19k1G"
            ),
            concat!("GH_TOKEN=ghs", "_1IWLNHiXC3wL8drPTNBbuoDyrrwMOotP9Phq"),
        ],
        false_positives: &["ghs_EXAMPLEEXAMPLEEXAMPLEEXAMPLE123456"],
    },
    Detector {
        id: "github-refresh-token",
        name: "GitHub refresh token",
        keywords: &["ghr_"],
        pattern: Token(r"\b(ghr_[A-Za-z0-9]{36,76})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "refresh_token: ghr",
            "_0St2qv6PY9mCjOdjfnwGOjHtNeuDNVXgwS9L"
        )],
        false_positives: &["refresh_token: ghr_short"],
    },
    Detector {
        id: "github-fine-grained-pat",
        name: "GitHub fine-grained personal access token",
        keywords: &["github_pat_"],
        pattern: Token(r"\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "GITHUB_PAT=git",
            "hub_pat_whFPpLRTWod18ebJsg6MUc_iiuVSupfcEhOeqhJx3BovxxA3HDvh4dHO4WSQkW2zXtepDz5dmCBbXx2qrW"
        )],
        false_positives: &["GITHUB_PAT=github_pat_<your-fine-grained-token>"],
    },
    Detector {
        id: "gitlab-pat",
        name: "GitLab personal access token",
        keywords: &["glpat-"],
        pattern: Token(
            r"\b(glpat-(?:[A-Za-z0-9_\-]{27,300}\.[0-9a-z]{9}|[A-Za-z0-9_\-]{20}))(?:[^A-Za-z0-9_\-.]|$)",
        ),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("GITLAB_TOKEN=glp", "at-yFqYEx37iQSOY0PhATIB"),
            concat!(
                "private_token: \"glp",
                "at-KZh9f7fv33aRPd9EsOEKdM6LTEA.5g8pwm8s9\""
            ),
        ],
        false_positives: &[
            "GITLAB_TOKEN=glpat-XXXXXXXXXXX-XXXXXXXX",
            "glpat-xxxxxxxx-xxxxxxxxxxxxxxxxxx.xxxxxxxxx",
        ],
    },
    Detector {
        id: "gitlab-token",
        name: "GitLab deploy, runner, trigger, CI job, feed, SCIM or OAuth token",
        keywords: &[
            "gldt-",
            "glrt-",
            "glptt-",
            "glcbt-",
            "glft-",
            "glsoat-",
            "gloas-",
            "glimt-",
            "glagent-",
            "GR1348941",
        ],
        pattern: Token(
            r"\b(gldt-[A-Za-z0-9_\-]{20}|glrt-(?:t\d_)?[A-Za-z0-9_\-]{20,300}(?:\.[0-9a-z]{9})?|glptt-[0-9a-f]{40}|glcbt-[0-9a-zA-Z]{1,5}_[0-9A-Za-z_\-]{20}|glft-[A-Za-z0-9_\-]{20}|glsoat-[A-Za-z0-9_\-]{20}|gloas-[A-Za-z0-9_\-]{64}|glimt-[A-Za-z0-9_\-]{25}|glagent-[A-Za-z0-9_\-]{50}|GR1348941[A-Za-z0-9_\-]{20})(?:[^A-Za-z0-9_\-]|$)",
        ),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("CI_DEPLOY_TOKEN=gld", "t-CgmSadYKq6ZhFS9wnVih"),
            concat!("runner_token = \"glr", "t-JqlrWxmbElUtuhw9Rk6J\""),
            concat!(
                "curl -X POST -F token=glp",
                "tt-9567e32155a80a8c0dd5c49a77d953428dee0d82 -F ref=main"
            ),
        ],
        false_positives: &[
            "glptt-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "GR134894112312312312312312312",
            "GR1348941XXXXXXXXXXXXXXXXXXXX",
        ],
    },
    Detector {
        id: "npm-token",
        name: "npm access token",
        keywords: &["npm_"],
        pattern: Token(r"\b(npm_[A-Za-z0-9]{36})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!(
                "//npm.internal.invalid/:_authToken=npm",
                "_Zzr7rSD2Zr7ZlYZ2d34yoQ7bRJCFt1oOOA2Z"
            ),
            concat!("NPM_TOKEN=npm", "_Zzr7rSD2Zr7ZlYZ2d34yoQ7bRJCFt1oOOA2Z"),
        ],
        false_positives: &[
            "//npm.internal.invalid/:_authToken=${NPM_TOKEN}",
            "npm_config_registry=npm_package_name",
            "NPM_TOKEN=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ],
    },
    Detector {
        id: "pypi-upload-token",
        name: "PyPI upload token",
        keywords: &["pypi-AgEIcHlwaS5vcmc"],
        pattern: Token(r"\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})(?:[^A-Za-z0-9_\-]|$)"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "[pypi]\nusername = __token__\npassword = pyp",
            "i-AgEIcHlwaS5vcmcFkf8NGLQDcDWZ7Ahc-l0WomIbUa0fp3q82bNzzKA0OR4O8urrDUJ7pn1fWF3caQss_Lptf"
        )],
        false_positives: &[
            "password = pypi-AgEIcHlwaS5vcmc<rest-of-your-token>",
            "TWINE_PASSWORD=${PYPI_TOKEN}",
        ],
    },
    Detector {
        id: "postman-api-key",
        name: "Postman API key",
        keywords: &["PMAK-"],
        pattern: Token(r"\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "POSTMAN_API_KEY=PMA",
            "K-8a7cc22de4646663f2939229-34bfcb826d3caa1df1fe03760cb854a85b"
        )],
        false_positives: &[
            "POSTMAN_API_KEY=PMAK-xxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    },
    Detector {
        id: "linear-api-key",
        name: "Linear API key",
        keywords: &["lin_api_"],
        pattern: Token(r"\b(lin_api_[A-Za-z0-9]{40})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "const linear = new LinearClient({ apiKey: 'lin",
            "_api_78u4yzlEkb3eWGKp2NCilPcHom2PUFrKImuj9awl' });"
        )],
        false_positives: &["LINEAR_API_KEY=lin_api_your_linear_api_key_goes_right_here_ok"],
    },
    Detector {
        id: "notion-token",
        name: "Notion integration token",
        keywords: &["secret_", "ntn_"],
        pattern: Token(r"\b(secret_[A-Za-z0-9]{43}|ntn_[0-9]{11}[A-Za-z0-9]{35})\b"),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[
            concat!(
                "NOTION_TOKEN=sec",
                "ret_0WrRpQcwiOhIm8JYO2cKCRN4BYWhokB2Y4khdljCbkT"
            ),
            concat!(
                "notion_key: \"ntn",
                "_34574797524IPyfJNoN7aLhBcQGAT9z6uwDFzHTAG6UEzi\""
            ),
        ],
        false_positives: &[
            "const secret_key_name = 'secret_key';",
            "NOTION_TOKEN=secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    },
    Detector {
        id: "atlassian-api-token",
        name: "Atlassian API token",
        keywords: &["ATATT3"],
        pattern: Token(r"\b(ATATT3[A-Za-z0-9_\-=]{150,250})(?:[^A-Za-z0-9_\-=]|$)"),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[concat!(
            "JIRA_API_TOKEN=ATA",
            "TT3xFfGF0sDpsGFNNvpZnJDtm6rC2SEWujsXixcoFsXktJNrVOqfxcHB31r4ajtk0hGqMOI6V1dtMnj0V1WlFBbiqicSOMy6S38by3b2EVZKn-POHyg5XYqIzYjvsFtnHyVJewe4RFpem800HHXEStitM0c_uvJ14ZNSnl-SUgTSdR_W8aiy=45950C47"
        )],
        false_positives: &["JIRA_API_TOKEN=ATATT3xFfGF0<your-token>"],
    },
    Detector {
        id: "sentry-auth-token",
        name: "Sentry auth token",
        keywords: &["sntrys_", "sntryu_"],
        pattern: Token(
            r"\b(sntrys_eyJ[A-Za-z0-9+/=]{60,}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})(?:[^A-Za-z0-9_+/=]|$)",
        ),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "SENTRY_AUTH_TOKEN=snt",
                "rys_eyJpYXQiOjE3MTgwMDAwMDAuMTIzLCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyIsInJlZ2lvbl91cmwiOiJodHRwczovL3VzLnNlbnRyeS5pbyIsIm9yZyI6ImFjbWUifQ_NzqKGwxIWhYfMU8/DxjdUt7hEuW4SnYOOeLkBEuxR7f"
            ),
            concat!(
                "authToken: \"snt",
                "ryu_a5a59928e73aa35de3367d69b1c86ee235afa1f8b08b6c5983b10ee505b7e646\""
            ),
        ],
        false_positives: &["SENTRY_AUTH_TOKEN=sntrys_<your-org-token>"],
    },
    Detector {
        id: "sentry-dsn-secret",
        name: "Sentry DSN with secret key",
        keywords: &["sentry"],
        pattern: Token(
            r"https?://[0-9a-f]{32}:([0-9a-f]{32})@[A-Za-z0-9.\-]*sentry[A-Za-z0-9.\-]*(?::\d+)?/\d+",
        ),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "Sentry.init({ dsn: \"htt",
            "ps://41977ccd9a2d979a4c47a09b04fb62e4:dfa4b42ed74c719d51afaf058be9697a@o765551.ingest.sentry.io/1719865\" });"
        )],
        false_positives: &[
            // Modern DSNs carry only the public key, which is meant to ship to clients.
            "Sentry.init({ dsn: \"https://4f1c9be2a7d04e5c8b3a6f0d2e9c7b15@o451234.ingest.sentry.io/5512345\" });",
        ],
    },
    Detector {
        id: "age-secret-key",
        name: "age encryption secret key",
        keywords: &["AGE-SECRET-KEY-1"],
        pattern: Token(r"\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "# created: 2024-05-01\nAGE",
            "-SECRET-KEY-1RQKC6XPSKY33S8GNDVT537H78EERFX9SHQ6SAVNHZDRMTDRHW7QLN69MSF"
        )],
        false_positives: &[
            "AGE-SECRET-KEY-1XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        ],
    },
];
