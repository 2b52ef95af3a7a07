//! What the status bar knows, as enums rather than pairs of fields: the base identity
//! (unknown while it is fetched, known, or why it could not be fetched) and the last message
//! (a notice or an error, in plain words). Plain data: set by [`super::update`], read by the
//! view and by [`super::policy`] (the trust policy names the identity).

/// The base identity, fetched in the background at start.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Identity {
    /// Still being fetched.
    #[default]
    Unknown,
    /// The caller's ARN.
    Known(String),
    /// Could not be fetched: why.
    Failed(String),
}

impl Identity {
    pub fn arn(&self) -> Option<&str> {
        match self {
            Identity::Known(arn) => Some(arn),
            _ => None,
        }
    }
}

/// The message above the status bar: the last notice or error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Empty,
    /// Saved, back from the shell, cancelled...
    Info(String),
    /// What went wrong last.
    Error(String),
}

impl Status {
    pub fn info(text: impl Into<String>) -> Status {
        Status::Info(text.into())
    }

    pub fn error(text: impl Into<String>) -> Status {
        Status::Error(text.into())
    }

    /// The text and whether it is an error.
    pub fn message(&self) -> Option<(&str, bool)> {
        match self {
            Status::Empty => None,
            Status::Info(text) => Some((text, false)),
            Status::Error(text) => Some((text, true)),
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Status::Error(_))
    }
}
