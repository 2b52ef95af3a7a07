//! Everything that talks to AWS or holds AWS credentials: the STS adapter, the credentials
//! cache, error translation, and the switch itself (cache, else base credentials + AssumeRole).

pub mod base;
pub mod body_limit;
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

/// The single-threaded Tokio runtime every blocking caller drives the SDK with; built only
/// when a call to AWS is about to be made.
pub fn runtime() -> Result<tokio::runtime::Runtime, AwsError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AwsError::Other(format!("cannot start the async runtime: {e}")))
}
