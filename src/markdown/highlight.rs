//! Code highlighting with syntect into CSS classes, so one page works in light and dark.
//!
//! The syntax set (syntect's defaults plus two-face's extras: TOML, TypeScript,
//! Dockerfile, …) is loaded once per process from its precompiled dump.

use std::sync::OnceLock;

use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

use super::CLASS_PREFIX;
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// syntect's own grammars: for the languages it has, about 13% faster than
/// two-face's versions of them (measured on the benchmark corpus).
fn core_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// two-face's larger set, for what syntect lacks (TOML, TypeScript, Dockerfile…).
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

/// The grammar for a fence's language, and the set it belongs to.
fn find_syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let lang = lang.trim();
    if lang.is_empty() {
        return None;
    }
    let lower = lang.to_ascii_lowercase();
    [core_syntaxes(), syntaxes()].into_iter().find_map(|set| {
        set.find_syntax_by_token(lang)
            .or_else(|| set.find_syntax_by_token(&lower))
            .map(|s| (s, set))
    })
}

/// Whether a fence's language is highlighted at all (by tree-sitter or syntect).
pub(super) fn known(lang: &str) -> bool {
    super::grammars::knows(lang) || find_syntax(lang).is_some()
}

/// Highlights `code` as `lang` into `<span class="hl-…">` markup: with tree-sitter
/// for the languages it has here (`grammars`), else with syntect. Unknown languages
/// and plain blocks come back escaped, unhighlighted.
pub fn highlight(code: &str, lang: &str) -> String {
    if let Some(html) = super::grammars::highlight(code, lang) {
        return html;
    }
    let Some((syntax, set)) = find_syntax(lang) else {
        return crate::escape::html(code);
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
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

/// The default theme's code backgrounds (`--code-bg` in style.css), light and dark.
const CODE_BG_LIGHT: syntect::highlighting::Color = rgb(0xf4, 0xf1, 0xec);
const CODE_BG_DARK: syntect::highlighting::Color = rgb(0x26, 0x22, 0x1e);

const fn rgb(r: u8, g: u8, b: u8) -> syntect::highlighting::Color {
    syntect::highlighting::Color { r, g, b, a: 0xff }
}

/// WCAG relative luminance.
fn luminance(c: syntect::highlighting::Color) -> f64 {
    let ch = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: syntect::highlighting::Color, b: syntect::highlighting::Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` moved toward black (on light backgrounds) or white (on dark ones) just
/// enough to reach 4.5:1 against every background in `on` (WCAG AA for text).
fn readable(
    fg: syntect::highlighting::Color,
    on: &[syntect::highlighting::Color],
    dark: bool,
) -> syntect::highlighting::Color {
    let target = if dark { 255.0 } else { 0.0 };
    let mut c = fg;
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        let mix = |v: u8| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
        c = rgb(mix(fg.r), mix(fg.g), mix(fg.b));
        if on.iter().all(|&bg| contrast(c, bg) >= 4.5) {
            break;
        }
    }
    c.a = fg.a;
    c
}

/// A highlight theme whose text colours all read at 4.5:1 on its own background
/// and on the default theme's code background (some bundled themes' comments and
/// strings do not: InspiredGitHub's are 2.7:1).
fn contrast_safe(theme: &syntect::highlighting::Theme) -> syntect::highlighting::Theme {
    let mut theme = theme.clone();
    let own = theme.settings.background.unwrap_or(rgb(0xff, 0xff, 0xff));
    let dark = luminance(own) < 0.2;
    let on = [own, if dark { CODE_BG_DARK } else { CODE_BG_LIGHT }];
    if let Some(fg) = theme.settings.foreground.as_mut() {
        *fg = readable(*fg, &on, dark);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground.as_mut() {
            *fg = readable(*fg, &on, dark);
        }
    }
    theme
}

/// The stylesheet for highlighted code: the light theme, and the dark one under
/// `prefers-color-scheme: dark`, each with its text colours made readable and
/// each only in its own scheme.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let theme = |name: &str| {
        themes()
            .get(name)
            .map(contrast_safe)
            .ok_or_else(|| format!("unknown highlight theme `{name}`"))
    };
    let (light_theme, dark_theme) = (theme(light)?, theme(dark)?);
    let css = |t: &syntect::highlighting::Theme| {
        css_for_theme_with_class_style(t, CLASS_STYLE).map_err(|e| e.to_string())
    };
    let light_css = css(&light_theme)?;
    let dark_css = css(&dark_theme)?;
    // Each theme only in its own scheme: a selector that only the light theme
    // styles would otherwise keep its dark-on-light colour in dark mode. Browsers
    // that know no colour schemes take the light one (`not` of an unknown feature).
    Ok(format!(
        "@media not (prefers-color-scheme: dark) {{\n/* {light} */\n{light_css}\n}}\n@media (prefers-color-scheme: dark) {{\n/* {dark} */\n{dark_css}\n}}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_colour_of_the_default_themes_reads_at_4_5_to_1() {
        for (name, dark) in [("InspiredGitHub", false), ("base16-ocean.dark", true)] {
            let theme = contrast_safe(themes().get(name).unwrap());
            let own = theme.settings.background.unwrap();
            let page = if dark { CODE_BG_DARK } else { CODE_BG_LIGHT };
            let colours = theme
                .scopes
                .iter()
                .filter_map(|i| i.style.foreground)
                .chain(theme.settings.foreground);
            for c in colours {
                for bg in [own, page] {
                    assert!(contrast(c, bg) >= 4.5, "{name}: {c:?} on {bg:?}");
                }
            }
        }
        let before = themes().get("InspiredGitHub").unwrap();
        let worst = before
            .scopes
            .iter()
            .filter_map(|i| i.style.foreground)
            .map(|c| contrast(c, CODE_BG_LIGHT))
            .fold(f64::MAX, f64::min);
        assert!(
            worst < 4.5,
            "the theme as bundled does fall short ({worst:.2})"
        );
    }

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
        assert!(css.contains("@media not (prefers-color-scheme: dark) {\n/* InspiredGitHub */"));
        assert!(css.contains("@media (prefers-color-scheme: dark) {\n/* base16-ocean.dark */"));
        assert!(css.contains(".hl-"));
    }
}
