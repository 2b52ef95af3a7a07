//! Onboarding a client (SPEC 7), the setup procedure's two steps done from the terminal:
//! the CloudFormation template of the role in the client account ([`template`]), the new
//! role's random ExternalId ([`external_id`]), and the grant of `sts:AssumeRole` to my own
//! IAM user with its size rules ([`grant`], through the [`crate::aws::iam`] seam). The
//! commands (`setup template|new|grant`) and the TUI's policies screen use these; the role
//! name convention lives with the config ([`crate::config::role_name_pattern`]).

pub mod external_id;
pub mod grant;
pub mod template;
