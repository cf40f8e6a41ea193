//! `images:` of site.yaml (SPEC §6): the widths, format and quality of the
//! variants hearth makes of every picture a page or bio shows.

use serde::Deserialize;

/// The narrowest and widest variant a site may ask for: narrower is an icon, not
/// a picture to make responsive; wider than any screen needs.
pub const WIDTHS: std::ops::RangeInclusive<u32> = 16..=8192;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    #[serde(default)]
    pub format: ImageFormat,
    #[serde(default = "default_quality")]
    pub quality: u8,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: default_widths(),
            format: ImageFormat::default(),
            quality: default_quality(),
        }
    }
}

impl ImagesConfig {
    /// What is wrong with the values, with the key it is under, for site.yaml's
    /// errors.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(w) = self.widths.iter().find(|w| !WIDTHS.contains(w)) {
            out.push((
                "widths",
                format!(
                    "`widths` has {w}; a variant is {} to {} pixels wide",
                    WIDTHS.start(),
                    WIDTHS.end()
                ),
            ));
        }
        if self.widths.is_empty() {
            out.push((
                "widths",
                "`widths` is empty; give at least one width, as `[480, 960, 1600]`".into(),
            ));
        }
        if !(1..=100).contains(&self.quality) {
            out.push((
                "quality",
                format!("`quality: {}` is not 1 to 100", self.quality),
            ));
        }
        out
    }
}

pub use crate::images::plan::Format as ImageFormat;

fn default_widths() -> Vec<u32> {
    vec![480, 960, 1600]
}

fn default_quality() -> u8 {
    80
}
