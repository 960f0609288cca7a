//! The error type of the service layer. Capabilities return it; the HTTP boundary turns
//! it into RFC 9457 problem details (see `http::problem`), the CLI into a message.

/// Rules report bad input with it (it lives with them); the service layer too.
pub use gongkai_rules::problem::FieldProblem;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("authentication required")]
    Unauthenticated,
    #[error("the e-mail address or password is wrong")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{message}")]
    Conflict {
        message: String,
        current_state: Option<String>,
    },
    #[error("the input has {} problem(s)", .0.len())]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    BadRequest(String),
    #[error("too many attempts; try again in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// Something the request depends on failed (a plugin that trapped, timed out, ran
    /// out of memory or answered malformed): 502 with this problem type.
    #[error("{detail}")]
    Upstream { slug: &'static str, detail: String },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A failure of ours (a stored value that does not parse, the object store, a
    /// host fault). Keeps its cause chain; the HTTP boundary logs it once and answers a
    /// plain 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::Conflict {
            message: message.into(),
            current_state: None,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid(vec![FieldProblem::new(field, message)])
    }

    /// An internal failure with no underlying error.
    pub fn internal(message: impl std::fmt::Display) -> Error {
        Error::Internal(anyhow::anyhow!("{message}"))
    }

    /// An internal failure caused by `cause`, which is kept.
    pub fn internal_from<E>(cause: E) -> Error
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Internal(anyhow::Error::new(cause))
    }

    /// An internal failure: `context` (what we were doing) caused by `cause`, kept.
    pub fn internal_cause<C, E>(context: C, cause: E) -> Error
    where
        C: std::fmt::Display + Send + Sync + 'static,
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Internal(anyhow::Error::new(cause).context(context))
    }

    pub fn forbidden() -> Error {
        Error::Forbidden("you do not have permission for this action".into())
    }
}

/// Turns a list of problems into `Ok(())` when empty, so validators can collect them all.
pub fn check(problems: Vec<FieldProblem>) -> Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Which kind of constraint a database write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    Unique,
    ForeignKey,
}

impl Constraint {
    /// True when `err` is a violation of this kind of constraint (both backends).
    pub fn violated_by(self, err: &sqlx::Error) -> bool {
        let sqlx::Error::Database(db) = err else {
            return false;
        };
        match self {
            Constraint::Unique => {
                db.is_unique_violation()
                    || db.message().contains("UNIQUE constraint failed")
                    || db.code().as_deref() == Some("23505")
            }
            Constraint::ForeignKey => {
                db.is_foreign_key_violation()
                    || db.message().contains("FOREIGN KEY constraint failed")
                    || db.code().as_deref() == Some("23503")
            }
        }
    }
}

/// Turns a broken constraint into the error the caller names (after launchbadge's
/// `on_constraint`): `insert(..).await.on_constraint(Constraint::Unique, || conflict)`.
pub trait OnConstraint<T> {
    fn on_constraint(self, constraint: Constraint, to: impl FnOnce() -> Error) -> Result<T>;
}

impl<T, E: Into<Error>> OnConstraint<T> for std::result::Result<T, E> {
    fn on_constraint(self, constraint: Constraint, to: impl FnOnce() -> Error) -> Result<T> {
        self.map_err(|err| match err.into() {
            Error::Database(db) if constraint.violated_by(&db) => to(),
            other => other,
        })
    }
}
