//! `assay keys create|list|revoke`: API keys of the service, in the same database.

use anyhow::{Context, Result, bail};
use assay_store::{Account, NewKey, ScopeSet, Store};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::cli::{DbFormat, KeysAction, KeysArgs};
use crate::commands::serve::{database_url, runtime};
use crate::exit::Code;

/// Runs a `keys` subcommand.
pub fn run(args: KeysArgs) -> Result<Code> {
    let url = database_url(args.database.as_deref())?;
    runtime()?.block_on(async move {
        let store = assay_store::open(&url).await?;
        let now = OffsetDateTime::now_utc();
        match args.action {
            KeysAction::Create {
                account,
                org,
                tier,
                name,
                scopes,
                expires_in,
                allow_cidrs,
            } => {
                let account = account_or_create(store.as_ref(), &account, org, &tier, now).await?;
                let created = store
                    .create_key(
                        NewKey {
                            account_id: account.id.clone(),
                            name,
                            scopes: ScopeSet::parse(&scopes.join(" "))?,
                            lifetime: expires_in.as_deref().map(parse_lifetime).transpose()?,
                            allowed_cidrs: allow_cidrs,
                        },
                        now,
                    )
                    .await?;
                eprintln!(
                    "assay: created key {} ({}) for {}, expires {}; it is shown once:",
                    created.key.prefix,
                    created.key.scopes.to_stored(),
                    account.name,
                    format_time(created.key.expires_at)
                );
                println!("{}", created.plaintext);
            }
            KeysAction::List { account, format } => {
                let account = existing(store.as_ref(), &account).await?;
                let keys = store.keys(&account.id).await?;
                match format {
                    DbFormat::Json => {
                        let rows: Vec<_> = keys
                            .iter()
                            .map(|k| {
                                serde_json::json!({
                                    "id": k.id,
                                    "prefix": k.prefix,
                                    "name": k.name,
                                    "scopes": k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                                    "allowed_cidrs": k.allowed_cidrs.iter().map(ToString::to_string).collect::<Vec<_>>(),
                                    "created_at": format_time(k.created_at),
                                    "expires_at": format_time(k.expires_at),
                                    "revoked_at": k.revoked_at.map(format_time),
                                    "last_used_at": k.last_used_at.map(format_time),
                                    "active": k.is_active(now),
                                })
                            })
                            .collect();
                        println!("{}", serde_json::to_string_pretty(&rows)?);
                    }
                    DbFormat::Table => {
                        for k in &keys {
                            let state = match (k.revoked_at, k.is_active(now)) {
                                (Some(_), _) => "revoked",
                                (None, false) => "expired",
                                (None, true) => "active",
                            };
                            println!(
                                "{}  {}  {:<8} {}  expires {}",
                                k.id,
                                k.prefix,
                                state,
                                k.scopes.to_stored(),
                                format_time(k.expires_at)
                            );
                        }
                    }
                }
            }
            KeysAction::Revoke { account, key } => {
                let account = existing(store.as_ref(), &account).await?;
                let keys = store.keys(&account.id).await?;
                let Some(found) = keys.iter().find(|k| k.id == key || k.prefix == key) else {
                    bail!("{} has no key {key:?}", account.name);
                };
                if !store.revoke_key(&found.id, now).await? {
                    bail!("key {} was already revoked", found.prefix);
                }
                eprintln!("assay: revoked key {}", found.prefix);
            }
        }
        Ok(Code::Ok)
    })
}

async fn existing(store: &dyn Store, name: &str) -> Result<Account> {
    store
        .account_by_name(name)
        .await?
        .with_context(|| format!("no account named {name:?}"))
}

/// The account, created (with its org) when missing.
async fn account_or_create(
    store: &dyn Store,
    name: &str,
    org: Option<String>,
    tier: &str,
    now: OffsetDateTime,
) -> Result<Account> {
    if let Some(account) = store.account_by_name(name).await? {
        return Ok(account);
    }
    let org_name = org.unwrap_or_else(|| name.to_string());
    let org = match store.create_org(&org_name, now).await {
        Ok(org) => org,
        Err(assay_store::StoreError::Conflict { .. }) => bail!(
            "org {org_name:?} already exists; this command creates orgs for new accounts only: name another org"
        ),
        Err(e) => return Err(e.into()),
    };
    Ok(store.create_account(&org.id, name, tier, now).await?)
}

/// `90d`, `12h`, `30m`, `45s`.
fn parse_lifetime(text: &str) -> Result<Duration> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let n: i64 = number
        .parse()
        .with_context(|| format!("invalid duration {text:?}: expected e.g. 90d, 12h, 30m"))?;
    Ok(match unit {
        "d" => Duration::days(n),
        "h" => Duration::hours(n),
        "m" => Duration::minutes(n),
        "s" => Duration::seconds(n),
        _ => bail!("invalid duration {text:?}: expected e.g. 90d, 12h, 30m"),
    })
}

fn format_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_parse_with_units() {
        assert_eq!(parse_lifetime("90d").unwrap(), Duration::days(90));
        assert_eq!(parse_lifetime("12h").unwrap(), Duration::hours(12));
        assert_eq!(parse_lifetime("2s").unwrap(), Duration::seconds(2));
        assert!(parse_lifetime("90").is_err());
        assert!(parse_lifetime("d").is_err());
        assert!(parse_lifetime("9w").is_err());
    }
}
