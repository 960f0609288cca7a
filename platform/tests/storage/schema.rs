//! The schema as the database itself describes it, read back from SQLite's pragmas and
//! PostgreSQL's catalog into one shape, so that the two migration sets can be compared:
//! tables, columns (types mapped to families), primary keys, unique column sets, other
//! indexes and foreign keys. Index and constraint names are not compared: each backend
//! names its implicit ones its own way.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{Connection, Row};

/// A foreign key as SQLite lists it: referenced table, columns here, columns there, ON DELETE.
type ForeignKey = (String, Vec<String>, Vec<Option<String>>, String);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column name → (type family, nullable).
    pub columns: BTreeMap<String, (String, bool)>,
    pub primary_key: Vec<String>,
    /// Column lists of unique constraints and unique indexes, other than the primary
    /// key; a partial index is marked `where …`.
    pub unique: BTreeSet<String>,
    /// Column lists of the other indexes.
    pub indexes: BTreeSet<String>,
    /// `(cols) -> table (cols) on delete ACTION`.
    pub foreign_keys: BTreeSet<String>,
}

/// Tables that are not ours to compare: migration bookkeeping (sqlx writes it with
/// backend-specific types), and each backend's own full-text index (docs/adr/0014): FTS5's
/// virtual table with its shadow tables and row map on SQLite, the tsvector table on
/// PostgreSQL.
const NOT_COMPARED: &[&str] = &[
    "_sqlx_migrations",
    "search_fts",
    "search_fts_data",
    "search_fts_idx",
    "search_fts_content",
    "search_fts_docsize",
    "search_fts_config",
    "search_fts_rows",
    "search_terms",
];

/// The family of a declared type: the Any driver reads both backends' values the same
/// way within a family.
fn family(declared: &str) -> String {
    let t = declared.trim().to_ascii_lowercase();
    match t.as_str() {
        "bigint" | "integer" | "int" | "int8" | "int4" | "smallint" => "integer".into(),
        "text" | "character varying" | "varchar" => "text".into(),
        "real" | "double precision" | "float8" | "numeric" => "real".into(),
        "blob" | "bytea" => "bytes".into(),
        "boolean" | "bool" => "boolean".into(),
        "json" | "jsonb" => "json".into(),
        "date" => "date".into(),
        other => other.into(),
    }
}

fn columns_key(columns: &[String], partial: bool) -> String {
    let list = columns.join(", ");
    if partial {
        format!("({list}) where …")
    } else {
        format!("({list})")
    }
}

fn on_delete(action: &str) -> &'static str {
    match action.to_ascii_uppercase().as_str() {
        "CASCADE" | "C" => "CASCADE",
        "SET NULL" | "N" => "SET NULL",
        "SET DEFAULT" | "D" => "SET DEFAULT",
        "RESTRICT" | "R" => "RESTRICT",
        _ => "NO ACTION",
    }
}

pub async fn read_sqlite(url: &str) -> Schema {
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut schema = Schema::default();
    for name in names
        .into_iter()
        .filter(|n| !NOT_COMPARED.contains(&n.as_str()))
    {
        let mut table = Table::default();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for row in sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(&name)
            .fetch_all(&mut conn)
            .await
            .unwrap()
        {
            let column: String = row.get(0);
            let in_pk: i64 = row.get(3);
            // A primary-key column is never null, declared so or not.
            let nullable = row.get::<i64, _>(2) == 0 && in_pk == 0;
            if in_pk > 0 {
                pk.push((in_pk, column.clone()));
            }
            table
                .columns
                .insert(column, (family(&row.get::<String, _>(1)), nullable));
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        for row in
            sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(&mut conn)
                .await
                .unwrap()
        {
            let index: String = row.get(0);
            if row.get::<String, _>(2) == "pk" {
                continue;
            }
            let columns: Vec<String> = sqlx::query_scalar(
                "SELECT coalesce(name, '<expression>') FROM pragma_index_info($1) ORDER BY seqno",
            )
            .bind(&index)
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let key = columns_key(&columns, row.get::<i64, _>(3) == 1);
            if row.get::<i64, _>(1) == 1 {
                table.unique.insert(key);
            } else {
                table.indexes.insert(key);
            }
        }
        let mut keys: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(&mut conn)
        .await
        .unwrap()
        {
            let entry = keys
                .entry(row.get(0))
                .or_insert_with(|| (row.get(1), Vec::new(), Vec::new(), row.get(4)));
            entry.1.push(row.get(2));
            entry.2.push(row.get(3));
        }
        for (target, from, to, action) in keys.into_values() {
            // `REFERENCES t` without columns means t's primary key.
            let to: Vec<String> = if to.iter().all(Option::is_none) {
                sqlx::query_scalar(
                    "SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
                )
                .bind(&target)
                .fetch_all(&mut conn)
                .await
                .unwrap()
            } else {
                to.into_iter().map(Option::unwrap_or_default).collect()
            };
            table.foreign_keys.insert(format!(
                "{} -> {target} {} on delete {}",
                columns_key(&from, false),
                columns_key(&to, false),
                on_delete(&action)
            ));
        }
        schema.tables.insert(name, table);
    }
    schema
}

pub async fn read_postgres(url: &str) -> Schema {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let mut schema = Schema::default();
    for row in sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'YES' \
         FROM information_schema.columns c WHERE table_schema = 'public' AND EXISTS ( \
           SELECT 1 FROM information_schema.tables t WHERE t.table_schema = 'public' \
           AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    {
        let table: String = row.get(0);
        if NOT_COMPARED.contains(&table.as_str()) {
            continue;
        }
        schema
            .tables
            .entry(table)
            .or_default()
            .columns
            .insert(row.get(1), (family(&row.get::<String, _>(2)), row.get(3)));
    }
    for row in sqlx::query(
        "SELECT t.relname::text, ix.indisprimary, ix.indisunique, ix.indpred IS NOT NULL, \
           ARRAY(SELECT coalesce(a.attname::text, '<expression>') \
                 FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 ORDER BY k.ord) \
         FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    {
        let Some(table) = schema.tables.get_mut(&row.get::<String, _>(0)) else {
            continue;
        };
        let columns: Vec<String> = row.get(4);
        if row.get::<bool, _>(1) {
            table.primary_key = columns;
        } else if row.get::<bool, _>(2) {
            table.unique.insert(columns_key(&columns, row.get(3)));
        } else {
            table.indexes.insert(columns_key(&columns, row.get(3)));
        }
    }
    for row in sqlx::query(
        "SELECT src.relname::text, dst.relname::text, c.confdeltype::text, \
           ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord), \
           ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) \
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) \
         FROM pg_constraint c JOIN pg_class src ON src.oid = c.conrelid \
         JOIN pg_class dst ON dst.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'public' AND c.contype = 'f'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    {
        let Some(table) = schema.tables.get_mut(&row.get::<String, _>(0)) else {
            continue;
        };
        let from: Vec<String> = row.get(3);
        let to: Vec<String> = row.get(4);
        table.foreign_keys.insert(format!(
            "{} -> {} {} on delete {}",
            columns_key(&from, false),
            row.get::<String, _>(1),
            columns_key(&to, false),
            on_delete(&row.get::<String, _>(2))
        ));
    }
    schema
}

/// Every difference between `a` and `b`, one line each, naming the table and what
/// differs (empty when they describe the same schema).
pub fn differences(a_name: &str, a: &Schema, b_name: &str, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let tables: BTreeSet<&String> = a.tables.keys().chain(b.tables.keys()).collect();
    for name in tables {
        let (Some(ta), Some(tb)) = (a.tables.get(name), b.tables.get(name)) else {
            let only = if a.tables.contains_key(name) {
                a_name
            } else {
                b_name
            };
            out.push(format!("table {name}: only on {only}"));
            continue;
        };
        let columns: BTreeSet<&String> = ta.columns.keys().chain(tb.columns.keys()).collect();
        for column in columns {
            match (ta.columns.get(column), tb.columns.get(column)) {
                (Some(ca), Some(cb)) if ca != cb => out.push(format!(
                    "column {name}.{column}: {a_name} {} {}, {b_name} {} {}",
                    ca.0,
                    if ca.1 { "null" } else { "not null" },
                    cb.0,
                    if cb.1 { "null" } else { "not null" },
                )),
                (Some(_), None) => out.push(format!("column {name}.{column}: only on {a_name}")),
                (None, Some(_)) => out.push(format!("column {name}.{column}: only on {b_name}")),
                _ => {}
            }
        }
        if ta.primary_key != tb.primary_key {
            out.push(format!(
                "primary key of {name}: {a_name} {:?}, {b_name} {:?}",
                ta.primary_key, tb.primary_key
            ));
        }
        for (what, sa, sb) in [
            ("unique", &ta.unique, &tb.unique),
            ("index", &ta.indexes, &tb.indexes),
            ("foreign key", &ta.foreign_keys, &tb.foreign_keys),
        ] {
            for only_a in sa.difference(sb) {
                out.push(format!("{what} on {name} {only_a}: only on {a_name}"));
            }
            for only_b in sb.difference(sa) {
                out.push(format!("{what} on {name} {only_b}: only on {b_name}"));
            }
        }
    }
    out
}
