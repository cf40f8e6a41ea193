//! The one module that calls serde_yaml, so a maintained fork can replace it in one line.
//!
//! It turns serde_yaml's errors into `Diagnostic`s at the right byte offset of the user's
//! file, and rewrites serde's "unknown field" wording into "unknown key … did you mean".

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, Code, Diagnostic, SourceText};

/// A YAML document inside a file: the file, and where the YAML starts in it (front
/// matter starts after the opening `---`).
pub struct Document<'a> {
    pub source: &'a SourceText,
    pub start: usize,
    pub end: usize,
}

impl<'a> Document<'a> {
    pub fn whole(source: &'a SourceText) -> Self {
        Document {
            source,
            start: 0,
            end: source.text.len(),
        }
    }

    fn text(&self) -> &'a str {
        &self.source.text[self.start..self.end]
    }

    /// Parses the document into `T`; on failure one diagnostic at the offending spot.
    pub fn parse<T: DeserializeOwned>(&self, what: &str) -> Result<T, Diagnostic> {
        let text = self.text();
        // An empty document is an empty mapping, so that `---\n---` means "no keys".
        let parsed = if text.trim().is_empty() {
            serde_yaml::from_str::<T>("{}")
        } else {
            serde_yaml::from_str::<T>(text)
        };
        let value = parsed.map_err(|e| self.to_diagnostic(&e, what))?;
        // Raw control characters are refused when the file is read; here, the ones a
        // double-quoted string spells as escapes (`"\f"`, `"\u0007"`).
        if text.contains('\\') {
            if let Some(d) = self.escaped_control_character() {
                return Err(d);
            }
        }
        Ok(value)
    }

    /// An error at the first escape that spells a character XML forbids, when the
    /// parsed document really holds one (a backslash in a plain scalar is text).
    fn escaped_control_character(&self) -> Option<Diagnostic> {
        let value: serde_yaml::Value = serde_yaml::from_str(self.text()).ok()?;
        let c = forbidden_in(&value)?;
        let text = self.text();
        let at = text
            .match_indices('\\')
            .find(|(i, _)| {
                decode_escape(&text[i + 1..]).is_some_and(crate::escape::forbidden_in_xml)
            })
            .map(|(i, _)| i);
        let span = match at {
            Some(i) => {
                let len = text[i..].find(['"', ' ', '\n']).unwrap_or(2).max(2);
                self.start + i..self.start + i + len
            }
            None => self.start..self.start,
        };
        Some(Diagnostic::forbidden_character(self.source, span, c))
    }
}

/// The first character XML forbids in any string of a YAML value.
fn forbidden_in(value: &serde_yaml::Value) -> Option<char> {
    use serde_yaml::Value;
    match value {
        Value::String(s) => s.chars().find(|&c| crate::escape::forbidden_in_xml(c)),
        Value::Sequence(items) => items.iter().find_map(forbidden_in),
        Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| forbidden_in(k).or_else(|| forbidden_in(v))),
        Value::Tagged(t) => forbidden_in(&t.value),
        _ => None,
    }
}

/// The character a YAML double-quoted escape (the text after its backslash) spells.
fn decode_escape(rest: &str) -> Option<char> {
    let hex = |n: usize| {
        rest.get(1..1 + n)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
    };
    match rest.chars().next()? {
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'v' => Some('\u{B}'),
        'f' => Some('\u{C}'),
        'e' => Some('\u{1B}'),
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        _ => None,
    }
}

impl Document<'_> {
    fn to_diagnostic(&self, e: &serde_yaml::Error, what: &str) -> Diagnostic {
        let raw = e.to_string();
        // serde_yaml appends " at line X column Y", and sometimes ", while parsing a
        // flow sequence at line X column Y", where the real mistake usually is.
        let (head, context) = match raw.split_once(", while parsing ") {
            Some((h, c)) => (h, Some(c)),
            None => (raw.as_str(), None),
        };
        let strip_at = |s: &str| {
            s.find(" at line ")
                .map_or(s.to_string(), |i| s[..i].to_string())
        };
        let mut message = strip_at(head);
        let mut offset = e.location().map_or(self.start, |l| {
            self.start + l.index().min(self.text().len())
        });
        if let Some(ctx) = context {
            message = format!("{message} while parsing {}", strip_at(ctx));
            if let Some(at) = position_in(ctx, self.text()) {
                offset = self.start + at;
            }
        }
        let (message, help, span) = explain(&message, self.source.text.as_ref(), offset, what);
        let mut d = Diagnostic::error(Code::Yaml, message).at(self.source, span);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        d
    }
}

/// The byte offset of a "line X column Y" mention (1-based, as serde_yaml writes it).
fn position_in(message: &str, text: &str) -> Option<usize> {
    let rest = &message[message.find("line ")? + 5..];
    let mut words = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty());
    let line: usize = words.next()?.parse().ok()?;
    let column: usize = words.next()?.parse().ok()?;
    let start = crate::diagnostics::line_offset(text, line);
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let col = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + col)
}

/// Rewrites serde's wording for people and narrows the span to the offending key.
fn explain(
    message: &str,
    file: &str,
    offset: usize,
    what: &str,
) -> (String, Option<String>, std::ops::Range<usize>) {
    let word_span = |offset: usize| {
        let rest = &file[offset.min(file.len())..];
        let len = rest.find([':', '\n', '\r']).unwrap_or(rest.len());
        offset..offset + len.max(1).min(rest.len().max(1))
    };
    // A nested key comes with its path ("languages.fr: unknown field `titel`").
    let (within, unknown) = match message.split_once(": unknown field `") {
        Some((path, rest)) if !path.contains(' ') => (format!("`{path}` of {what}"), Some(rest)),
        _ => (what.to_string(), message.strip_prefix("unknown field `")),
    };
    if let Some(rest) = unknown {
        let key = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|list| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = match did_you_mean(key, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if !expected.is_empty() => format!(
                "the keys {within} takes are: {}",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "remove this key".to_string(),
        };
        return (
            format!("unknown key `{key}` in {within}"),
            Some(help),
            word_span(offset),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or_default();
        return (
            format!("{what} is missing the required key `{key}`"),
            Some(format!("add a line `{key}: …`")),
            word_span(offset),
        );
    }
    // "title: invalid type: sequence, expected a string" (the key comes first).
    if let Some((key, rest)) = message.split_once(": invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let help = if found.starts_with("sequence") || found.starts_with("map") {
                "quote the value if it starts with [ or {, as in `title: \"[draft] …\"`".to_string()
            } else {
                format!("write {expected} here")
            };
            return (
                format!("`{key}` should be {expected}, but this is {found}"),
                Some(help),
                word_span(offset),
            );
        }
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let expected = match expected {
                "a sequence" => "a list (lines starting with `- `)",
                "a map" => "keys and values (`key: value`)",
                other => other,
            };
            return (
                format!("expected {expected} here, found {found} (in {what})"),
                None,
                word_span(offset),
            );
        }
    }
    // Our own validation errors quote the offending value: point at it.
    if let Some(value) = message.split('`').nth(1).filter(|v| !v.is_empty()) {
        // Prefer the occurrence that is a whole value (`key: value` at a line's end).
        let rest = file.get(offset..).unwrap_or_default();
        let whole = rest.match_indices(value).find(|(i, _)| {
            let before = rest[..*i].trim_end_matches(['"', '\'']);
            let after = rest[i + value.len()..].trim_start_matches(['"', '\'']);
            (before.ends_with(':') || before.ends_with(": ") || before.ends_with("- "))
                && (after.is_empty() || after.starts_with(['\n', '\r', ',', '}', ']', ' ', '#']))
        });
        if let Some(i) = whole.map(|(i, _)| i).or_else(|| rest.find(value)) {
            return (
                message.to_string(),
                None,
                offset + i..offset + i + value.len(),
            );
        }
    }
    (message.to_string(), None, word_span(offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        date: Option<String>,
    }

    fn source(text: &str) -> SourceText {
        SourceText {
            path: "x.md".into(),
            text: Arc::from(text),
        }
    }

    #[test]
    fn unknown_key_suggests_the_closest_known_key_at_its_line() {
        let s = source("title: a\ndaet: 2026-01-01\n");
        let err = Document::whole(&s).parse::<T>("front matter").unwrap_err();
        assert_eq!(err.message, "unknown key `daet` in front matter");
        assert_eq!(err.help.as_deref(), Some("did you mean `date`?"));
        assert_eq!(err.line_col(), Some((2, 1)));
    }

    #[test]
    fn missing_required_key_is_named() {
        let s = source("date: x\n");
        let err = Document::whole(&s).parse::<T>("front matter").unwrap_err();
        assert!(
            err.message.contains("required key `title`"),
            "{}",
            err.message
        );
    }
}
