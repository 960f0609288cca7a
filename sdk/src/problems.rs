//! Collecting validation problems.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with one field path (`field` or `table[3].column`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub severity: Severity,
    /// Stable code ("required", "type", "out-of-range", ...).
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn error(path: &str, code: &str, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            severity: Severity::Error,
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Collector of problems; `validate` returns it.
///
/// ```
/// use gongkai_plugin_sdk::Problems;
/// let mut p = Problems::new();
/// p.error("pm25", "must not be negative");
/// p.warning("station", "unknown station");
/// assert!(p.has_errors());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    items: Vec<Problem>,
}

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }
    /// An error with code "invalid".
    pub fn error(&mut self, path: &str, message: impl Into<String>) -> &mut Problems {
        self.push(path, Severity::Error, "invalid", message)
    }
    /// A warning with code "warning".
    pub fn warning(&mut self, path: &str, message: impl Into<String>) -> &mut Problems {
        self.push(path, Severity::Warning, "warning", message)
    }
    pub fn push(
        &mut self,
        path: &str,
        severity: Severity,
        code: &str,
        message: impl Into<String>,
    ) -> &mut Problems {
        self.items.push(Problem {
            path: path.to_string(),
            severity,
            code: code.to_string(),
            message: message.into(),
        });
        self
    }
    pub fn add(&mut self, p: Problem) -> &mut Problems {
        self.items.push(p);
        self
    }
    pub fn extend(&mut self, other: Problems) -> &mut Problems {
        self.items.extend(other.items);
        self
    }
    /// Keeps the value of a typed read, or records its problem and gives `None`:
    /// `let pm25 = problems.take(fields.decimal("pm25"));`
    pub fn take<T>(&mut self, r: Result<Option<T>, Problem>) -> Option<T> {
        match r {
            Ok(v) => v,
            Err(p) => {
                self.items.push(p);
                None
            }
        }
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|p| p.severity == Severity::Error)
    }
    /// Whether any problem (of any severity) is about `path`.
    pub fn about(&self, path: &str) -> bool {
        self.items.iter().any(|p| p.path == path)
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.items.iter()
    }
    pub fn into_vec(self) -> Vec<Problem> {
        self.items
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
