//! A minimal Gongkai plugin: one item kind with two fields and one rule.
//! Copy this crate to `plugins/<your-id>/` (see sdk/README.md).

use gongkai_plugin_sdk::{
    export_plugin, Context, Field, Fields, ItemKind, Map, Plugin, PluginError, PluginInfo,
    Problems, PublicationRules,
};

pub struct Template;

impl Plugin for Template {
    fn describe() -> PluginInfo {
        PluginInfo::new("template", "0.1.0", "示例插件", "Template plugin").with_kind(
            ItemKind::new("notice", "通知", "Notice")
                .catalog("其他/通知", "通知公告", "Notices")
                .field(Field::text("title").label("标题", "Title").required())
                .field(Field::integer("copies").label("份数", "Copies"))
                .derived(Field::boolean("many").label("份数较多", "Many copies")),
        )
    }

    fn validate(kind: &str, fields: &Fields, ctx: &Context) -> Result<Problems, PluginError> {
        let k = Self::kind(kind).ok_or_else(|| PluginError::UnknownKind(kind.into()))?;
        let mut problems = gongkai_plugin_sdk::check_schema(&k, fields, ctx);
        if let Some(n) = problems.take(fields.integer("copies")) {
            if n < 0 {
                problems.error(
                    "copies",
                    ctx.msg("份数不能为负", "copies must not be negative"),
                );
            }
        }
        Ok(problems)
    }

    fn derive(_kind: &str, fields: &Fields, _ctx: &Context) -> Result<Map, PluginError> {
        let mut out = Map::new();
        if let Ok(Some(n)) = fields.integer("copies") {
            out.insert("many".into(), (n > 100).into());
        }
        Ok(out)
    }

    fn publication_rules(
        _kind: &str,
        _fields: &Fields,
        ctx: &Context,
    ) -> Result<PublicationRules, PluginError> {
        Ok(PublicationRules::new().publish_within(20, ctx.today))
    }
}

export_plugin!(Template);

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_plugin_sdk::{serde_json::json, Date};

    #[test]
    fn negative_copies_is_an_error() {
        let ctx = Context::new("t1", Date::new(2026, 3, 2).unwrap(), "en");
        let f = Fields::from_value(json!({"title": "x", "copies": -1}));
        let p = Template::validate("notice", &f, &ctx).unwrap();
        assert!(p.about("copies") && p.has_errors());
    }
}
