//! AI model providers: OpenAI, Anthropic, Hugging Face, Groq, Replicate, Perplexity,
//! OpenRouter, xAI, Cohere, Mistral.

use assay_core::Confidence::{High, Medium};

use super::Detector;
use super::Pattern::{Assigned, Token};

/// The detectors of this domain.
pub(super) const DETECTORS: &[Detector] = &[
    Detector {
        id: "anthropic-api-key",
        name: "Anthropic API key",
        keywords: &["sk-ant-api03-"],
        pattern: Token(r"\b(sk-ant-api03-[A-Za-z0-9_\-]{93}AA)(?:[^A-Za-z0-9_\-]|$)"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "ANTHROPIC_API_KEY=sk-",
                "ant-api03-4hJIIGdxc_8IYjQ06b05KlhQ3X1qwSXAiZpXkrXkVZVgcI29HIPy4QY2Cn-7Pq0Sl2S-NsOVww4FCiYgz7EvtsQIP0P6xAA"
            ),
            concat!(
                "client = anthropic.Anthropic(api_key=\"sk-",
                "ant-api03-CBDlG2SGjo_cCapxfbeH1o7yEFo1Pk3hovwimfdx2H5woz36-l7s1ND8S6qbLgheIvquo12C-Di9yV44ELUggMf2i0P3OAA\")"
            ),
        ],
        false_positives: &[
            "ANTHROPIC_API_KEY=sk-ant-api03-...",
            "ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA",
        ],
    },
    Detector {
        id: "anthropic-admin-key",
        name: "Anthropic Admin API key",
        keywords: &["sk-ant-admin01-"],
        pattern: Token(r"\b(sk-ant-admin01-[A-Za-z0-9_\-]{93}AA)(?:[^A-Za-z0-9_\-]|$)"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "ANTHROPIC_ADMIN_KEY=sk-",
            "ant-admin01-5qEV1NtGofWvJYau6xTk-eoIvd8WLxTk0ZuZwwPqj3KSqTmfEnm8ezJi1WMTyGLvz2Wy6mbzwxJU7QGuoreHaW-hAihTjAA"
        )],
        false_positives: &["ANTHROPIC_ADMIN_KEY=sk-ant-admin01-<your-admin-key>"],
    },
    Detector {
        id: "openai-api-key",
        name: "OpenAI API key",
        keywords: &["T3BlbkFJ"],
        pattern: Token(
            r"\b(sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,200}|[A-Za-z0-9]{20})T3BlbkFJ[A-Za-z0-9_\-]{20,200})(?:[^A-Za-z0-9_\-]|$)",
        ),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!(
                "OPENAI_API_KEY=sk-",
                "proj-dm-ChNyU9BnxA4Z2zf0N383Bq44YZa1wQXHyLqvI-2cik_YMmOHyaHU2DbpRthgRYaRkeAxWxaT3BlbkFJWyvLt122lJlx_fM-k0YRx-PNqjTEiFo7kUMdfvYiomjP9ccUByiCnU_yTu0MKob0LciPveUC_F"
            ),
            concat!(
                "openai.api_key = \"sk-",
                "cnj5TTsy1Trc20JgAh18T3BlbkFJOxIfKS525LenxqCXvRrY\""
            ),
            concat!(
                "const client = new OpenAI({ apiKey: 'sk-",
                "svcacct-fwRgms6T9D7nPMZo0_Wg-2Z5c7vT_1z7T50ytSeIit5cDfDURq5REEmA-FT3BlbkFJ7MLqQx4JFF6SaEtdKXn108Z5p297P78vYuqOHUwhUTvSHyK4pdTLnH6SDa' });"
            ),
        ],
        false_positives: &[
            "OPENAI_API_KEY=sk-proj-...",
            "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx",
            "OPENAI_API_KEY=sk-your-openai-key",
        ],
    },
    Detector {
        id: "huggingface-token",
        name: "Hugging Face access token",
        keywords: &["hf_", "api_org_"],
        pattern: Token(r"\b((?:hf|api_org)_[A-Za-z]{34})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[
            concat!("HF_TOKEN=hf_", "HctfdhGXuAJjHdYPKUkdUKvjcylAJWxIcR"),
            concat!(
                "login(token=\"api",
                "_org_yJMznIiSlVYJFLsqXCbOeXoKVCCfnMqQTn\")"
            ),
        ],
        false_positives: &[
            "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "hf_hub_download",
        ],
    },
    Detector {
        id: "groq-api-key",
        name: "Groq API key",
        keywords: &["gsk_"],
        pattern: Token(r"\b(gsk_[A-Za-z0-9]{52})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "GROQ_API_KEY=gsk",
            "_mvjcqTMXvNvCFRlP8jgQHMbEyorjyjjHH5An1iv3I0kpiDE8rgyn"
        )],
        false_positives: &["GROQ_API_KEY=gsk_your_groq_api_key"],
    },
    Detector {
        id: "replicate-api-token",
        name: "Replicate API token",
        keywords: &["r8_"],
        pattern: Token(r"\b(r8_[A-Za-z0-9]{37})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "REPLICATE_API_TOKEN=r8_",
            "11grtea5pAIugsddEgx0pdqJHKPwIomViiuTM"
        )],
        false_positives: &["REPLICATE_API_TOKEN=r8_**************************************"],
    },
    Detector {
        id: "perplexity-api-key",
        name: "Perplexity API key",
        keywords: &["pplx-"],
        pattern: Token(r"\b(pplx-[A-Za-z0-9]{48})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "PERPLEXITY_API_KEY=ppl",
            "x-wvRpEPPjtXNAfeaUNou6ilvpNJDAywPdBxsRNXIv9JejSm9n"
        )],
        false_positives: &[
            "PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    },
    Detector {
        id: "openrouter-api-key",
        name: "OpenRouter API key",
        keywords: &["sk-or-v1-"],
        pattern: Token(r"\b(sk-or-v1-[a-f0-9]{64})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[concat!(
            "OPENROUTER_API_KEY=sk-",
            "or-v1-cab879f14eeed2b6b1b6324ec5f168077d6607f07c96901a2b436a4f949fbe8d"
        )],
        false_positives: &["OPENROUTER_API_KEY=sk-or-v1-<key>"],
    },
    Detector {
        id: "xai-api-key",
        name: "xAI API key",
        keywords: &["xai-"],
        pattern: Token(r"\b(xai-[A-Za-z0-9]{80})\b"),
        min_entropy: 3.5,
        confidence: High,
        true_positives: &[concat!(
            "XAI_API_KEY=xai",
            "-SQwM2ZJxQgSeEB06b0ZfNkZMO5DBSymEAdqH4MK9zvcsVO279afDSv8721hlfnvMA3PxxYf4UDRG5Wal"
        )],
        false_positives: &["import xai-sdk", "XAI_API_KEY=xai-your-key"],
    },
    Detector {
        id: "cohere-api-key",
        name: "Cohere API key",
        keywords: &["cohere", "co_api_key"],
        pattern: Assigned {
            name: r"cohere|co_api_key",
            secret: r"[A-Za-z0-9]{40}",
        },
        min_entropy: 3.5,
        confidence: Medium,
        true_positives: &[
            concat!(
                "COHERE_API_KEY=cpt",
                "UUmvHuAi1C89kvTfMcB6PZsqWbWbp2dpk9Y0L"
            ),
            concat!(
                "{\"cohere_api_key\": \"cpt",
                "UUmvHuAi1C89kvTfMcB6PZsqWbWbp2dpk9Y0L\"}"
            ),
        ],
        false_positives: &[
            "COHERE_API_KEY=${COHERE_API_KEY}",
            "cohere_model = \"command-r-plus-08-2024\"",
        ],
    },
    Detector {
        id: "mistral-api-key",
        name: "Mistral AI API key",
        keywords: &["mistral"],
        pattern: Assigned {
            name: r"mistral",
            secret: r"[A-Za-z0-9]{32}",
        },
        min_entropy: 3.5,
        confidence: Medium,
        true_positives: &[concat!(
            "MISTRAL_API_KEY=\"u6r",
            "uxNT986W8iuaoxLKSHO8zN6gzJNuL\""
        )],
        false_positives: &[
            "MISTRAL_API_KEY=\"your-mistral-api-key\"",
            "mistral_model: mistral-large-latest",
        ],
    },
];
