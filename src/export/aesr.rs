//! `export aesr`: the remembered roles as AWS Extend Switch Roles configuration text, so the
//! browser extension remembers the same roles with the same colours (hex without `#`) and
//! regions. [`crate::import::aesr`] reads it back to the same roles. Roles the format cannot
//! hold are left out and named.

use crate::config::{Config, Role, color};

/// The text, and the roles left out with the reason.
pub struct Export {
    pub text: String,
    pub left_out: Vec<(String, &'static str)>,
}

/// The AESR configuration of every role of `config`, in the config's order.
pub fn export(config: &Config) -> Export {
    let mut sections = String::new();
    let mut written = 0;
    let mut left_out = Vec::new();
    for role in &config.roles {
        match section(config, role) {
            Ok(section) => {
                sections.push('\n');
                sections.push_str(&section);
                written += 1;
            }
            Err(reason) => left_out.push((role.name.clone(), reason)),
        }
    }
    let text = format!(
        "; AWS Extend Switch Roles configuration written by `switchrole export aesr` ({written} roles)\n{sections}"
    );
    Export { text, left_out }
}

/// One role's section. AESR cuts a line at `;` or `#` and a value at a second `=`.
fn section(config: &Config, role: &Role) -> Result<String, &'static str> {
    if role.name.contains([';', '#']) {
        return Err("its name holds ; or #, which start a comment in AESR's format");
    }
    if role.role_name.contains('=') {
        return Err("its role name holds =, which AESR's format cuts off");
    }
    // `profile` always, so that a name that itself starts with "profile " survives.
    let mut text = format!("[profile {}]\n", role.name);
    let partition = config.defaults.partition();
    if partition == crate::config::DEFAULT_PARTITION {
        text.push_str(&format!("aws_account_id = {}\n", role.account_id));
        text.push_str(&format!("role_name = {}\n", role.role_name));
    } else {
        text.push_str(&format!("role_arn = {}\n", config.effective(role).role_arn));
    }
    if let Some(rgb) = role.color.as_deref().and_then(|c| color::parse(c).ok()) {
        text.push_str(&format!("color = {}\n", rgb.hex()));
    }
    if let Some(region) = config.region_of(role) {
        text.push_str(&format!("region = {region}\n"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_with_hex_colours_and_left_out_names() {
        let role = |name: &str, role_name: &str, color: Option<&str>| Role {
            name: name.into(),
            account_id: "012345678901".into(),
            role_name: role_name.into(),
            color: color.map(str::to_string),
            ..Role::default()
        };
        let config = Config {
            roles: vec![
                role("Acme prod", "ops/Admin", Some("red")),
                role("profile x", "Admin", Some("#00FF7f")),
                role("No #1", "Admin", None),
                role("Eq", "A=B", None),
            ],
            ..Config::default()
        };
        let export = export(&config);
        assert!(export.text.contains(
            "[profile Acme prod]\naws_account_id = 012345678901\nrole_name = ops/Admin\ncolor = f2b0a9\n"
        ), "{}", export.text);
        assert!(
            export.text.contains("[profile profile x]\n"),
            "{}",
            export.text
        );
        assert!(export.text.contains("color = 00ff7f\n"), "{}", export.text);
        let names: Vec<&str> = export.left_out.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["No #1", "Eq"]);
    }
}
