//! Everything that talks to AWS or holds AWS credentials: the switch flow, the STS seam and
//! its SDK adapter, the IAM seam and its SDK adapter, the credentials cache, error
//! translation, the console sign-in, the policy documents and the Organizations seam.

pub mod base;
pub mod body_limit;
pub mod cache;
mod children;
pub mod console;
pub mod credentials;
pub mod error;
mod http_client;
pub mod iam;
pub mod iam_sdk;
pub mod organizations;
pub mod policy;
pub mod sdk;
pub mod sts;
pub mod switch;

pub use cache::{CacheKey, CredentialCache};
pub use credentials::{Credentials, Secret};
pub use error::AwsError;
pub use sdk::SdkSts;
pub use sts::{Identity, Sts};
pub use switch::{Switcher, Target};

/// Runs `future` to completion on the process's one Tokio runtime, started on first use:
/// the blocking facade of every call to AWS. Threads may call it concurrently.
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, AwsError> {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    if RUNTIME.get().is_none() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| AwsError::Other(format!("cannot start the async runtime: {e}")))?;
        // Another thread may have won the race; its runtime serves as well.
        let _ = RUNTIME.set(runtime);
    }
    match RUNTIME.get() {
        Some(runtime) => Ok(runtime.block_on(future)),
        None => Err(AwsError::Other("the async runtime did not start".into())),
    }
}
