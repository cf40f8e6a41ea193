//! `languages:` of site.yaml (SPEC §5): each language's code, in site.yaml's
//! order, with what the site says of itself in it.

use serde::Deserialize;

use super::MenuItem;

/// `languages:` as site.yaml lists them: in its order (the switcher's), each code
/// once.
#[derive(Debug, Clone, Default)]
pub struct LanguageMap(Vec<(String, LanguageConfig)>);

impl LanguageMap {
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(code, _)| code)
    }

    pub fn values(&self) -> impl Iterator<Item = &LanguageConfig> {
        self.0.iter().map(|(_, l)| l)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &LanguageConfig)> {
        self.0.iter().map(|(code, l)| (code, l))
    }
}

impl<'de> Deserialize<'de> for LanguageMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LanguageMap;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of language codes, e.g. `fr: { title: Les Makers Rust }`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LanguageMap, A::Error> {
                let mut list: Vec<(String, LanguageConfig)> = Vec::new();
                while let Some((code, config)) = map.next_entry::<String, LanguageConfig>()? {
                    if list.iter().any(|(c, _)| *c == code) {
                        return Err(serde::de::Error::custom(format!(
                            "the language `{code}` is listed twice"
                        )));
                    }
                    list.push((code, config));
                }
                Ok(LanguageMap(list))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// One of `languages`: what the site says of itself in that language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub menu: Option<Vec<MenuItem>>,
}

/// Whether `language` looks like a BCP 47 tag (`en`, `pt-BR`, `zh-Hant-TW`).
pub fn is_language_tag(language: &str) -> bool {
    let mut parts = language.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
