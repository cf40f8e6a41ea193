//! Splits the YAML front matter (between `---` lines) from a markdown file's body.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::yaml::Document;

/// Where the parts of a markdown file are, as byte ranges of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences (may be empty).
    pub yaml: Range<usize>,
    /// The front matter including both fences, for pointing at it as a whole.
    pub block: Range<usize>,
    /// Where the markdown body starts.
    pub body_start: usize,
}

/// Finds the front matter. `Ok(None)` when the file has none; `Err(span)` pointing at
/// the opening fence when it is never closed.
pub fn split(text: &str) -> Result<Option<Split>, Range<usize>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let Some(after_open) = rest
        .strip_prefix("---\r\n")
        .or_else(|| rest.strip_prefix("---\n"))
    else {
        return Ok(None);
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Some(Split {
                yaml: yaml_start..offset,
                block: start..body_start,
                body_start,
            }));
        }
        offset += line.len();
    }
    Err(start..start + 3)
}

/// What a kind of markdown file is called in messages, and how its front matter
/// starts (for the "no front matter" hint).
pub struct Kind {
    /// "page", "member file", "guideline".
    pub name: &'static str,
    /// "page front matter", for YAML errors.
    pub what: &'static str,
    pub example: &'static str,
}

/// Splits a markdown file and parses its front matter into `T`, with the errors
/// every kind of markdown file shares (none, never closed, invalid YAML).
pub fn parse<T: DeserializeOwned>(
    source: &SourceText,
    kind: &Kind,
) -> Result<(T, Split), Vec<Diagnostic>> {
    let split = match split(&source.text) {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Err(vec![Diagnostic::error(
                Code::FrontMatter,
                format!(
                    "this {} has no front matter, so it has no {}",
                    kind.name,
                    kind.example.split(':').next().unwrap_or("title")
                ),
            )
            .at(source, 0..0)
            .with_help(format!("start the file with\n---\n{}\n---", kind.example))]);
        }
        Err(span) => {
            return Err(vec![Diagnostic::error(
                Code::FrontMatter,
                "the front matter opened here is never closed",
            )
            .at(source, span)
            .with_help("add a line `---` after the last front matter key")]);
        }
    };
    let doc = Document {
        source,
        start: split.yaml.start,
        end: split.yaml.end,
    };
    let meta = doc.parse(kind.what).map_err(|d| vec![d])?;
    Ok((meta, split))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "---\ntitle: x\n---\nBody\n";
        let s = split(text).unwrap().unwrap();
        assert_eq!(&text[s.yaml.clone()], "title: x\n");
        assert_eq!(&text[s.body_start..], "Body\n");
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = "\u{feff}---\r\ntitle: x\r\n---\r\nBody";
        let s = split(text).unwrap().unwrap();
        assert_eq!(&text[s.yaml], "title: x\r\n");
        assert_eq!(&text[s.body_start..], "Body");
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_fence() {
        assert_eq!(split("---\ntitle: x\nbody\n"), Err(0..3));
    }

    #[test]
    fn no_front_matter_is_none() {
        assert_eq!(split("# Just markdown\n"), Ok(None));
        assert_eq!(split("----\n"), Ok(None));
    }
}
