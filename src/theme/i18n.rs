//! The theme's own words (SPEC §5): menus it generates, "Members", "Search",
//! month and weekday names. English is compiled in and complete; a language's
//! words come from the theme's `i18n/CODE.yaml`, overridden key by key by the
//! site's `i18n/CODE.yaml`. A word a language lacks is a warning naming the
//! language and the key, and the English word is shown. A site without
//! `languages` speaks the theme's English as before.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, SourceText};
use crate::model::{folders, Site};

/// The built-in theme's words, by language: only languages whose words someone
/// on the team can vouch for.
const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../../themes/hearth/i18n/en.yaml")),
    ("fr", include_str!("../../themes/hearth/i18n/fr.yaml")),
    ("ar", include_str!("../../themes/hearth/i18n/ar.yaml")),
];

/// Words by key.
pub type Words = BTreeMap<String, String>;

/// The words of `site`'s language (its edition's), with what went wrong reading
/// them.
pub fn words(site: &Site, theme_dir: Option<&Path>) -> (Words, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut english = parse_builtin("en");
    if let Some(dir) = theme_dir {
        if let Some(theirs) = read(&site.root, &dir.join("i18n/en.yaml"), &mut problems) {
            english.extend(theirs);
        }
    }
    if site.config.languages.is_none() {
        return (english, problems);
    }
    let code = site.lang.as_deref().unwrap_or(&site.config.language);
    let mut own = Words::new();
    match theme_dir {
        Some(dir) => own.extend(
            read(
                &site.root,
                &dir.join(format!("i18n/{code}.yaml")),
                &mut problems,
            )
            .unwrap_or_default(),
        ),
        None => own.extend(parse_builtin(code)),
    }
    let site_file = site.root.join(folders::I18N).join(format!("{code}.yaml"));
    own.extend(read(&site.root, &site_file, &mut problems).unwrap_or_default());
    // A language is named in itself, never in English.
    own.entry("language_name".to_string())
        .or_insert_with(|| crate::model::languages::autonym(code));
    let missing: Vec<&str> = english
        .keys()
        .filter(|k| !own.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().take(12).map(|k| format!("`{k}`")).collect();
        let more = match missing.len() > shown.len() {
            true => format!(" and {} more", missing.len() - shown.len()),
            false => String::new(),
        };
        problems.push(
            Diagnostic::warning(
                Code::MissingWord,
                format!(
                    "the theme has no `{code}` word for {}{more}: they are shown in English",
                    shown.join(", ")
                ),
            )
            .in_file(format!("{}/{code}.yaml", folders::I18N))
            .with_help(format!(
                "add them to {}/{code}.yaml at the site's root (the English ones are in the theme's i18n/en.yaml)",
                folders::I18N
            )),
        );
    }
    let mut words = english;
    words.extend(own);
    (words, problems)
}

/// The built-in theme's English words.
pub fn english() -> Words {
    parse_builtin("en")
}

fn parse_builtin(code: &str) -> Words {
    BUILTIN
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .and_then(|(c, text)| {
            let source = SourceText {
                path: format!("(built-in theme) i18n/{c}.yaml").into(),
                text: (*text).into(),
            };
            crate::yaml::Document::whole(&source)
                .parse("i18n words")
                .ok()
        })
        .unwrap_or_default()
}

/// A words file, when there is one; a broken one is an error at its line.
fn read(root: &Path, file: &Path, problems: &mut Vec<Diagnostic>) -> Option<Words> {
    if !file.is_file() {
        return None;
    }
    let source = match crate::load::source::read(root, file) {
        Ok(s) => s,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    match crate::yaml::Document::whole(&source).parse::<Words>("i18n words (key: word)") {
        Ok(w) => Some(w),
        Err(d) => {
            problems.push(d);
            None
        }
    }
}

/// The month and weekday names a date is written with in `words`, for the
/// `date` filter: `%B`, `%b`, `%A` and `%a` become these words.
pub fn date_words(words: &Words) -> crate::model::date::Names {
    let get = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .map(|k| words.get(*k).cloned().unwrap_or_default())
            .collect()
    };
    crate::model::date::Names {
        months: get(&[
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]),
        months_short: get(&[
            "jan",
            "feb",
            "mar",
            "apr",
            "may_short",
            "jun",
            "jul",
            "aug",
            "sep",
            "oct",
            "nov",
            "dec",
        ]),
        weekdays: get(&[
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]),
        weekdays_short: get(&["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    }
}
