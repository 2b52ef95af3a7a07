//! A tiny HTTP server on 127.0.0.1 that answers like a misbehaving STS: canned statuses and
//! bodies in order, garbage, or a connection that is accepted and never answered. For the
//! faults a real local STS cannot produce. It records every request (head and body).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the stub answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// An HTTP status with a body.
    Http(u16, String),
    /// Accept, read the request, and never answer.
    Hang,
    /// An HTTP status with a body, after a delay.
    Slow(Duration, u16, String),
}

/// A running stub; requests are answered with `replies` in order, the last one repeating.
pub struct StubSts {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl StubSts {
    pub fn start(replies: Vec<Reply>) -> StubSts {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let body = read_request(&stream);
                let index = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(body);
                    seen.len() - 1
                };
                let reply = replies[index.min(replies.len() - 1)].clone();
                std::thread::spawn(move || answer(stream, reply));
            }
        });
        StubSts { port, requests }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The requests received so far, head and body.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(mut stream: &TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text.into_owned();
            }
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}

fn answer(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Hang => std::thread::sleep(Duration::from_secs(120)),
        Reply::Slow(delay, status, body) => {
            std::thread::sleep(delay);
            answer(stream, Reply::Http(status, body));
        }
        Reply::Http(status, body) => {
            let response = format!(
                "HTTP/1.1 {status} Stub\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    }
}

/// A successful AssumeRole answer with the access key `key_id`.
pub fn assume_role_ok(key_id: &str) -> Reply {
    Reply::Http(
        200,
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <AssumeRoleResult><Credentials><AccessKeyId>{key_id}</AccessKeyId>\
             <SecretAccessKey>stub-secret-key</SecretAccessKey>\
             <SessionToken>stub-session-token</SessionToken>\
             <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>\
             <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/Admin/tester</Arn>\
             <AssumedRoleId>AROASTUB:tester</AssumedRoleId></AssumedRoleUser>\
             </AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>\
             </AssumeRoleResponse>"
        ),
    )
}

/// A successful GetSessionToken answer with the access key `key_id`.
pub fn session_token_ok(key_id: &str) -> Reply {
    Reply::Http(
        200,
        format!(
            "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetSessionTokenResult><Credentials><AccessKeyId>{key_id}</AccessKeyId>\
             <SecretAccessKey>stub-mfa-secret</SecretAccessKey>\
             <SessionToken>stub-mfa-token</SessionToken>\
             <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>\
             </GetSessionTokenResult><ResponseMetadata><RequestId>1</RequestId>\
             </ResponseMetadata></GetSessionTokenResponse>"
        ),
    )
}

/// An error in real STS's XML shape (`<ErrorResponse><Error>`).
pub fn aws_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Http(
        status,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
             <Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>1</RequestId></ErrorResponse>"
        ),
    )
}

/// An error in moto's shape (`<ErrorResponse><Errors><Error>`), which the SDK cannot parse.
pub fn moto_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Http(
        status,
        format!(
            "<ErrorResponse><Errors><Error><Code>{code}</Code><Message>{message}</Message>\
             </Error></Errors><RequestId>1</RequestId></ErrorResponse>"
        ),
    )
}

/// A server on 127.0.0.1 that answers every request with `status`, `content_type`, the
/// start `prefix` and then an endless body (no Content-Length, closed only by the client):
/// for the bounds on what switchrole reads.
pub fn endless_server(status: u16, content_type: &'static str, prefix: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let _ = read_request(&stream);
                let mut stream = stream;
                let head = format!(
                    "HTTP/1.1 {status} Endless\r\nContent-Type: {content_type}\r\n\
                     Connection: close\r\n\r\n{prefix}"
                );
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'A'; 64 * 1024];
                let started = std::time::Instant::now();
                while started.elapsed() < Duration::from_secs(60) {
                    if stream.write_all(&chunk).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}
