//! The three ways `check` reports: for people, for tools (JSON, one object per
//! line), and for GitHub Actions (workflow annotations on the changed files).

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    severity: &'static str,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One JSON object per line, findings first, then notes (severity "note").
pub fn json(diags: &[Diagnostic], notes: &[String]) -> String {
    let mut out = String::new();
    for d in diags {
        let (line, column) = d
            .line_col()
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        let f = JsonFinding {
            file: d.file.as_ref().map(|p| p.display().to_string()),
            line,
            column,
            severity: severity(d.severity),
            code: d.code.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
        };
        out.push_str(&serde_json::to_string(&f).unwrap_or_default());
        out.push('\n');
    }
    for n in notes {
        let f = JsonFinding {
            file: None,
            line: None,
            column: None,
            severity: "note",
            code: "report",
            message: n,
            help: None,
        };
        out.push_str(&serde_json::to_string(&f).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// GitHub's escaping for annotation messages.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// And for annotation properties (file, title).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=…,line=…,col=…,title=…::message` lines.
pub fn github(diags: &[Diagnostic], notes: &[String]) -> String {
    let mut out = String::new();
    for d in diags {
        let mut props = Vec::new();
        if let Some(f) = &d.file {
            props.push(format!(
                "file={}",
                escape_property(&f.display().to_string())
            ));
        }
        if let Some((line, col)) = d.line_col() {
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("hearth {}", d.code))
        ));
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str(&format!(" (help: {h})"));
        }
        out.push_str(&format!(
            "::{} {}::{}\n",
            severity(d.severity),
            props.join(","),
            escape_data(&message)
        ));
    }
    for n in notes {
        out.push_str(&format!(
            "::notice title=hearth report::{}\n",
            escape_data(n)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn github_annotations_escape_their_separators() {
        let d = Diagnostic::error(Code::Io, "a: b, 100%\nnext").in_file("content/a,b.md");
        let out = github(&[d], &[]);
        assert_eq!(
            out,
            "::error file=content/a%2Cb.md,title=hearth io::a: b, 100%25%0Anext\n"
        );
    }
}
