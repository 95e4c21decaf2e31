//! Commerce and payments: Stripe, Shopify.

use assay_core::Confidence::High;

use super::Detector;
use super::Pattern::Token;

/// The detectors of this domain.
pub(super) const DETECTORS: &[Detector] = &[
    Detector {
        id: "stripe-secret-key",
        name: "Stripe live secret or restricted key",
        keywords: &["sk_live_", "rk_live_"],
        pattern: Token(r"\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!("STRIPE_SECRET_KEY=sk_", "live_RcTvb3Qgus1ie4EoUYCpDEiD"),
            concat!(
                "const stripe = require('stripe')('sk_",
                "live_9Uoc4esrNpXUrYAN7EQ3OiElUjMNl2bTJJbNdAc5CloDB5cEM3Oh1jA71hCSiOVcF50O5ukGnwSImYA8bybvwvreMy4FRiokK7w');"
            ),
            concat!("stripe.api_key = \"rk_", "live_mjPUziIUnXXtTMj94w4DzH2q\""),
        ],
        false_positives: &[
            // Test-mode keys cannot move money.
            "STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "STRIPE_PUBLISHABLE_KEY=pk_live_51Hh2kLm9Qx7Rt3Vw8Yz",
            "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    },
    Detector {
        id: "shopify-token",
        name: "Shopify access token or shared secret",
        keywords: &["shpat_", "shpca_", "shppa_", "shpss_"],
        pattern: Token(r"\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b"),
        min_entropy: 3.0,
        confidence: High,
        true_positives: &[
            concat!(
                "SHOPIFY_ACCESS_TOKEN=shp",
                "at_cdd4d6e1c8e285148ba4d2856a8bc3f3"
            ),
            concat!("shared_secret: shp", "ss_204ac6e2cf68983a36ddab2681a7c023"),
        ],
        false_positives: &["SHOPIFY_ACCESS_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    },
];
