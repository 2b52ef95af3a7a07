//! Handing the remembered roles out (SPEC 8): [`aws_config`] writes a `credential_process`
//! profile per role into an AWS config file, between marker lines it alone owns; [`aesr`]
//! writes the list in the AWS Extend Switch Roles browser extension's format.

pub mod aesr;
pub mod aws_config;
