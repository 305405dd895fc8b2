//! Maps between byte offsets in the TOML text and dotted field paths, so
//! that every error can name both the field and its line and column.

use toml::de::{DeTable, DeValue};

type Spanned<T> = toml::Spanned<T>;

/// The dotted path of the innermost key or value whose span holds `offset`,
/// and whether the offset fell on a table header / the table itself rather
/// than on one of its entries.
pub fn path_at(text: &str, offset: usize) -> Option<String> {
    let doc = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    descend_table(doc.get_ref(), offset, &mut path);
    (!path.is_empty()).then(|| path.join("."))
}

fn descend_table(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) {
    for (key, value) in table.iter() {
        let in_key = key.span().contains(&offset);
        let in_value = value.span().contains(&offset);
        if in_key || in_value || contains_deep(value, offset) {
            path.push(key.get_ref().to_string());
            if !in_key {
                descend_value(value, offset, path);
            }
            return;
        }
    }
}

fn descend_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut Vec<String>) {
    match value.get_ref() {
        DeValue::Table(t) => descend_table(t, offset, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.span().contains(&offset) || contains_deep(item, offset) {
                    path.push(i.to_string());
                    descend_value(item, offset, path);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// Tables built from `[headers]` have entries scattered through the file,
/// so a table's own span need not cover them: look inside.
fn contains_deep(value: &Spanned<DeValue<'_>>, offset: usize) -> bool {
    match value.get_ref() {
        DeValue::Table(t) => t.iter().any(|(k, v)| {
            k.span().contains(&offset) || v.span().contains(&offset) || contains_deep(v, offset)
        }),
        DeValue::Array(items) => items
            .iter()
            .any(|v| v.span().contains(&offset) || contains_deep(v, offset)),
        _ => false,
    }
}

/// Byte range of the value at a dotted path (array items by index), if the
/// file spells that field out.
pub fn span_of(text: &str, dotted: &str) -> Option<std::ops::Range<usize>> {
    let doc = DeTable::parse(text).ok()?;
    let mut parts = dotted.split('.');
    let first = parts.next()?;
    let mut current = doc.get_ref().get(first)?;
    for part in parts {
        current = match current.get_ref() {
            DeValue::Table(t) => t.get(part)?,
            DeValue::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current.span())
}

/// What a TOML syntax error's position says about the field involved: the
/// text does not parse, so this reads the line and the last `[table]`
/// header above it, a best effort for the common cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxContext {
    /// Dotted path of the field the line sets (or of the header's table).
    pub path: String,
    /// Whether the error is in the value, after the `=`.
    pub in_value: bool,
}

pub fn syntax_context(text: &str, span: std::ops::Range<usize>) -> Option<SyntaxContext> {
    let offset = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    if line.trim_start().starts_with('[') {
        let (name, _) = header(line)?;
        return Some(SyntaxContext {
            path: indexed(&text[..line_start], &name, line),
            in_value: false,
        });
    }
    let (key, in_value) = match line.find('=') {
        Some(eq) => (&line[..eq], offset - line_start > eq),
        // A line without `=` is a key missing its value, or the inside of
        // a value spread over several lines (then the field is unknown).
        None => {
            let token = line.split_whitespace().next()?;
            if token.contains(['"', '\'', '[', '{', ']', '}', ',']) {
                return None;
            }
            (token, false)
        }
    };
    let key = dotted(key)?;
    let above = &text[..line_start];
    let table = above.lines().rev().find_map(|l| {
        let (name, _) = header(l)?;
        let end = l.as_ptr() as usize - above.as_ptr() as usize;
        Some(indexed(&above[..end], &name, l))
    });
    let path = match table {
        Some(t) => format!("{t}.{key}"),
        None => key,
    };
    Some(SyntaxContext { path, in_value })
}

/// The table name of a `[a.b]` or `[[a.b]]` header line, and whether it is
/// an array-of-tables header.
fn header(line: &str) -> Option<(String, bool)> {
    let line = line.trim_start();
    let (inner, array) = match line.strip_prefix("[[") {
        Some(rest) => (rest.split("]]").next()?, true),
        None => (line.strip_prefix('[')?.split(']').next()?, false),
    };
    Some((dotted(inner)?, array))
}

/// `[[a.b]]` headers name an item of a list: its path ends with the item's
/// index, counted from the headers above (`before`).
fn indexed(before: &str, name: &str, line: &str) -> String {
    match header(line) {
        Some((_, true)) => {
            let earlier = before
                .lines()
                .filter(|l| header(l).is_some_and(|(n, array)| array && n == name))
                .count();
            format!("{name}.{earlier}")
        }
        _ => name.to_string(),
    }
}

/// A TOML key (`a.b`, `a . "b"`) as a dotted path, if it looks like one.
fn dotted(key: &str) -> Option<String> {
    let parts: Vec<&str> = key
        .split('.')
        .map(|p| p.trim().trim_matches(|c| c == '"' || c == '\''))
        .collect();
    let bare = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    parts.iter().all(bare).then(|| parts.join("."))
}

/// 1-based line and column of a byte offset (columns count characters).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"x\"\n[company]\nvaluation = 5\n\n[company.exit]\nipo_per_year = 0.5\n\n[[offer.equity.refresh]]\nat_years = 2\n";

    #[test]
    fn finds_paths_and_positions() {
        let span = span_of(DOC, "company.exit.ipo_per_year").unwrap();
        assert_eq!(line_column(DOC, span.start), (6, 16));
        assert_eq!(
            path_at(DOC, span.start).as_deref(),
            Some("company.exit.ipo_per_year")
        );
        let span = span_of(DOC, "offer.equity.refresh.0.at_years").unwrap();
        assert_eq!(line_column(DOC, span.start).0, 9);
        assert_eq!(
            path_at(DOC, span.start).as_deref(),
            Some("offer.equity.refresh.0.at_years")
        );
        assert!(span_of(DOC, "company.drift").is_none());
    }

    fn context(text: &str, needle: &str) -> Option<SyntaxContext> {
        let at = text.find(needle).unwrap();
        syntax_context(text, at..at + 1)
    }

    #[test]
    fn syntax_errors_name_the_field() {
        let text = "name = \"x\"\n[company]\nvaluation = 4.5 billion\n\n\
                    [[offer.equity.refresh]] # first\nat_years = 1\n\
                    [[offer.equity.refresh]]\nat_years = 2\ngrant = 75,000\n\
                    [offer.equity]\n";
        let c = context(text, "billion").unwrap();
        assert_eq!(c.path, "company.valuation");
        assert!(c.in_value);
        let c = context(text, ",000").unwrap();
        assert_eq!(c.path, "offer.equity.refresh.1.grant");
        assert!(c.in_value);
        let c = context(text, "at_years = 1").unwrap();
        assert_eq!(c.path, "offer.equity.refresh.0.at_years");
        assert!(!c.in_value);
        let c = context(text, "equity]").unwrap();
        assert_eq!(c.path, "offer.equity");
        assert!(!c.in_value);
        let c = context("[company]\nbase 75000\n", "base").unwrap();
        assert_eq!(c.path, "company.base");
        assert_eq!(context("x = [1,\n \"a\" \"b\"]\n", "\"a\""), None);
    }
}
