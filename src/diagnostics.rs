//! Problems found in a user's site, collected across a whole build and shown rustc style.
//!
//! A build never stops at the first content error: every stage pushes `Diagnostic`s and
//! the driver prints them all at the end, each naming the file, line and column, showing
//! the offending line and, where we can guess it, the fix.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

/// How bad a finding is. `--strict` promotes warnings to errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic is: a stable name for tools (`--format json`,
/// GitHub annotations) and for `docs/diagnostics.md`, which explains each one with its
/// cause and fix (a test keeps the two in step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A link a screen reader can only read as "link": no text, no label.
    A11yEmptyLink,
    /// A heading that skips a level (`##` then `####`): the outline has a hole.
    A11yHeadingSkip,
    Avatar,
    BlockedExternal,
    BrokenAnchor,
    BrokenExternal,
    BrokenLink,
    Cache,
    Card,
    Config,
    ControlCharacter,
    Date,
    DuplicateLink,
    DuplicateUrl,
    EmptySlug,
    Encoding,
    Event,
    FrontMatter,
    Guideline,
    GuidelineReview,
    Io,
    Link,
    /// A code block too long, or too costly, to highlight: shown plain.
    LongCode,
    Member,
    /// A word of the theme that a language's i18n file does not give.
    MissingWord,
    MemberRef,
    /// A picture in a page or bio without alt text (SPEC §6).
    MissingAlt,
    MissingCard,
    MissingGlyph,
    NoDescription,
    NotChecked,
    Output,
    /// A picture that cannot be published: unreadable, or past the limits.
    Picture,
    /// The search index could not be made.
    Search,
    Symlink,
    Tag,
    Template,
    Theme,
    TooBig,
    /// A translation (SPEC §5) that cannot be placed: an unknown language, no
    /// original, a `translates:` naming no version of it.
    Translation,
    /// A guideline translation that follows an older version than the original's.
    TranslationBehind,
    UnprefixedLink,
    Yaml,
}

impl Code {
    /// Every code, in the order of `docs/diagnostics.md`.
    pub const ALL: &'static [Code] = &[
        Code::A11yEmptyLink,
        Code::A11yHeadingSkip,
        Code::Avatar,
        Code::BlockedExternal,
        Code::BrokenAnchor,
        Code::BrokenExternal,
        Code::BrokenLink,
        Code::Cache,
        Code::Card,
        Code::Config,
        Code::ControlCharacter,
        Code::Date,
        Code::DuplicateLink,
        Code::DuplicateUrl,
        Code::EmptySlug,
        Code::Encoding,
        Code::Event,
        Code::FrontMatter,
        Code::Guideline,
        Code::GuidelineReview,
        Code::Io,
        Code::Link,
        Code::LongCode,
        Code::Member,
        Code::MemberRef,
        Code::MissingAlt,
        Code::MissingCard,
        Code::MissingGlyph,
        Code::MissingWord,
        Code::NoDescription,
        Code::NotChecked,
        Code::Output,
        Code::Picture,
        Code::Search,
        Code::Symlink,
        Code::Tag,
        Code::Template,
        Code::Theme,
        Code::TooBig,
        Code::Translation,
        Code::TranslationBehind,
        Code::UnprefixedLink,
        Code::Yaml,
    ];

    /// The name tools and the docs use (`front-matter`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::A11yEmptyLink => "a11y-empty-link",
            Code::A11yHeadingSkip => "a11y-heading-skip",
            Code::Avatar => "avatar",
            Code::BlockedExternal => "blocked-external",
            Code::BrokenAnchor => "broken-anchor",
            Code::BrokenExternal => "broken-external",
            Code::BrokenLink => "broken-link",
            Code::Cache => "cache",
            Code::Card => "card",
            Code::Config => "config",
            Code::ControlCharacter => "control-character",
            Code::Date => "date",
            Code::DuplicateLink => "duplicate-link",
            Code::DuplicateUrl => "duplicate-url",
            Code::EmptySlug => "empty-slug",
            Code::Encoding => "encoding",
            Code::Event => "event",
            Code::FrontMatter => "front-matter",
            Code::Guideline => "guideline",
            Code::GuidelineReview => "guideline-review",
            Code::Io => "io",
            Code::Link => "link",
            Code::LongCode => "long-code",
            Code::Member => "member",
            Code::MemberRef => "member-ref",
            Code::MissingAlt => "missing-alt",
            Code::MissingWord => "missing-word",
            Code::MissingCard => "missing-card",
            Code::MissingGlyph => "missing-glyph",
            Code::Search => "search",
            Code::NoDescription => "no-description",
            Code::NotChecked => "not-checked",
            Code::Output => "output",
            Code::Picture => "picture",
            Code::Symlink => "symlink",
            Code::Tag => "tag",
            Code::Template => "template",
            Code::Theme => "theme",
            Code::TooBig => "too-big",
            Code::Translation => "translation",
            Code::TranslationBehind => "translation-behind",
            Code::UnprefixedLink => "unprefixed-link",
            Code::Yaml => "yaml",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The text of a file a diagnostic points into; shared so that many diagnostics on one
/// file don't copy it.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path as the user should read it: relative to the site folder where possible.
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// One finding about the user's site.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable name for tools (`--format json`) and tests.
    pub code: Code,
    /// The file the finding is about (relative to the site where possible).
    pub file: Option<PathBuf>,
    /// The file's text, when we can show the offending line.
    pub source: Option<Arc<str>>,
    /// Byte range into `source`.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: None,
            source: None,
            span: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at `span` (byte offsets) inside `source`, which also names the file.
    pub fn at(mut self, source: &SourceText, span: Range<usize>) -> Self {
        let text = &source.text;
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        let end = floor(span.end.max(start));
        self.file = Some(source.path.clone());
        self.source = Some(source.text.clone());
        self.span = Some(start..end);
        self
    }

    /// A character that pages, feeds and calendars cannot carry (XML forbids it),
    /// at the place in the file that holds it.
    pub fn forbidden_character(source: &SourceText, span: Range<usize>, c: char) -> Self {
        Diagnostic::error(
            Code::ControlCharacter,
            format!(
                "U+{:04X} is a control character that no web page, feed or calendar may contain",
                u32::from(c)
            ),
        )
        .at(source, span)
        .with_help(
            "delete it (it is invisible in most editors; it often comes from copy and paste)",
        )
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column of the start of the span, counted in characters.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (text, span) = (self.source.as_ref()?, self.span.as_ref()?);
        Some(line_col(text, span.start))
    }

    /// Renders the diagnostic for a terminal, or for a log when `color` is false.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_context_lines(1)
            .with_width(120)
            .with_wrap_lines(false);
        let mut out = String::new();
        let shown = Shown::new(self);
        if handler.render_report(&mut out, &shown).is_err() {
            out = format!("{self}\n");
        }
        out
    }
}

/// 1-based (line, column) of a byte offset, the column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Byte offset of the start of a 1-based line (clamped to the text).
pub fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

impl fmt::Display for Diagnostic {
    /// One line, `file:line:col: severity: message`, as compilers print for editors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some((line, col)) = self.line_col() {
                write!(f, ":{line}:{col}")?;
            }
            write!(f, ": ")?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Adapter that lets miette draw a `Diagnostic`, with the file's text as its source.
struct Shown<'a> {
    diag: &'a Diagnostic,
    source: Option<NamedSource<Arc<str>>>,
}

impl<'a> Shown<'a> {
    fn new(diag: &'a Diagnostic) -> Self {
        let source = match (&diag.file, &diag.source) {
            (Some(file), Some(text)) => {
                Some(NamedSource::new(file.display().to_string(), text.clone()))
            }
            _ => None,
        };
        Shown { diag, source }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Shown<'_> {
    /// The headline. With a snippet, miette prints `file:line:col` above the code, so
    /// the headline carries only the message; without one it names the file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diag;
        match (&d.file, self.source.is_some() && d.span.is_some()) {
            (Some(file), false) => write!(f, "{}: {}", file.display(), d.message),
            _ => write!(f, "{}", d.message),
        }
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    /// `hearth::front-matter`, as rustc shows `error[E0425]`: the name to look up in
    /// docs/diagnostics.md.
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("hearth::{}", self.diag.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let span = self.diag.span.as_ref()?;
        let len = span.end.saturating_sub(span.start);
        let label =
            LabeledSpan::new_with_span(Some("here".into()), SourceSpan::from((span.start, len)));
        Some(Box::new(std::iter::once(label)))
    }
}

/// Everything a stage found: errors stop the build from writing, warnings do not.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file and position so that output is stable across parallel runs.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (
                a.file.as_ref(),
                a.span.as_ref().map(|s| s.start),
                &a.message,
            )
                .cmp(&(
                    b.file.as_ref(),
                    b.span.as_ref().map(|s| s.start),
                    &b.message,
                ))
        });
    }

    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

/// Suggests the closest of `candidates` to a misspelt `word`, if one is close enough to
/// be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod code_tests {
    use super::Code;

    #[test]
    fn every_code_is_explained_in_the_docs_and_nothing_else_is() {
        let docs = include_str!("../docs/diagnostics.md");
        let documented: Vec<&str> = docs
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            documented, codes,
            "docs/diagnostics.md lists every code, in order"
        );
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
