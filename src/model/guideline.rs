//! A guideline page (`guidelines/*.md`): rules numbered and citable by URL, with its
//! version history.

use serde::{Deserialize, Deserializer, Serialize};

use super::date::Date;
use super::page::{Content, Rule};
use crate::diagnostics::SourceText;

/// `version: "2.1"` or `version: 2.1`: both mean the text "2.1".
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Version(pub String);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            I(i64),
            F(f64),
        }
        Ok(Version(match Raw::deserialize(d)? {
            Raw::S(s) => s,
            Raw::I(i) => i.to_string(),
            Raw::F(f) => f.to_string(),
        }))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub version: Option<Version>,
    pub date: Date,
    pub note: String,
}

/// Front matter of a guideline, exactly the keys SPEC §1 lists.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct GuidelineMeta {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub version: Option<Version>,
    pub effective: Option<Date>,
    pub reviewed: Option<Date>,
    pub order: Option<i64>,
    #[serde(default)]
    pub changes: Vec<Change>,
    /// In a translation (`code-of-conduct.fr.md`): the version of the original it
    /// translates (SPEC §5).
    pub translates: Option<Version>,
}

#[derive(Debug, Clone)]
pub struct Guideline {
    pub slug: String,
    pub title: String,
    /// Site path ("/guidelines/code-of-conduct/").
    pub path: String,
    pub meta: GuidelineMeta,
    pub source: SourceText,
    pub body_start: usize,
    pub front_matter: std::ops::Range<usize>,
    pub content: Content,
    pub rules: Vec<Rule>,
    /// The language of `languages` this text is in; `None` for the default one.
    pub translation: Option<String>,
    /// A translation that follows an older version of the original (SPEC §5).
    pub behind: Option<Behind>,
}

/// What a translation's notice says: "This translation follows version 2.1; the
/// current version is 2.3", with a link to the original.
#[derive(Debug, Clone, Serialize)]
pub struct Behind {
    pub follows: String,
    pub current: String,
    /// The original's site path (at the root).
    pub original: String,
}
