//! Cloud and infrastructure providers: AWS, Google Cloud, Azure, DigitalOcean, Heroku,
//! Databricks, Doppler, Supabase.

use assay_core::Confidence::{High, Medium};

use super::Detector;
use super::Pattern::{Assigned, Token};

/// The detectors of this domain.
pub(super) const DETECTORS: &[Detector] = &[
    Detector {
        id: "aws-access-key-id",
        name: "AWS access key ID",
        keywords: &["AKIA", "ASIA", "ABIA", "ACCA"],
        pattern: Token(r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("aws_access_key_id = AKI", "AZJIAH5OQALSGKR2K"),
            concat!(
                "{\"AccessKeyId\": \"ASI",
                "AV6IRBLIORCOH67VZ\", \"Expiration\": \"2030-01-01T00:00:00Z\"}"
            ),
            concat!("const id='AKI", "AZJIAH5OQALSGKR2K';"),
        ],
        false_positives: &[
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "key = AKIAXXXXXXXXXXXXXXXX",
            "TODAYINASIAASACKOFRICEFELLOVER",
            "AKIA1234567890ABCDEF",
        ],
    },
    Detector {
        id: "aws-secret-access-key",
        name: "AWS secret access key",
        keywords: &[
            "aws_secret",
            "awssecret",
            "aws-secret",
            "aws.secret",
            "secret_access_key",
            "secretaccesskey",
            "secret-access-key",
        ],
        pattern: Assigned {
            name: r"aws[_.\-]?secret|secret[_\-]?access[_\-]?key",
            secret: r"[A-Za-z0-9/+]{40}",
        },
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "aws_secret_access_key = zir",
                "TgCe/x9pcyXgHmWAyIJNeWjREcNpwMcAHzUS+"
            ),
            concat!(
                "AWS_SECRET_ACCESS_KEY=\"PnF",
                "Wj2RZ2vJT3VLg+4degHE5TUoW0XLdGfmd62BZ\""
            ),
            concat!(
                "{\"SecretAccessKey\": \"zir",
                "TgCe/x9pcyXgHmWAyIJNeWjREcNpwMcAHzUS+\"}"
            ),
            concat!(
                "const awsSecretKey = 'PnF",
                "Wj2RZ2vJT3VLg+4degHE5TUoW0XLdGfmd62BZ';"
            ),
        ],
        false_positives: &[
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}",
            "secret_access_key: \"<your-secret-access-key>\"",
            "aws_secret_key = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
        ],
    },
    Detector {
        id: "google-api-key",
        name: "Google API key",
        keywords: &["AIza"],
        pattern: Token(r"\b(AIza[0-9A-Za-z_\-]{35})(?:[^0-9A-Za-z_\-]|$)"),
        min_entropy: 3.0,
        // Browser keys (Maps, Firebase) are often public by design and restricted by
        // referrer; the match is certain, its impact less so.
        confidence: Medium,
        true_positives: &[
            concat!(
                "const firebaseConfig = { apiKey: \"AIz",
                "aFCVHjDcSRzYE9ZQixjB83VfvoEZiO7eld7t\" };"
            ),
            concat!("GOOGLE_API_KEY=AIz", "aqLVfJGHueXc4shW0nn83RZVC0qjaN-KnJ2t"),
        ],
        false_positives: &[
            "apiKey: \"AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"",
            "apiKey: \"AIzaSy-your-google-api-key-goes-here-xx\"",
            "AIzaShort",
        ],
    },
    Detector {
        id: "gcp-service-account-key",
        name: "Google Cloud service account private key",
        keywords: &["\"private_key\""],
        pattern: Token(
            r#""private_key"\s*:\s*"(-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\r)?\\n(?:[A-Za-z0-9+/=]+(?:\\r)?\\n)+-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)""#,
        ),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[concat!(
            "{\"type\": \"service_account\", \"project_id\": \"acme-prod\", \"private_key\": \"-----BEGIN PRIV",
            "ATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCzmVb8m7IRTrtdtOy7Jk+jVI+arnC04PQ\\nf1FryeajoTmAKwTSp5yRBdtv+HJa+UbuByxG5EYpfGk05Rf05zYI73Fbb0ljFsBu\\nXjmCfnCzXUY/B1+fhiobnFgluHZI38cts45XiIdOnk5BcbekNkNiTetSFHLirY+N\\nqfPh83I93dRGfuqlt3heHNdfWlnIJRLycJnCBgZHmwKsCfzbgPxcSFAMBPKHPp5Y\\nen8IvRniGplnCIWVZn/Ne/Zjpz+XdtpQDFl7qyPLUvHLaEimdHjq2xSrrNZ/UK6y\\ntHjnADLrGV6gzCGMussoPHdlLiwz1iUhVYUv9y4VacrGTv/McGWe4/nrXbkXDgCo\\nenLijiUUCG+1CMIU5UcbWd5MygCJLzPqslcrx29Wms/tUHM3sBJcKA0K0PQgDsXL\\nBYNkizRADzfp1EM+udhcOzKGoYw2+Rd+b1vgvb/f37vYDU9OSkBYs+zOLzCmRb51\\nMDt4hdZYhGjxsW1/aK0skk5fbPIOH28YQqJ5o33rJudV06i7cgebT89lZeQGqd2/\\nU+9RyGUSlPtX28GVy5HELkBh1YgTJDAodvlqt4ML8JJiukYD4E3XRTInSq81zT1f\\no6NnQDxO1jQV3u7Wd40TW1CTNcN5gKfSXpUAC50jadNZ7OKRSxhGZG/RxGnTRD/D\\nVuQfe2RDsLED0+Aiugrh7k0ntsOWBJDqU6XdA8XqFXLBbcXxBaqClYm1xEqrx6yj\\nQ5Hpe59wwDmKItxnsTZc/cWEReFyWWiQ/JxBb8gbEB8lOJInggcC+yVJwEU0HdT2\\nNWRN/kdhk6PpRrY5cDdatW65Xe+Nk/M6XAa0zT7XNGZ+IzEdimLylf4Qcjrq5Z8X\\n7LFc5Q2tgad46kgysKYI70GkJegkmBhrz3rpw4c4+g8SKWYnqDxGWNmpxtsluPtQ\\nEhUdbYso5qSRU/eUNBJxYgO2M1RotRGeHqRSDWhmMnLY1BelQis/yIxZcVol8b4/\\nTX5+vqVQ5pgYUQU60ShCXmEE6z+4GfiGQ+MCyU5yfeij8B/dFsQWdcEUlWHi4L67\\nJZbo11vJggG8XUPjyJs1i5dJDPVsTdOiKzbFZnmxnRkk8qLP7oCWvDvXbR9D3Bl+\\nj9whJMnJ7I0RKac9sfrKSSVQI2FSsv3BXG9x3Z47VXT8kzXsL4LNmZ/A7KmtPvOu\\nwxwWA94ZwAVJOsLeEkm7A4u+eIfukQ1LJsoyFHEkk+xMp5v/tgxlGA0jDTARONFH\\nEctjI85YF83N4TzuW7+9+v5ayjv6gRjI0GC7QyHP5O4HOTaA81mTSqGljb7xI/yW\\nCYnF4x8Rf/0i2x1xuO+FPcKIyZXepAuHiZEvOSJdnXqx9nmNldrA5nVZpVtUYP5i\\nulwFvBdkws7A3E6Y9E4mKKZrJkZowDVnC5JRZPBfY9QdmV7DSnerREK6D9CS7Yve\\nGU/jGFJisP+hfvzwgeVxjrhej4MME7k8NxazDgt2cA9uXNJxV7/OaRTP2zMZHuzq\\nqSTwmDzRYpgT+37N2b6EPsK7cpbSwN0egKu82Jm/e8uBI0U6MN42081UDLh1K+dj\\nMJKSECOl7qT1gdfMcf8q\\n-----END PRIV",
            "ATE KEY-----\\n\", \"client_email\": \"svc@acme-prod.iam.gserviceaccount.com\"}"
        )],
        false_positives: &[
            "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n\"}",
            "{\"private_key\": \"<your-private-key>\"}",
            "{\"private_key_id\": \"0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c\"}",
        ],
    },
    Detector {
        id: "azure-storage-account-key",
        name: "Azure Storage account key",
        keywords: &["AccountKey"],
        pattern: Token(r"(?i:AccountKey)\s*=\s*([A-Za-z0-9+/]{86}==)"),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[
            concat!(
                "AZURE_STORAGE_CONNECTION_STRING=\"DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=yiQ",
                "rkStsFX5iD5OZPsx6Am2JKw10tjWRn765VwRskn8TbJgse/Y7GPPdmfC2ekTDzkli5HQikNPpJ4Z8gSckhw==;EndpointSuffix=core.windows.net\""
            ),
            concat!(
                "conn = 'AccountName=acme;AccountKey=yiQ",
                "rkStsFX5iD5OZPsx6Am2JKw10tjWRn765VwRskn8TbJgse/Y7GPPdmfC2ekTDzkli5HQikNPpJ4Z8gSckhw=='"
            ),
        ],
        false_positives: &[
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
            "AccountName=acme;AccountKey=<storage-account-key>",
            "AccountKey=${AZURE_STORAGE_KEY}",
        ],
    },
    Detector {
        id: "azure-shared-access-key",
        name: "Azure Service Bus / Event Hubs / IoT Hub shared access key",
        keywords: &["SharedAccessKey"],
        pattern: Token(r"(?i:SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{42,43}=)"),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[concat!(
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=bUF",
            "6gKejYa0vRcfNidstgoNczrYMt09Nf5X6n/50nGr="
        )],
        false_positives: &[
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>",
            "SharedAccessKeyName=send-only",
        ],
    },
    Detector {
        id: "digitalocean-token",
        name: "DigitalOcean token",
        keywords: &["dop_v1_", "doo_v1_", "dor_v1_"],
        pattern: Token(r"\b((?:dop|doo|dor)_v1_[a-f0-9]{64})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!(
                "DIGITALOCEAN_TOKEN=dop",
                "_v1_ebeb0fe4717952a64129ad24bb569d841b173470fe3ef42f7a7cf79d10b5c1c5"
            ),
            concat!(
                "token: 'doo",
                "_v1_f09dfba7891356e52c2e97488f317a3ecaa733269e7b9b4b01381a8f0caabab8'"
            ),
        ],
        false_positives: &[
            "DIGITALOCEAN_TOKEN=dop_v1_0000000000000000000000000000000000000000000000000000000000000000",
            "dop_v1_abc",
        ],
    },
    Detector {
        id: "heroku-api-key",
        name: "Heroku API key",
        keywords: &["HRKU-"],
        pattern: Token(r"\b(HRKU-AA[0-9A-Za-z_\-]{58})(?:[^0-9A-Za-z_\-]|$)"),
        min_entropy: 4.0,
        confidence: High,
        true_positives: &[concat!(
            "HEROKU_API_KEY=HRK",
            "U-AAq9GbieAPzD9cUqnXN0K_hHQA7P4i92pXH9XmmMHiESdM53qq8GGlUj6Di8"
        )],
        false_positives: &["HEROKU_API_KEY=HRKU-AA<your-heroku-key>", "HRKU-AAshort"],
    },
    Detector {
        id: "heroku-api-key-legacy",
        name: "Heroku API key (legacy UUID)",
        keywords: &["heroku"],
        pattern: Assigned {
            name: r"heroku",
            secret: r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        },
        min_entropy: 3.0,
        confidence: Medium,
        true_positives: &[concat!(
            "heroku_api_key = \"1c6",
            "ff98c-8d31-4d9e-9294-eb14494f2a88\""
        )],
        false_positives: &[
            "HEROKU_API_KEY = \"12345678-abcd-abcd-abcd-1234567890ab\"",
            "heroku_app_id = \"00000000-0000-0000-0000-000000000000\"",
        ],
    },
    Detector {
        id: "databricks-token",
        name: "Databricks personal access token",
        keywords: &["dapi"],
        pattern: Token(r"\b(dapi[a-f0-9]{32}(?:-\d)?)\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("DATABRICKS_TOKEN=dap", "i28e942084b7d199c6985e6e9cdb9f587"),
            concat!("token = \"dap", "i28e942084b7d199c6985e6e9cdb9f587\""),
        ],
        false_positives: &[
            "DATABRICKS_TOKEN=dapi0123456789abcdef0123456789abcdef",
            "const dapiVersion = 'dapi-2.0';",
        ],
    },
    Detector {
        id: "doppler-token",
        name: "Doppler token",
        keywords: &[
            "dp.pt.",
            "dp.st.",
            "dp.sa.",
            "dp.ct.",
            "dp.scim.",
            "dp.audit.",
        ],
        pattern: Token(
            r"\b(dp\.(?:pt|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}|dp\.st\.(?:[a-z0-9_\-]{2,35}\.)?[A-Za-z0-9]{40,44})\b",
        ),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "DOPPLER_TOKEN=dp.",
                "pt.UrQenaDIXpINiFzHNt1wzk3ku026wWW55kP4HS2hNXs"
            ),
            concat!(
                "doppler: \"dp.",
                "st.prd.PacHbdf9uurjyWvbY0FUpoJlDrmfc3hpDgfYCp8v\""
            ),
        ],
        false_positives: &[
            "DOPPLER_TOKEN=dp.pt.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "dp.pt.short",
        ],
    },
    Detector {
        id: "supabase-secret-key",
        name: "Supabase secret key",
        keywords: &["sb_secret_"],
        pattern: Token(r"\b(sb_secret_[A-Za-z0-9_\-]{24,64})(?:[^A-Za-z0-9_\-]|$)"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "SUPABASE_SECRET_KEY=sb_",
            "secret_fg4etTSLEifoAQKQGP7lXbhcp3LyK5s"
        )],
        false_positives: &[
            "SUPABASE_PUBLISHABLE_KEY=sb_publishable_Zk3Qm8Rt2Vx7Lp4Nw9Hs6Jd1",
            "SUPABASE_SECRET_KEY=sb_secret_your-secret-key-here-please",
        ],
    },
];
