//! switchrole: a remembered list of AWS client roles, STS AssumeRole with the user's base
//! credentials, and a shell or command running as the client. The two binaries are thin:
//! `switchrole` ([`front`]) and `switchrole-core` (src/bin/core.rs); benchmarks and tests
//! use the library directly.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod aws;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod config;
pub mod dirs;
pub mod export;
pub mod front;
pub mod fsutil;
pub mod import;
pub mod process;
pub mod server;
pub mod session;
pub mod setup;
pub mod shell_init;
pub mod state;
pub mod tui;
pub mod untrusted;
