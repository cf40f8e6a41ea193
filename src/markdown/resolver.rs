//! The link context a text renders with: relative links resolved from the page's
//! folder against the link index, code highlighted through the environment's
//! cache, and a note of everything the text asked (so the text cache and serve can
//! tell when the rendered text still holds).

use std::path::Path;

use super::environment::Environment;
use super::link_index::{join_relative, relative_from, Asked, LinkTarget};
use super::LinkContext;
use crate::diagnostics::did_you_mean;
use crate::model::url::Lang;

/// The width of the variant a picture's `src` names (for browsers that ignore
/// `srcset`): the narrowest at least this wide.
const FALLBACK_WIDTH: u32 = 960;

/// Link context for one page: resolves relative links from its folder.
pub struct LinkResolver<'a> {
    pub env: &'a Environment,
    pub dir: &'a Path,
    /// The markdown files (site-relative) the text linked to, so a later load can
    /// tell whether the rendered text still holds when other pages appear or move.
    consulted: std::cell::RefCell<Vec<String>>,
    /// The other files and the handles it asked about (for the text cache, which
    /// outlives the build and so cannot compare whole indices).
    assets: std::cell::RefCell<Vec<String>>,
    members: std::cell::RefCell<Vec<String>>,
    blocks: std::cell::RefCell<Vec<[u8; 16]>>,
}

fn note_once(list: &std::cell::RefCell<Vec<String>>, item: &str) {
    let mut list = list.borrow_mut();
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

impl<'a> LinkResolver<'a> {
    pub fn new(env: &'a Environment, dir: &'a Path) -> Self {
        LinkResolver {
            env,
            dir,
            consulted: Default::default(),
            assets: Default::default(),
            members: Default::default(),
            blocks: Default::default(),
        }
    }

    /// The markdown files looked up, each once, in order of first use, and the
    /// other files and handles asked about.
    pub fn into_consulted(self) -> (Vec<String>, Asked) {
        let asked = Asked {
            assets: self.assets.into_inner(),
            members: self.members.into_inner(),
            blocks: self.blocks.into_inner(),
        };
        (self.consulted.into_inner(), asked)
    }
}

impl LinkContext for LinkResolver<'_> {
    fn resolve(&self, target: &str) -> Result<Option<String>, (String, Option<String>)> {
        let is_md = target.to_ascii_lowercase().ends_with(".md");
        let Some(joined) = join_relative(self.dir, target) else {
            return if is_md {
                Err((format!("`{target}` points outside the site folder"), None))
            } else {
                Ok(None)
            };
        };
        let prefixed = |path: &str| crate::config::prefixed(&self.env.links.base_path, path);
        if !is_md {
            note_once(&self.assets, &joined);
            return Ok(self.env.links.assets.get(&joined).map(|p| prefixed(p)));
        }
        note_once(&self.consulted, &joined);
        match self.env.links.pages.get(&joined) {
            Some(LinkTarget::Broken) => Ok(None),
            Some(LinkTarget::Page { draft: true, .. }) if !self.env.links.drafts_built => Err((
                format!("`{target}` is a draft, so it is not published and this link would break"),
                Some("publish it (`draft: false`) or remove the link".into()),
            )),
            Some(LinkTarget::Page { path, .. }) => Ok(Some(prefixed(path))),
            None => {
                let name = joined.rsplit('/').next().unwrap_or(&joined);
                let file_name = |c: &str| c.rsplit('/').next().unwrap_or(c).to_string();
                let mut candidates: Vec<&str> =
                    self.env.links.pages.keys().map(String::as_str).collect();
                candidates.sort();
                let names: Vec<String> = candidates.iter().map(|c| file_name(c)).collect();
                let close = candidates
                    .iter()
                    .find(|c| file_name(c) == name)
                    .copied()
                    .or_else(|| {
                        let best = did_you_mean(name, names.iter().map(String::as_str))?;
                        candidates.iter().find(|c| file_name(c) == best).copied()
                    });
                let help = close.map(|c| format!("did you mean `{}`?", relative_from(self.dir, c)));
                Err((
                    format!("`{target}` does not exist (looked for {joined})"),
                    help,
                ))
            }
        }
    }

    fn member_url(&self, handle: &str) -> Option<String> {
        note_once(&self.members, handle);
        self.env.links.members.contains(handle).then(|| {
            crate::config::prefixed(
                &self.env.links.base_path,
                &crate::model::url::member_path(Lang::SITE, handle),
            )
        })
    }

    fn base_path(&self) -> &str {
        &self.env.links.base_path
    }

    fn picture(&self, dest: &str) -> Option<super::Shown> {
        let links = &self.env.links;
        if dest.contains(['?', '#', ':']) || dest.starts_with("//") {
            return None;
        }
        let decoded = crate::escape::percent_decode(dest);
        let picture = match decoded.strip_prefix('/') {
            // A site path, with or without the base_url's prefix.
            Some(path) => links.pictures.by_dest(
                decoded
                    .strip_prefix(links.base_path.as_str())
                    .unwrap_or(path),
            ),
            None => links
                .pictures
                .by_source(&join_relative(self.dir, &decoded)?),
        }?;
        note_once(&self.assets, &picture.file);
        let url = |dest: &str| crate::config::prefixed(&links.base_path, &format!("/{dest}"));
        let srcset: Vec<(String, u32)> = picture
            .variants
            .iter()
            .map(|v| (url(&v.dest), v.width))
            .collect();
        // What a browser without srcset shows: a variant a phone and a laptop
        // both do with, not the 12 MP original.
        let src = picture
            .variants
            .iter()
            .find(|v| v.width >= FALLBACK_WIDTH)
            .or(picture.variants.last())
            .map_or_else(|| url(&picture.dest), |v| url(&v.dest));
        Some(super::Shown {
            src,
            srcset,
            width: picture.width,
            height: picture.height,
        })
    }

    fn highlight(&self, code: &str, lang: &str) -> String {
        self.env
            .highlights
            .highlight_noting(code, lang, &mut self.blocks.borrow_mut())
    }
}
