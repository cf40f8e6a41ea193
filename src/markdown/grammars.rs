//! Tree-sitter grammars for the languages a community hub's posts show most
//! (Rust, Python, JavaScript, TypeScript, shell, YAML, JSON, TOML, HTML, CSS, Go).
//!
//! Why beside syntect: syntect runs a stack of regular expressions over every line,
//! and was about 60% of a cold build; a tree-sitter parse is about 3.5 times faster
//! on the benchmark corpus's blocks (BENCHMARKS.md, "Highlighting"). syntect stays
//! for every other language.
//!
//! Tree-sitter names what it finds with its own capture names (`keyword`,
//! `function.method`); each is written as the TextMate scope a syntect theme
//! colours (`keyword`, `entity.name.function`), so `highlight.light` and
//! `highlight.dark` and the stylesheet made from them work as before.

use std::cell::RefCell;
use std::sync::OnceLock;

use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// Tree-sitter's capture names, each with the scope its text is classed as.
/// `variable` is left plain, as syntect's grammars leave most names.
const CAPTURES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("boolean", "constant.language"),
    ("comment", "comment"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "entity.name.class"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "entity.name.function.macro"),
    ("function.method", "entity.name.function"),
    ("keyword", "keyword"),
    ("label", "entity.name.label"),
    ("module", "entity.name.namespace"),
    ("namespace", "entity.name.namespace"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "support.type.property-name"),
    ("punctuation", "punctuation"),
    ("string", "string.quoted"),
    ("string.special", "string.regexp"),
    ("string.special.key", "entity.name.tag"),
    ("tag", "entity.name.tag"),
    ("tag.error", "invalid.illegal"),
    ("type", "support.type"),
    ("type.builtin", "storage.type"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// The `class="…"` of each capture, in `CAPTURES` order (syntect's class style:
/// each scope atom prefixed).
fn classes() -> &'static [String] {
    static CLASSES: OnceLock<Vec<String>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        CAPTURES
            .iter()
            .map(|(_, scope)| {
                let atoms: Vec<String> = scope
                    .split('.')
                    .map(|a| format!("{}{a}", super::CLASS_PREFIX))
                    .collect();
                atoms.join(" ")
            })
            .collect()
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Grammar {
    Rust,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Bash,
    Yaml,
    Json,
    Toml,
    Html,
    Css,
    Go,
}

const ALL: [Grammar; 12] = [
    Grammar::Rust,
    Grammar::Python,
    Grammar::JavaScript,
    Grammar::TypeScript,
    Grammar::Tsx,
    Grammar::Bash,
    Grammar::Yaml,
    Grammar::Json,
    Grammar::Toml,
    Grammar::Html,
    Grammar::Css,
    Grammar::Go,
];

impl Grammar {
    /// The grammar a fence's language names (as GitHub and syntect spell them), if
    /// tree-sitter has one here.
    fn named(lang: &str) -> Option<Grammar> {
        let lang = lang.trim().to_ascii_lowercase();
        Some(match lang.as_str() {
            "rust" | "rs" => Grammar::Rust,
            "python" | "py" | "python3" | "py3" => Grammar::Python,
            "javascript" | "js" | "jsx" | "mjs" | "cjs" | "node" => Grammar::JavaScript,
            "typescript" | "ts" | "mts" | "cts" => Grammar::TypeScript,
            "tsx" => Grammar::Tsx,
            "bash" | "sh" | "shell" | "zsh" => Grammar::Bash,
            "yaml" | "yml" => Grammar::Yaml,
            "json" => Grammar::Json,
            "toml" => Grammar::Toml,
            "html" | "htm" | "xhtml" => Grammar::Html,
            "css" => Grammar::Css,
            "go" | "golang" => Grammar::Go,
            _ => return None,
        })
    }

    /// The scope of the whole block, as syntect names it: themes have rules for one
    /// language only (`.hl-source.hl-python .hl-keyword`).
    fn scope(self) -> &'static str {
        match self {
            Grammar::Rust => "hl-source hl-rust",
            Grammar::Python => "hl-source hl-python",
            Grammar::JavaScript => "hl-source hl-js",
            Grammar::TypeScript => "hl-source hl-ts",
            Grammar::Tsx => "hl-source hl-tsx",
            Grammar::Bash => "hl-source hl-shell hl-bash",
            Grammar::Yaml => "hl-source hl-yaml",
            Grammar::Json => "hl-source hl-json",
            Grammar::Toml => "hl-source hl-toml",
            Grammar::Html => "hl-text hl-html hl-basic",
            Grammar::Css => "hl-source hl-css",
            Grammar::Go => "hl-source hl-go",
        }
    }

    /// The grammar and its queries, compiled on first use (a few milliseconds each).
    fn config(self) -> Option<&'static HighlightConfiguration> {
        static CONFIGS: [OnceLock<Option<HighlightConfiguration>>; ALL.len()] =
            [const { OnceLock::new() }; ALL.len()];
        let at = ALL.iter().position(|g| *g == self)?;
        CONFIGS[at].get_or_init(|| self.compile()).as_ref()
    }

    fn compile(self) -> Option<HighlightConfiguration> {
        use tree_sitter_javascript as js;
        use tree_sitter_typescript as ts;
        let typescript = || format!("{}\n{}", ts::HIGHLIGHTS_QUERY, js::HIGHLIGHT_QUERY);
        let (language, name, highlights, injections, locals) = match self {
            Grammar::Rust => (
                tree_sitter_rust::LANGUAGE,
                "rust",
                tree_sitter_rust::HIGHLIGHTS_QUERY.to_string(),
                tree_sitter_rust::INJECTIONS_QUERY,
                "",
            ),
            Grammar::Python => (
                tree_sitter_python::LANGUAGE,
                "python",
                tree_sitter_python::HIGHLIGHTS_QUERY.to_string(),
                "",
                "",
            ),
            Grammar::JavaScript => (
                js::LANGUAGE,
                "javascript",
                format!("{}\n{}", js::JSX_HIGHLIGHT_QUERY, js::HIGHLIGHT_QUERY),
                js::INJECTIONS_QUERY,
                js::LOCALS_QUERY,
            ),
            Grammar::TypeScript => (
                ts::LANGUAGE_TYPESCRIPT,
                "typescript",
                typescript(),
                "",
                ts::LOCALS_QUERY,
            ),
            Grammar::Tsx => (
                ts::LANGUAGE_TSX,
                "tsx",
                format!("{}\n{}", typescript(), js::JSX_HIGHLIGHT_QUERY),
                "",
                ts::LOCALS_QUERY,
            ),
            Grammar::Bash => (
                tree_sitter_bash::LANGUAGE,
                "bash",
                tree_sitter_bash::HIGHLIGHT_QUERY.to_string(),
                "",
                "",
            ),
            Grammar::Yaml => (
                tree_sitter_yaml::LANGUAGE,
                "yaml",
                tree_sitter_yaml::HIGHLIGHTS_QUERY.to_string(),
                "",
                "",
            ),
            Grammar::Json => (
                tree_sitter_json::LANGUAGE,
                "json",
                tree_sitter_json::HIGHLIGHTS_QUERY.to_string(),
                "",
                "",
            ),
            Grammar::Toml => (
                tree_sitter_toml_ng::LANGUAGE,
                "toml",
                tree_sitter_toml_ng::HIGHLIGHTS_QUERY.to_string(),
                "",
                "",
            ),
            Grammar::Html => (
                tree_sitter_html::LANGUAGE,
                "html",
                tree_sitter_html::HIGHLIGHTS_QUERY.to_string(),
                tree_sitter_html::INJECTIONS_QUERY,
                "",
            ),
            Grammar::Css => (
                tree_sitter_css::LANGUAGE,
                "css",
                tree_sitter_css::HIGHLIGHTS_QUERY.to_string(),
                "",
                "",
            ),
            Grammar::Go => (
                tree_sitter_go::LANGUAGE,
                "go",
                tree_sitter_go::HIGHLIGHTS_QUERY.to_string(),
                "",
                "",
            ),
        };
        let mut config =
            HighlightConfiguration::new(language.into(), name, &highlights, injections, locals)
                .ok()?;
        let names: Vec<&str> = CAPTURES.iter().map(|(name, _)| *name).collect();
        config.configure(&names);
        Some(config)
    }
}

/// Past these, a block goes to syntect. Tree-sitter's error recovery on unclosed
/// brackets grows faster than the block (200,000 `(` took 29 s, where syntect
/// takes 0.2 s), and an external scanner that keeps a stack (Python's indentation)
/// must stay within the 1 KB of state tree-sitter keeps for it, or the process
/// aborts. YAML's scanner keeps 4 bytes for each open block, at most two blocks
/// per column (a map and a sequence at its indent): lines of at most
/// `MAX_YAML_LINE` columns keep it under 1 KB, however the blocks nest.
const MAX_BYTES: usize = 256 * 1024;
const MAX_DEPTH: usize = 128;
const MAX_INDENT: usize = 160;
const MAX_YAML_LINE: usize = 100;

/// Whether a block is safe to give tree-sitter: not too big, not nested or
/// indented too deep (brackets, and HTML's open tags).
fn tame(code: &str, grammar: Grammar) -> bool {
    if code.len() > MAX_BYTES {
        return false;
    }
    let indented = |line: &str| line.len() - line.trim_start().len() > MAX_INDENT;
    if code.lines().any(indented) {
        return false;
    }
    if grammar == Grammar::Yaml && code.lines().any(|l| l.chars().count() > MAX_YAML_LINE) {
        return false;
    }
    // Each kind of bracket counts on its own: `(]` repeated leaves every `(` open.
    let bytes = code.as_bytes();
    let mut depth = [0usize; 4];
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let html = grammar == Grammar::Html;
        let (kind, opens) = match b {
            b'(' => (0, true),
            b')' => (0, false),
            b'[' => (1, true),
            b']' => (1, false),
            b'{' => (2, true),
            b'}' => (2, false),
            b'<' if html && next.is_ascii_alphabetic() => (3, true),
            b'<' if html && next == b'/' => (3, false),
            b'/' if html && next == b'>' => (3, false),
            _ => continue,
        };
        if opens {
            depth[kind] += 1;
            if depth[kind] > MAX_DEPTH {
                return false;
            }
        } else {
            depth[kind] = depth[kind].saturating_sub(1);
        }
    }
    true
}

/// The grammar for a language embedded in a block: only HTML's `<script>` and
/// `<style>` and Rust's macro bodies. Each is one stretch of the block, so the
/// limits `tame` checked on the whole block hold for it. JavaScript's tagged
/// templates (`yaml\`…\``) are not taken: they name any language and join all
/// their pieces into one text, for which those limits say nothing (a YAML template
/// of nested `- ` aborted the process, as a YAML block did).
fn injected(outer: Grammar, name: &str) -> Option<Grammar> {
    let inner = Grammar::named(name)?;
    let allowed = match outer {
        Grammar::Html => matches!(inner, Grammar::JavaScript | Grammar::Css),
        Grammar::Rust => inner == Grammar::Rust,
        _ => false,
    };
    allowed.then_some(inner)
}

/// Whether tree-sitter highlights this fence language.
pub fn knows(lang: &str) -> bool {
    Grammar::named(lang).is_some()
}

/// `code` highlighted into `<span class="hl-…">` markup, or None when no grammar
/// here takes `lang` (or tree-sitter gives up), so syntect can try.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let grammar = Grammar::named(lang)?;
    if !tame(code, grammar) {
        return None;
    }
    let config = grammar.config()?;
    thread_local! {
        // A parser per thread: highlighting runs on every rayon worker.
        static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
    }
    HIGHLIGHTER.with(|cell| {
        let mut highlighter = cell.try_borrow_mut().ok()?;
        let events = highlighter
            .highlight(config, code.as_bytes(), None, None, |name| {
                injected(grammar, name).and_then(Grammar::config)
            })
            .ok()?;
        let classes = classes();
        let mut html = String::with_capacity(code.len() * 2);
        html.push_str("<span class=\"");
        html.push_str(grammar.scope());
        html.push_str("\">");
        let mut open = 0usize;
        for event in events {
            match event.ok()? {
                HighlightEvent::Source { start, end } => {
                    html.push_str(&crate::escape::html(code.get(start..end)?));
                }
                HighlightEvent::HighlightStart(h) => {
                    html.push_str("<span class=\"");
                    html.push_str(classes.get(h.0)?);
                    html.push_str("\">");
                    open += 1;
                }
                HighlightEvent::HighlightEnd => {
                    html.push_str("</span>");
                    open = open.saturating_sub(1);
                }
            }
        }
        html.push_str("</span>");
        (open == 0).then_some(html)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_and_its_queries_compile() {
        for g in ALL {
            assert!(g.config().is_some(), "{g:?}");
        }
    }

    #[test]
    fn rust_is_classed_with_the_scopes_syntect_themes_colour() {
        let html = highlight("fn main() { let s = \"hi\"; }\n", "rust").unwrap();
        assert!(
            html.starts_with("<span class=\"hl-source hl-rust\">"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-keyword\">fn</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-entity hl-name hl-function\">main</span>"),
            "{html}"
        );
        assert!(html.contains("hl-string hl-quoted"), "{html}");
    }

    #[test]
    fn text_is_escaped_and_kept_whole() {
        let code = "if a < b && c > \"d\" { x(); } // <script>\n";
        let html = highlight(code, "js").unwrap();
        assert!(!html.contains("<script>"), "{html}");
        let text = html
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
            .collect::<String>();
        assert_eq!(
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
            code
        );
    }

    #[test]
    fn html_highlights_the_script_and_style_inside_it() {
        let html = highlight(
            "<style>p { color: red; }</style><script>let x = 1;</script>\n",
            "html",
        )
        .unwrap();
        assert!(html.contains(">let</span>"), "{html}");
        assert!(html.contains(">color</span>"), "{html}");
    }

    #[test]
    fn hostile_blocks_go_to_syntect_instead_of_hanging_or_aborting() {
        let deep = |open: &str, n: usize| open.repeat(n);
        for (code, lang) in [
            (deep("(", 20_000), "rust"),
            (deep("[", 20_000), "js"),
            (deep("{", 20_000), "python"),
            (deep("$(", 20_000), "bash"),
            (deep("<div>", 20_000), "html"),
            (deep("[", 20_000), "json"),
            (deep("(]", 20_000), "rust"),
            (
                (0..600)
                    .map(|i| format!("{}if x:\n", " ".repeat(i)))
                    .collect(),
                "python",
            ),
            (deep("- ", 5_000), "yaml"),
            ("x".repeat(MAX_BYTES + 1), "rust"),
        ] {
            assert!(highlight(&code, lang).is_none(), "{lang}");
            // syntect takes them (or leaves them plain), and returns.
            let html = super::super::highlight::highlight(&code, lang);
            assert!(html.len() >= code.len(), "{lang}");
        }
        // YAML nested as deep as a line allows, every way: within 1 KB of state.
        let seqs = format!("{}x\n", "- ".repeat(MAX_YAML_LINE / 2 - 1));
        let maps: String = (0..MAX_YAML_LINE / 2 - 1)
            .map(|i| format!("{}a:\n{}- b:\n", "  ".repeat(i), "  ".repeat(i)))
            .collect();
        let mixed = format!("{}a: {}x\n", "- ".repeat(24), "- b: ".repeat(9));
        for code in [seqs, maps, mixed] {
            assert!(highlight(&code, "yaml").is_some(), "{code}");
        }
        // The same YAML as a JavaScript tagged template: the block is highlighted
        // as JavaScript, the template is not parsed as YAML (it aborted).
        let tagged = format!("const x = yaml`{}x`;\n", deep("- ", 5_000));
        assert!(highlight(&tagged, "js").is_some());
        let nested = format!("{}{}", "(".repeat(100), ")".repeat(100));
        assert!(highlight(&nested, "rust").is_some());
        assert!(highlight("<ul><li><a href=x>a</a></li></ul>\n", "html").is_some());
    }

    #[test]
    fn yaml_of_random_block_structure_never_aborts() {
        // Tokens that open, close and nest YAML blocks, in lines of up to the limit.
        const TOKENS: [&str; 16] = [
            "- ", "? ", ": ", "a", "  ", " ", "\n", "[", "]", "{", "}", "|\n", ">-\n", "'", "\"",
            "#",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let cases: usize = std::env::var("HEARTH_YAML_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(300);
        for _ in 0..cases {
            let mut code = String::new();
            let mut line = 0;
            for _ in 0..400 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let token = TOKENS[(seed >> 33) as usize % TOKENS.len()];
                if line + token.len() > MAX_YAML_LINE {
                    code.push('\n');
                    line = 0;
                }
                code.push_str(token);
                line = if token.ends_with('\n') {
                    0
                } else {
                    line + token.len()
                };
            }
            let _ = highlight(&code, "yaml");
        }
    }

    #[test]
    fn other_languages_are_left_to_syntect() {
        assert!(highlight("SELECT 1;", "sql").is_none());
        assert!(knows("TypeScript") && knows("yml") && !knows("ruby"));
    }
}
