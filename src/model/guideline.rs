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
}
