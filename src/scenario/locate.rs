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
}
