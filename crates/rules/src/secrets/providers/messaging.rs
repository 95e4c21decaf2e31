//! Messaging and e-mail providers: Slack, Discord, Telegram, Twilio, SendGrid, Mailgun,
//! Mailchimp.

use assay_core::Confidence::High;

use super::Detector;
use super::Pattern::{Assigned, Token};

/// The detectors of this domain.
pub(super) const DETECTORS: &[Detector] = &[
    Detector {
        id: "slack-bot-token",
        name: "Slack bot token",
        keywords: &["xoxb-"],
        pattern: Token(r"\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!(
                "SLACK_BOT_TOKEN=xox",
                "b-562703780028-5621677532508-tRho2HzMlQWpZVKUj27XBCJb"
            ),
            concat!(
                "const slack = new WebClient('xox",
                "b-562703780028-5621677532508-tRho2HzMlQWpZVKUj27XBCJb');"
            ),
        ],
        false_positives: &[
            "SLACK_BOT_TOKEN=xoxb-your-bot-token",
            "SLACK_BOT_TOKEN=xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    },
    Detector {
        id: "slack-user-token",
        name: "Slack user token",
        keywords: &["xoxp-"],
        pattern: Token(r"\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "SLACK_USER_TOKEN=xox",
            "p-221063427337-691726341111-1908409780113-d3b89270e2830e500c17a8bf91bbdf0c"
        )],
        false_positives: &["SLACK_USER_TOKEN=xoxp-<your-user-token>"],
    },
    Detector {
        id: "slack-app-token",
        name: "Slack app-level token",
        keywords: &["xapp-"],
        pattern: Token(r"\b(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "SLACK_APP_TOKEN=xap",
            "p-1-A453WCMOKAM-9152655931807-85ac78912d1f715a1911f7e01ed648f6477cb3d09d144efbf55a5759e40adbc1"
        )],
        false_positives: &["SLACK_APP_TOKEN=xapp-1-XXXXXXXXXXX-0000000000000-xxxx"],
    },
    Detector {
        id: "slack-webhook",
        name: "Slack incoming webhook URL",
        keywords: &["hooks.slack.com"],
        pattern: Token(
            r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[A-Z0-9]{8,12}/[A-Za-z0-9]{20,40})\b",
        ),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "SLACK_WEBHOOK_URL=htt",
            "ps://hooks.slack.com/services/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"
        )],
        false_positives: &[
            "SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "see https://hooks.slack.com/services/ for details",
        ],
    },
    Detector {
        id: "discord-bot-token",
        name: "Discord bot token",
        keywords: &["discord"],
        pattern: Token(
            r"\b([MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40})(?:[^A-Za-z0-9_\-.]|$)",
        ),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "DISCORD_TOKEN=NDM",
                "5OTIyMjM3OTIwNjA4MjIz.1W2HHJ.mK4qZTbkIJuib4nCoB0kjBjF1MNK6l-76Uthc5"
            ),
            concat!(
                "discordClient.login('ODU",
                "wMDQ4OTAxMDM1MzQyMDY3.qr61Ac.TNXubuymPDtDWUFGLnFzMpuQ14UTZXiRO-wv8p');"
            ),
        ],
        false_positives: &[
            "DISCORD_TOKEN=your.discord.token",
            "discord_client_id = \"123456789012345678\"",
        ],
    },
    Detector {
        id: "discord-webhook",
        name: "Discord webhook URL",
        keywords: &["discord.com/api/webhooks/", "discordapp.com/api/webhooks/"],
        pattern: Token(
            r"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_\-]{60,80})(?:[^A-Za-z0-9_\-]|$)",
        ),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "fetch(\"htt",
            "ps://discord.com/api/webhooks/5857880379518226320/UPiT1mOpHUx1sz04Bjd5IoJevCDtHD7y60pahSD7YhWakh2KqUmKCKkULtqZHMGEhgem\", { method: \"POST\" })"
        )],
        false_positives: &["const url = `https://discord.com/api/webhooks/${id}/${token}`;"],
    },
    Detector {
        id: "telegram-bot-token",
        name: "Telegram bot token",
        keywords: &[":AA"],
        // Also right after `bot` in API URLs: `api.telegram.org/bot<token>/getMe`.
        pattern: Token(r"(?:\b|bot)([0-9]{8,10}:AA[A-Za-z0-9_\-]{33})(?:[^A-Za-z0-9_\-]|$)"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "TELEGRAM_BOT_TOKEN=148",
                "1040675:AA4_H-P54xwpHxXmNkXzOZGVaptf2moOqhb"
            ),
            concat!(
                "requests.get(f\"https://api.telegram.org/bot555",
                "616327:AAe2l_hdVCOaNzcoW5n3WsKt1wEKlajP_eT/getMe\")"
            ),
        ],
        false_positives: &[
            "TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "TELEGRAM_BOT_TOKEN=<bot-id>:AA<token>",
        ],
    },
    Detector {
        id: "twilio-credential",
        name: "Twilio auth token or API key",
        keywords: &["twilio"],
        pattern: Assigned {
            name: r"twilio",
            secret: r"(?:SK)?[0-9a-f]{32}",
        },
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("TWILIO_AUTH_TOKEN=20f", "34db1eaae770490c53d121f025a9b"),
            concat!("twilio_api_key: \"SK3", "2bd99a2a588f3b2103914b43d443f99\""),
        ],
        false_positives: &[
            "TWILIO_AUTH_TOKEN=your_auth_token",
            "TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    },
    Detector {
        id: "sendgrid-api-key",
        name: "SendGrid API key",
        keywords: &["SG."],
        pattern: Token(r"\b(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})(?:[^A-Za-z0-9_\-]|$)"),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[
            concat!(
                "SENDGRID_API_KEY=SG.",
                "_OUq_-ChOimKNEUFxB1X4l.ltFb7v3hCWFtDYKBWH-5Gc2NTaahs6VCYN53bvOgeTi"
            ),
            concat!(
                "sgMail.setApiKey('SG.",
                "_OUq_-ChOimKNEUFxB1X4l.ltFb7v3hCWFtDYKBWH-5Gc2NTaahs6VCYN53bvOgeTi');"
            ),
        ],
        false_positives: &[
            "SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "const msg = { to: user };",
        ],
    },
    Detector {
        id: "mailgun-private-key",
        name: "Mailgun private API key",
        keywords: &["key-"],
        pattern: Token(r"\b(key-[0-9a-f]{32})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "MAILGUN_API_KEY=key",
            "-dca0e1cb7c4cb82ace1c45edfdfe0cd1"
        )],
        false_positives: &[
            "MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "<li key-id=\"3\">",
        ],
    },
    Detector {
        id: "mailgun-api-key",
        name: "Mailgun API key",
        keywords: &["mailgun"],
        pattern: Assigned {
            name: r"mailgun",
            secret: r"[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}",
        },
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "mailgun_api_key = \"dda",
            "9be78c474b97632d3c177a6fb19da-3f492112-629ecb8d\""
        )],
        false_positives: &["mailgun_domain = \"mg.acme.invalid\""],
    },
    Detector {
        id: "mailchimp-api-key",
        name: "Mailchimp API key",
        keywords: &["-us"],
        pattern: Token(r"\b([0-9a-f]{32}-us[0-9]{1,2})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "MAILCHIMP_API_KEY=ed3",
            "ae135c7e0570069f0c6f804abe724-us13"
        )],
        false_positives: &[
            "MAILCHIMP_API_KEY=00000000000000000000000000000000-us1",
            "class=\"btn-user\"",
        ],
    },
];
