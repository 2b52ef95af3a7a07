//! How the process starts and ends, for `main`: signal dispositions (SIGXFSZ), a closed
//! stdout ending the process as it ends any Unix tool, and the one text every error is
//! printed as.

use crate::untrusted;

/// What `main` does first: SIGXFSZ caught, EPIPE panics turned into a quiet SIGPIPE end.
pub fn set_up() {
    #[cfg(unix)]
    set_signal_dispositions();
    end_quietly_on_closed_output();
}

/// The exit code of a command's result, its error printed (a closed stdout ends the
/// process as a closed pipe ends `cat`).
pub fn exit_code(result: anyhow::Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(err) if is_closed_output(&err) => die_of_sigpipe(),
        Err(err) => {
            eprintln!("switchrole: {}", error_text(&err));
            1
        }
    }
}

/// `err` and its causes on one line, each cause once (a message that already quotes its
/// source is not followed by it again), with control characters escaped line by line.
pub fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text.split('\n')
        .map(|line| untrusted::escape_controls(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file size limit (`ulimit -f`) makes writes fail with EFBIG instead of killing the
/// process mid-write: SIGXFSZ is caught by a handler that does nothing (a handler, not
/// SIG_IGN, so that `exec` and the shells switchrole starts get the default back).
/// SIGPIPE stays ignored (Rust's default): sockets and pipes to children report EPIPE as
/// an error; a closed stdout is handled by [`end_quietly_on_closed_output`].
#[cfg(unix)]
fn set_signal_dispositions() {
    extern "C" fn do_nothing(_signal: libc::c_int) {}
    let handler: extern "C" fn(libc::c_int) = do_nothing;
    // SAFETY: called first thing in `main`, before any other thread exists; `do_nothing`
    // is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGXFSZ, handler as libc::sighandler_t);
    }
}

/// A closed stdout or stderr (`switchrole env X | head -c1`) ends the process as it ends
/// `cat`, by SIGPIPE, silently: a panic on EPIPE (`println!`'s, or a library's `expect`
/// on a write, as clap_complete's generator does) and an EPIPE error returned by a
/// command both end here instead of a panic (exit 101) or an error message. SIGPIPE's
/// default action is not restored for the whole run instead, because a socket written
/// with `writev` (hyper's way) would then kill the process when its peer goes away.
fn end_quietly_on_closed_output() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or_default();
        if message.contains("Broken pipe") || message.contains("BrokenPipe") {
            die_of_sigpipe();
        }
        previous(info);
    }));
}

/// Ends the process the way a closed pipe ends a Unix tool (exit status 128 + SIGPIPE).
pub fn die_of_sigpipe() -> ! {
    #[cfg(unix)]
    // SAFETY: restores the default action and raises the signal; nothing runs after it.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    std::process::exit(141)
}

/// True when `err` is an EPIPE from writing our own output.
pub fn is_closed_output(err: &anyhow::Error) -> bool {
    let broken = Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().map(|e| e.kind()) == broken
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == broken
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read /x: {source}")]
    struct Quoting {
        source: std::io::Error,
    }

    #[test]
    fn each_cause_once_and_escaped() {
        let io = std::io::Error::other("Is a directory");
        let err = anyhow::Error::new(Quoting { source: io }).context("loading \x1b[2Jconfig");
        assert_eq!(
            error_text(&err),
            r"loading \u{1b}[2Jconfig: cannot read /x: Is a directory"
        );
    }

    #[test]
    fn a_broken_pipe_is_closed_output() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_closed_output(
            &anyhow::Error::new(pipe).context("writing")
        ));
        assert!(!is_closed_output(&anyhow::anyhow!("Broken pipe")));
    }
}
