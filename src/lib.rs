//! switchrole: a remembered list of AWS client roles, STS AssumeRole with the user's base
//! credentials, and a shell or command running as the client. The binary (`main.rs`) is a
//! thin front over this library; benchmarks and tests use it directly.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod aws;
pub mod cli;
pub mod commands;
pub mod complete;
pub mod config;
pub mod dirs;
pub mod fsutil;
pub mod process;
pub mod server;
pub mod session;
pub mod setup;
pub mod shell_init;
pub mod state;
pub mod tui;
pub mod untrusted;
