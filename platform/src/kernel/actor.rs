//! Who is acting: a signed-in user, an API token's user, the CLI operator or the system.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<String>,
    /// What the audit log shows: an e-mail address, `cli` or `system`.
    pub label: String,
}

impl Actor {
    pub fn user(user_id: &str, email: &str) -> Actor {
        Actor {
            user_id: Some(user_id.to_string()),
            label: email.to_string(),
        }
    }

    /// The operator at the server's command line (who already holds the database).
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            label: "cli".into(),
        }
    }

    pub fn system() -> Actor {
        Actor {
            user_id: None,
            label: "system".into(),
        }
    }
}
