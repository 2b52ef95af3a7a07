//! A bound on how much of an STS answer is read: an interceptor that wraps the response
//! body, before the SDK reads it whole, in a body that fails past [`MAX_STS_ANSWER_BYTES`].
//! A hostile or broken endpoint's endless answer then costs a megabyte, not gigabytes
//! before the call's timeout.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;

/// The most of one STS answer that is read (real answers are a few KiB).
pub const MAX_STS_ANSWER_BYTES: usize = 1024 * 1024;

/// The interceptor; add it to every STS client (`config::Builder::interceptor`).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit;

impl Intercept for BodyLimit {
    fn name(&self) -> &'static str {
        "switchrole-body-limit"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        let body = response.take_body();
        *response.body_mut() =
            SdkBody::from_body_1_x(http_body_util::Limited::new(body, MAX_STS_ANSWER_BYTES));
        Ok(())
    }
}
