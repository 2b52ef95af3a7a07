//! The SDK's HTTP client, chosen per request by the endpoint's scheme: plain HTTP for an
//! `http://` endpoint (a local STS), and the SDK's own TLS client (rustls with aws-lc, the
//! proxy variables honoured, as `default-https-client` builds it) from the first `https://`
//! request on. The system's root certificates are loaded only when a TLS connection is
//! made, once per process, instead of at every start of the SDK.

use std::sync::OnceLock;

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// The process's client (its connection pools shared by every SDK client).
pub fn shared() -> SharedHttpClient {
    static CLIENT: OnceLock<SharedHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| SharedHttpClient::new(ByScheme))
        .clone()
}

#[derive(Debug)]
struct ByScheme;

impl HttpClient for ByScheme {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Dispatch {
            settings: settings.clone(),
            components: components.clone(),
        })
    }
}

/// One request's connector: the plain or the TLS client's, by the request's scheme.
#[derive(Debug)]
struct Dispatch {
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
}

impl HttpConnector for Dispatch {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let client = if request.uri().starts_with("http://") {
            plain()
        } else {
            with_tls()
        };
        client
            .http_connector(&self.settings, &self.components)
            .call(request)
    }
}

fn plain() -> &'static SharedHttpClient {
    static PLAIN: OnceLock<SharedHttpClient> = OnceLock::new();
    PLAIN.get_or_init(|| {
        Builder::new().build_with_connector_fn(|settings, components| {
            let mut builder = ConnectorBuilder::default();
            configure(&mut builder, settings, components);
            builder.build_http()
        })
    })
}

fn with_tls() -> &'static SharedHttpClient {
    static TLS: OnceLock<SharedHttpClient> = OnceLock::new();
    TLS.get_or_init(|| {
        Builder::new().build_with_connector_fn(|settings, components| {
            let mut builder =
                ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
            configure(&mut builder, settings, components);
            builder.build()
        })
    })
}

/// What the SDK's default client sets on every connector.
fn configure<Tls>(
    builder: &mut ConnectorBuilder<Tls>,
    settings: Option<&HttpConnectorSettings>,
    components: Option<&RuntimeComponents>,
) {
    builder.set_connector_settings(settings.cloned());
    if let Some(components) = components {
        builder.set_sleep_impl(components.sleep_impl());
    }
    builder.set_proxy_config(Some(ProxyConfig::from_env()));
}
