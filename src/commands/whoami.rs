//! `switchrole whoami`: the identity of the credentials in this environment, and the
//! switchrole session's name and expiry when inside one.

use crate::aws::credentials::left_text;
use crate::aws::credentials::parse_rfc3339;
use crate::aws::sts::Signer;
use crate::aws::{SdkSts, Sts};

pub fn run(json: bool) -> anyhow::Result<i32> {
    let identity = SdkSts::new().caller_identity(&Signer::Base(None))?;
    let session = std::env::var("SWITCHROLE").ok();
    let expiration = std::env::var("AWS_CREDENTIAL_EXPIRATION").ok();
    let served = session.is_some()
        && std::env::var_os("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
        && expiration.is_none();
    if json {
        let doc = serde_json::json!({
            "Account": identity.account,
            "Arn": identity.arn,
            "UserId": identity.user_id,
            "Switchrole": session,
            "Expiration": session.as_ref().and(expiration.as_ref()),
            "Renewing": served,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(0);
    }
    // Validated by the SDK adapter; escaped all the same, as everything from STS.
    println!("{}", crate::untrusted::escape_controls(&identity.arn));
    println!(
        "account: {}",
        crate::untrusted::escape_controls(&identity.account)
    );
    if let Some(name) = session {
        let left = expiration.as_deref().and_then(parse_rfc3339).map(left_text);
        let name = crate::untrusted::escape_controls(&name);
        match (expiration, left) {
            _ if served => println!(
                "switchrole: {name} (credentials from switchrole's server: they renew themselves)"
            ),
            (Some(at), Some(left)) => println!("switchrole: {name} (expires {at}, {left})"),
            _ => println!("switchrole: {name}"),
        }
    }
    Ok(0)
}
