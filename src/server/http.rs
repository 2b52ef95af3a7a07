//! The HTTP side of the credential server: 127.0.0.1 on a free port, `GET /` with the
//! session's token answers the container credentials JSON; a missing or wrong token gets
//! 403 and nothing else, any other path 404. Each request runs on its own thread, so a
//! renewal in progress never stops the server from answering the others.

use std::sync::Arc;

use base64::Engine as _;
use tiny_http::{Header, Method, Request, Response};

use super::renew::Renewer;
use crate::aws::credentials::rfc3339;

/// A running server; dropping it closes the port.
pub struct Server {
    http: Arc<tiny_http::Server>,
    port: u16,
    token: String,
}

impl Server {
    /// Listens on 127.0.0.1 and serves `renewer`'s credentials to holders of a new token.
    pub fn start(renewer: Arc<Renewer>) -> std::io::Result<Server> {
        let http = tiny_http::Server::http("127.0.0.1:0")
            .map(Arc::new)
            .map_err(std::io::Error::other)?;
        let port = http
            .server_addr()
            .to_ip()
            .map(|addr| addr.port())
            .ok_or_else(|| std::io::Error::other("the server has no TCP address"))?;
        let token = new_token()?;
        let accept = Arc::clone(&http);
        let expected = token.clone();
        std::thread::Builder::new()
            .name("switchrole-server".into())
            .spawn(move || {
                for request in accept.incoming_requests() {
                    let renewer = Arc::clone(&renewer);
                    let expected = expected.clone();
                    let _ = std::thread::Builder::new()
                        .name("switchrole-request".into())
                        .spawn(move || answer(request, &expected, &renewer));
                }
            })?;
        Ok(Server { http, port, token })
    }

    /// `http://127.0.0.1:PORT/`, for `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The token clients send in `Authorization`.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.http.unblock();
    }
}

/// 32 random bytes from the operating system's CSPRNG, base64url.
fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

fn answer(request: Request, token: &str, renewer: &Renewer) {
    let path = request.url().split('?').next().unwrap_or_default();
    let response = if path != "/" {
        plain(404, "not found")
    } else if *request.method() != Method::Get {
        plain(405, "only GET")
    } else if !authorized(&request, token) {
        plain(403, "forbidden")
    } else {
        match renewer.credentials() {
            Ok(credentials) => json(
                200,
                &serde_json::json!({
                    "AccessKeyId": credentials.access_key_id,
                    "SecretAccessKey": credentials.secret_access_key.expose(),
                    "Token": credentials.session_token.expose(),
                    "Expiration": rfc3339(credentials.expiration),
                }),
            ),
            Err(message) => json(
                500,
                &serde_json::json!({"Code": "SwitchroleRenewalFailed", "Message": message}),
            ),
        }
    };
    let _ = request.respond(response);
}

/// The `Authorization` header equals `token`, compared in constant time.
fn authorized(request: &Request, token: &str) -> bool {
    let Some(given) = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
    else {
        return false;
    };
    let (given, token) = (given.value.as_bytes(), token.as_bytes());
    given.len() == token.len()
        && given
            .iter()
            .zip(token)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

fn plain(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(text).with_status_code(status)
}

fn json(status: u16, value: &serde_json::Value) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut response = Response::from_string(value.to_string()).with_status_code(status);
    if let Ok(header) = Header::from_bytes("Content-Type", "application/json") {
        response.add_header(header);
    }
    response
}
