//! Code highlighting with syntect into CSS classes, so one page works in light and dark.
//!
//! The syntax set (syntect's defaults plus two-face's extras: TOML, TypeScript,
//! Dockerfile, …) is loaded once per process from its precompiled dump.

use std::sync::OnceLock;

use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

/// Classes are prefixed so they never collide with a theme's own CSS.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn themes() -> &'static LazyThemeSet {
    static SET: OnceLock<LazyThemeSet> = OnceLock::new();
    SET.get_or_init(|| LazyThemeSet::from(two_face::theme::extra()))
}

/// Names accepted by `highlight.light` and `highlight.dark`.
pub fn theme_names() -> Vec<String> {
    themes().theme_names().map(str::to_string).collect()
}

fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let lang = lang.trim();
    if lang.is_empty() {
        return None;
    }
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_token(&lang.to_ascii_lowercase()))
}

/// Highlights `code` as `lang` into `<span class="hl-…">` markup. Unknown languages
/// and plain blocks come back escaped, unhighlighted.
pub fn highlight(code: &str, lang: &str) -> String {
    let Some(syntax) = find_syntax(lang) else {
        return crate::escape::html(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return crate::escape::html(code);
        }
    }
    gen.finalize()
}

/// The stylesheet for highlighted code: the light theme, and the dark one under
/// `prefers-color-scheme: dark`.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let css_for = |name: &str| {
        let theme = themes()
            .get(name)
            .ok_or_else(|| format!("unknown highlight theme `{name}`"))?;
        css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|e| e.to_string())
    };
    let light_css = css_for(light)?;
    let dark_css = css_for(dark)?;
    Ok(format!(
        "/* {light} */\n{light_css}\n@media (prefers-color-scheme: dark) {{\n/* {dark} */\n{dark_css}\n}}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_is_highlighted_into_prefixed_classes() {
        let html = highlight("fn main() {}\n", "rust");
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("main"));
    }

    #[test]
    fn toml_and_typescript_are_known() {
        assert!(highlight("a = 1\n", "toml").contains("hl-"));
        assert!(highlight("let a: number = 1;\n", "ts").contains("hl-"));
    }

    #[test]
    fn unknown_language_is_escaped_not_highlighted() {
        assert_eq!(highlight("<b>\n", "nosuchlang"), "&lt;b&gt;\n");
    }

    #[test]
    fn stylesheet_has_both_schemes() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(".hl-"));
    }
}
