//! Page languages: zh-CN first, English second. Every user-facing string of the pages
//! lives in one Fluent catalogue per language (`platform/locales/*.ftl`), compiled into
//! the binary. Fluent (Mozilla's localisation format) lets a message carry arguments and
//! plural variants that the translator writes (`{ $count } 条` / `{ $count -> [one] …}`)
//! without code per language.
//!
//! The catalogues are read with `fluent-syntax`, the Fluent project's own parser; the
//! few lines below resolve the part of Fluent the catalogues use (text, `{ $variable }`,
//! and select expressions on a number's plural category or on a text). `fluent-bundle`
//! would resolve all of Fluent, but its locale crates switch on features of crates that
//! the HTTP client, sqlx and wasmtime share (tinystr, zerovec, rustc-hash), which
//! rebuilds half of the dependency tree for two languages whose plural rules are one
//! line each. Item content is never translated: it stays as published.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// A message argument.
#[derive(Debug, Clone)]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The BCP 47 tag for `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The value of the `lang` query parameter and cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality; zh-CN
    /// when none is supported.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("zh") => Lang::Zh,
                Some("en") => Lang::En,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Zh, |(_, l)| l)
    }

    /// The CLDR plural category of `n` (zh has only "other").
    fn plural(self, n: i64) -> &'static str {
        match self {
            Lang::En if n == 1 => "one",
            _ => "other",
        }
    }

    /// A message without arguments.
    pub fn t(self, key: &str) -> String {
        self.tr(key, &[])
    }

    /// A message with arguments, e.g. `lang.tr("items-count", &[("count", 3.into())])`.
    /// A missing key shows as itself (the catalogue test names it).
    pub fn tr(self, key: &str, args: &[(&str, Arg)]) -> String {
        match CATALOGUES[self as usize].get(key) {
            Some(pattern) => {
                let mut out = String::new();
                self.resolve(pattern, args, &mut out);
                out
            }
            None => key.to_string(),
        }
    }

    fn resolve(self, pattern: &Pattern<&str>, args: &[(&str, Arg)], out: &mut String) {
        for element in &pattern.elements {
            match element {
                PatternElement::TextElement { value } => out.push_str(value),
                PatternElement::Placeable { expression } => self.expression(expression, args, out),
            }
        }
    }

    fn expression(self, expression: &Expression<&str>, args: &[(&str, Arg)], out: &mut String) {
        match expression {
            Expression::Inline(inline) => self.inline(inline, args, out),
            Expression::Select { selector, variants } => {
                let (number, text) = match selector {
                    InlineExpression::VariableReference { id } => match arg(args, id.name) {
                        Some(Arg::Number(n)) => (Some(*n), self.plural(*n).to_string()),
                        Some(Arg::Text(t)) => (None, t.clone()),
                        None => (None, String::new()),
                    },
                    _ => (None, String::new()),
                };
                let chosen = variants
                    .iter()
                    .find(|v| match &v.key {
                        VariantKey::NumberLiteral { value } => {
                            number.is_some_and(|n| value.parse::<i64>() == Ok(n))
                        }
                        VariantKey::Identifier { name } => *name == text,
                    })
                    .or_else(|| variants.iter().find(|v| v.default));
                if let Some(v) = chosen {
                    self.resolve(&v.value, args, out);
                }
            }
        }
    }

    fn inline(self, inline: &InlineExpression<&str>, args: &[(&str, Arg)], out: &mut String) {
        match inline {
            InlineExpression::VariableReference { id } => match arg(args, id.name) {
                Some(Arg::Number(n)) => out.push_str(&n.to_string()),
                Some(Arg::Text(t)) => out.push_str(t),
                None => out.push_str(&format!("{{${}}}", id.name)),
            },
            InlineExpression::StringLiteral { value }
            | InlineExpression::NumberLiteral { value } => out.push_str(value),
            InlineExpression::Placeable { expression } => self.expression(expression, args, out),
            // Functions, message and term references: not used by the catalogues.
            _ => {}
        }
    }
}

fn arg<'a>(args: &'a [(&str, Arg)], name: &str) -> Option<&'a Arg> {
    args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
}

const SOURCES: [(&str, &str); 2] = [
    ("zh-CN", include_str!("../../locales/zh-CN.ftl")),
    ("en", include_str!("../../locales/en.ftl")),
];

type Catalogue = HashMap<&'static str, Pattern<&'static str>>;

static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(tag, source)| {
            let resource = fluent_syntax::parser::parse(*source)
                .unwrap_or_else(|(_, errors)| panic!("locales/{tag}.ftl: {errors:?}"));
            resource
                .body
                .into_iter()
                .filter_map(|entry| match entry {
                    Entry::Message(m) => m.value.map(|v| (m.id.name, v)),
                    _ => None,
                })
                .collect()
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_have_the_same_messages() {
        let mut zh: Vec<&str> = CATALOGUES[0].keys().copied().collect();
        let mut en: Vec<&str> = CATALOGUES[1].keys().copied().collect();
        zh.sort();
        en.sort();
        assert!(zh.len() > 100, "{}", zh.len());
        let only_zh: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "zh only {only_zh:?}, en only {only_en:?}"
        );
    }

    #[test]
    fn arguments_and_plurals() {
        assert_eq!(
            Lang::Zh.tr("items-count", &[("count", 3.into())]),
            "共 3 条"
        );
        assert_eq!(Lang::En.tr("items-count", &[("count", 1.into())]), "1 item");
        assert_eq!(
            Lang::En.tr("items-count", &[("count", 2.into())]),
            "2 items"
        );
        assert_eq!(
            Lang::En.tr("track-days-left", &[("days", 0.into())]),
            "0 working days left"
        );
        assert_eq!(Lang::En.t("no-such-key"), "no-such-key");
        let guide = Lang::Zh.tr("guide-default", &[("agency", "某局".into())]);
        assert!(guide.starts_with("## 一、主动公开\n\n"), "{guide}");
        assert!(guide.contains("向某局申请"), "{guide}");
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("fr;q=1, en;q=0.5, zh-CN;q=0.8"),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language("de"), Lang::Zh);
        assert_eq!(Lang::from_accept_language(""), Lang::Zh);
    }
}
