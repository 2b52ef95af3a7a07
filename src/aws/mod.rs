//! Everything that talks to AWS or holds AWS credentials: the STS adapter, the credentials
//! cache, error translation, and the switch itself (cache, else base credentials + AssumeRole).

pub mod base;
pub mod cache;
pub mod console;
pub mod credentials;
pub mod error;
pub mod policy;
pub mod sts;
pub mod switch;

pub use cache::{CacheKey, CredentialCache};
pub use credentials::{Credentials, Secret};
pub use error::AwsError;
pub use sts::{Identity, Sts};
