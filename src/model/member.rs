//! A member profile (`members/HANDLE.md`): who they are and their answers to the
//! community's welcome questions.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::date::Date;
use crate::diagnostics::SourceText;

/// A labelled outside link on a profile (http/https only).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileLink {
    pub label: String,
    pub url: String,
}

/// Front matter of a member file, exactly the keys SPEC §1 lists.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberMeta {
    pub name: Option<String>,
    pub pronouns: Option<String>,
    pub role: Option<String>,
    pub joined: Option<Date>,
    pub avatar: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub links: Vec<ProfileLink>,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// `false`: no share buttons on this profile.
    #[serde(default = "yes")]
    pub share: bool,
    /// `false`: this member stays out of the promotion kit.
    #[serde(default = "yes")]
    pub promote: bool,
}

fn yes() -> bool {
    true
}

/// Where a member's picture comes from.
#[derive(Debug, Clone)]
pub enum Avatar {
    /// A file copied into the output at `url_path` (a site path).
    File {
        source: PathBuf,
        url_path: String,
        /// What is published and drawn on cards: the file, size-checked, and for SVG
        /// rewritten without anything active.
        bytes: std::sync::Arc<Vec<u8>>,
    },
    /// No picture: initials on a colour derived from the handle.
    Placeholder { initials: String, hue: u16 },
}

#[derive(Debug, Clone)]
pub struct Member {
    /// The file name: unique, lowercase, `[a-z0-9-]+`.
    pub handle: String,
    pub name: String,
    pub meta: MemberMeta,
    pub source: SourceText,
    pub body_start: usize,
    pub front_matter: std::ops::Range<usize>,
    /// Site path of the profile ("/members/ada/").
    pub path: String,
    pub avatar: Avatar,
    /// The bio as HTML (sanitized when `members.sanitize` is on).
    pub bio_html: String,
    /// Plain text of the bio's first paragraph.
    pub bio_lead: String,
}

/// `members/ada.fr.md`: a member's bio and answers in one of `languages`; the
/// rest of the profile is the member's one profile (SPEC §5).
#[derive(Debug, Clone)]
pub struct MemberText {
    pub handle: String,
    pub code: String,
    pub source: SourceText,
    pub body_start: usize,
    pub front_matter: std::ops::Range<usize>,
    pub answers: BTreeMap<String, String>,
}

/// Whether a handle is valid: lowercase letters, digits and hyphens.
pub fn is_valid_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// "Ada Lovelace" → "AL"; one name gives its first two letters.
pub fn initials(name: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    // Graphemes, not chars: "नमस्ते" starts with "न", "🧑‍💻" is one picture.
    let first = |w: &str, n: usize| w.graphemes(true).take(n).collect::<String>();
    let words: Vec<&str> = name.split_whitespace().collect();
    let letters: String = match words.as_slice() {
        [] => "?".into(),
        [one] => first(one, 2),
        [head, .., last] => first(head, 1) + &first(last, 1),
    };
    letters.to_uppercase()
}

/// A stable hue (0–359) from a handle, so a placeholder keeps its colour.
pub fn hue(handle: &str) -> u16 {
    let h = handle.bytes().fold(2166136261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16777619)
    });
    (h % 360) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_lowercase_ascii_words() {
        assert!(is_valid_handle("ada-l0velace"));
        assert!(!is_valid_handle("Ada"));
        assert!(!is_valid_handle("ada_l"));
        assert!(!is_valid_handle(""));
    }

    #[test]
    fn initials_come_from_first_and_last_name() {
        assert_eq!(initials("Ada King Lovelace"), "AL");
        assert_eq!(initials("zoë"), "ZO");
        assert_eq!(initials("  "), "?");
        assert_eq!(initials("佐藤 雪"), "佐雪");
        assert_eq!(initials("Zoë́ Ng"), "ZN");
        assert_eq!(initials("🧑‍💻 Kim"), "🧑‍💻K");
        assert_eq!(initials("नमस्ते"), "नम");
    }
}
