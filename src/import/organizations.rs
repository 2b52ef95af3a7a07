//! `import organizations`: one role per ACTIVE account of the AWS Organization the base
//! credentials see, named after the account, with `OrganizationAccountAccessRole` (the role
//! AWS creates in every account it creates for an Organization) unless another is named.
//! That role exists only in member accounts, so with it the management account is skipped.

use crate::aws::organizations::Listing;

use super::{Bad, Draft, Origin, Parsed};

/// The role AWS Organizations creates in the member accounts it creates.
pub const DEFAULT_ROLE: &str = "OrganizationAccountAccessRole";

/// The roles of `listing`: `role` in every active account; `source_profile`, when given,
/// the base profile each role is assumed from (the one that listed them).
pub fn drafts(listing: &Listing, role: Option<&str>, source_profile: Option<&str>) -> Parsed {
    let role_name = role.unwrap_or(DEFAULT_ROLE);
    let mut parsed = Parsed::default();
    for account in &listing.accounts {
        let origin = Origin::Account(account.id.clone());
        let skip = |reason: String| Bad {
            origin: origin.clone(),
            name: Some(account.name.clone()),
            reason,
        };
        if !account.is_active() {
            parsed.skipped.push(skip(format!(
                "not active ({})",
                if account.state.is_empty() {
                    "no state"
                } else {
                    &account.state
                }
            )));
            continue;
        }
        if role.is_none() && listing.management_account.as_deref() == Some(&account.id) {
            parsed.skipped.push(skip(format!(
                "the management account, which has no {DEFAULT_ROLE} (name a role of its own with --role)"
            )));
            continue;
        }
        let mut draft = Draft::new(origin, &account.name);
        draft.set("account_id", "Id", &account.id);
        draft.set("role_name", "--role", role_name);
        if let Some(profile) = source_profile {
            draft.set("source_profile", "--profile", profile);
        }
        parsed.drafts.push(draft);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::organizations::Account;

    fn account(id: &str, name: &str, state: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            state: state.into(),
        }
    }

    #[test]
    fn active_member_accounts_only() {
        let listing = Listing {
            management_account: Some("111111111111".into()),
            accounts: vec![
                account("111111111111", "Root", "ACTIVE"),
                account("222222222222", "Prod", "ACTIVE"),
                account("333333333333", "Gone", "SUSPENDED"),
            ],
        };
        let parsed = drafts(&listing, None, Some("mgmt"));
        let names: Vec<&str> = parsed.drafts.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Prod"]);
        assert_eq!(parsed.skipped.len(), 2);
        let parsed = drafts(&listing, Some("Ops"), None);
        assert_eq!(
            parsed.drafts.len(),
            2,
            "with --role the management account too"
        );
    }
}
