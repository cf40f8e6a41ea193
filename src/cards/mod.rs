//! Promotion cards: a 1200×630 PNG for everything worth sharing, from the theme's
//! `cards/card.svg` (a Tera template) through resvg, cached by a hash of everything
//! that went into it so an unchanged card is never rendered twice.

mod glyphs;
mod plan;
pub mod raster;
mod svg_text;
pub mod text;

use crate::output::FileCache;
pub use plan::{page_card, plan, CardAvatar, CardJob, CardPlan, CardWords};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::Engine;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::images::{photo, resize};
use crate::model::site::Asset;
use crate::model::Site;
use crate::output::{Body, Output};
use crate::theme::Templates;
use raster::Fonts;
use text::{Block, Style};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// The card template's name; a site overrides it with `templates/cards/card.svg`.
pub const TEMPLATE: &str = "cards/card.svg";
/// The folder of `.hearth-cache` where rendered cards are kept between builds.
pub const CACHE_DIR: &str = "cards";
/// Bump when the rendering changes in a way the inputs do not show.
const CACHE_VERSION: &str = "hearth-card-5";
/// Social networks reject bigger images; warn well before.
const MAX_BYTES: usize = 1024 * 1024;

/// How many cards a build drew and how many it took from the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct CardStats {
    pub rendered: usize,
    pub cached: usize,
}

impl CardStats {
    /// Counts another edition's cards too.
    pub fn add(&mut self, other: CardStats) {
        self.rendered += other.rendered;
        self.cached += other.cached;
    }
}

#[derive(Serialize)]
struct CardAvatarView {
    href: Option<String>,
    initials: String,
    hue: u16,
    color: String,
}

#[derive(Serialize)]
struct CardView<'a> {
    width: u32,
    height: u32,
    kind: &'a str,
    kicker: String,
    title_lines: Vec<String>,
    /// The title reads right to left: set it right-aligned at `text_right`.
    title_rtl: bool,
    title_size: u32,
    title_y: u32,
    title_leading: u32,
    subtitle_lines: Vec<String>,
    subtitle_rtl: bool,
    subtitle_y: u32,
    /// The left and right edges of the text column (left of the avatar, if any).
    text_left: u32,
    text_right: u32,
    site_name: String,
    /// A data URI of the site's logo, shown before the site name.
    logo: Option<String>,
    url_text: String,
    accent: &'a str,
    avatar: Option<CardAvatarView>,
    avatar_x: u32,
}

/// What every card of a build shares: the fonts that lay text out, the site's
/// logo, the template's source (for cache keys). Made once per build.
struct Kit<'f> {
    layout: &'f text::TextLayout,
    /// `static/logo.svg` or `static/logo.png` as a data URI, when the site has one.
    logo: Option<String>,
    /// The part of every card's cache key that is the same for the whole site
    /// (the template alone is kilobytes: hashed once, not once a card).
    key_base: blake3::Hasher,
    /// Each photo avatar's square crop at the size a card shows it, made once
    /// for all the cards that show it (a 12 MP photo decoded for every card was
    /// a tenth of a second each).
    avatars: HashMap<PathBuf, OnceLock<Option<String>>>,
}

/// The size (pixels) a card draws an avatar at (card.svg's circle).
const CARD_AVATAR: u32 = 220;

/// The static files a site's logo can be, the first found drawn on its cards.
const LOGOS: [&str; 2] = ["logo.svg", "logo.png"];

/// What cards take from the site: its settings, its folder and the static files a
/// logo can be. Small enough to copy, so serve draws a card with no lock held.
#[derive(Debug, Clone)]
pub struct CardSite {
    pub config: Config,
    pub root: std::path::PathBuf,
    logos: Vec<Asset>,
}

impl CardSite {
    pub fn of(site: &Site) -> CardSite {
        CardSite {
            config: site.config.clone(),
            root: site.root.clone(),
            logos: site
                .assets
                .iter()
                .filter(|a| LOGOS.contains(&a.dest.as_str()))
                .cloned()
                .collect(),
        }
    }
}

/// The site's logo for cards: `logo.svg` or `logo.png` at the root of static/.
fn site_logo(site: &CardSite) -> Option<String> {
    LOGOS.iter().find_map(|name| {
        let asset = site.logos.iter().find(|a| a.dest == *name)?;
        let bytes = crate::site_fs::read(&site.root, &asset.source).ok()?;
        // resvg runs nothing an SVG carries; a raster logo's size is checked before
        // anything decodes it.
        if !name.ends_with(".svg") {
            crate::images::check_raster(&bytes).ok()?;
        }
        let mime = if name.ends_with(".svg") {
            "image/svg+xml"
        } else {
            "image/png"
        };
        Some(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    })
}

const fn bold(px: f32) -> Style {
    Style { px, bold: true }
}

const fn regular(px: f32) -> Style {
    Style { px, bold: false }
}

/// The card's URL line: the site's host and the page's path, without a scheme.
fn url_text(site: &CardSite, page_path: &str) -> String {
    let host = site
        .config
        .origin()
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    format!("{host}{}", site.config.url(page_path))
        .trim_end_matches('/')
        .to_string()
}

/// Lays out a card: wraps title and subtitle by their shaped width in the fonts
/// that draw them; a title takes two lines at 68 px or three at 56 px.
fn layout<'a>(site: &'a CardSite, job: &'a CardJob, kit: &Kit, page_path: &str) -> CardView<'a> {
    let t = kit.layout;
    let margin = 80;
    let avatar_size = 220;
    let avatar_x = WIDTH - margin - avatar_size;
    let text_right = if job.avatar.is_some() {
        avatar_x - 50
    } else {
        WIDTH - margin
    };
    let text_width = (text_right - margin) as f32;
    let two = t.wrap(&job.title, bold(68.0), text_width, 3);
    let (title, title_size) = if two.lines.len() <= 2 {
        (two, 68)
    } else {
        (t.wrap(&job.title, bold(56.0), text_width, 3), 56)
    };
    let title_leading = title_size * 115 / 100;
    let title_y = if job.kicker.is_empty() { 180 } else { 200 };
    let last_title = title_y + (title.lines.len().max(1) as u32 - 1) * title_leading;
    let subtitle = if job.subtitle.trim().is_empty() {
        Block::default()
    } else {
        let lines = if title.lines.len() > 2 { 1 } else { 2 };
        t.wrap(&job.subtitle, regular(32.0), text_width, lines)
    };
    let first_line = |b: Block| b.lines.into_iter().next().unwrap_or_default();
    let kicker = first_line(t.wrap(&job.kicker, bold(26.0), text_width, 1));
    // Break the URL only after a slash, never inside a word.
    let url = url_text(site, page_path).replace('/', "/\u{200b}");
    let url_text = first_line(t.wrap(&url, regular(26.0), 520.0, 1)).replace('\u{200b}', "");
    let site_name = first_line(t.wrap(&site.config.title, bold(30.0), 480.0, 1));
    CardView {
        width: WIDTH,
        height: HEIGHT,
        kind: job.kind,
        kicker,
        title_lines: title.lines,
        title_rtl: title.rtl,
        title_size,
        title_y,
        title_leading,
        subtitle_lines: subtitle.lines,
        subtitle_rtl: subtitle.rtl,
        subtitle_y: last_title + 66,
        text_left: margin,
        text_right,
        site_name,
        logo: kit.logo.clone(),
        url_text,
        accent: &site.config.cards.accent,
        avatar: job.avatar.as_ref().map(|a| avatar_view(a, kit)),
        avatar_x,
    }
}

/// A photo avatar cropped square at the card's size, as a PNG data URI.
fn card_crop(bytes: &[u8]) -> Option<String> {
    let picture = resize::decode(bytes, photo::PICTURE_LIMITS).ok()?;
    let side = CARD_AVATAR.min(picture.width()).min(picture.height());
    let png = resize::encode(&picture, side, side, true, resize::Encoding::Png, 100).ok()?;
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

fn avatar_view(a: &CardAvatar, kit: &Kit) -> CardAvatarView {
    match a {
        CardAvatar::File(path, bytes) => {
            if let Some(href) = kit
                .avatars
                .get(path)
                .and_then(|cell| cell.get_or_init(|| card_crop(bytes)).clone())
            {
                return CardAvatarView {
                    href: Some(href),
                    initials: String::new(),
                    hue: 0,
                    color: String::new(),
                };
            }
            let mime = match path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("png") => "image/png",
                Some("jpg" | "jpeg") => "image/jpeg",
                Some("gif") => "image/gif",
                Some("webp") => "image/webp",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            let href = Some(format!(
                "data:{mime};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes.as_slice())
            ));
            CardAvatarView {
                href,
                initials: String::new(),
                hue: 0,
                color: String::new(),
            }
        }
        CardAvatar::Initials { initials, hue } => CardAvatarView {
            href: None,
            initials: initials.clone(),
            hue: *hue,
            color: hsl_hex(*hue, 0.55, 0.42),
        },
    }
}

/// An HSL colour as `#rrggbb` (resvg reads hex everywhere).
fn hsl_hex(hue: u16, s: f32, l: f32) -> String {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let h = f32::from(hue % 360) / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", to(r), to(g), to(b))
}

/// Renders every planned card, in parallel, through the cache. The cache is
/// opened by the caller (a build opens it while the lists render) and saved by it
/// (a build saves it beside the rest; serve, drawing one card at a time, does not,
/// so the list of stamps stays the last build's).
pub fn render(
    site: &CardSite,
    templates: &Templates,
    plan: &CardPlan,
    fonts: &Fonts,
    cache: Option<&FileCache>,
) -> (Vec<Output>, CardStats, Vec<Diagnostic>) {
    // Characters no bundled font has: try the system's fonts before warning.
    let mut problems = undrawable(site, plan, fonts);
    let system = if problems.is_empty() {
        None
    } else {
        fonts.with_system_fonts()
    };
    if let Some(with_system) = &system {
        problems = undrawable(site, plan, with_system);
    }
    let fonts = system.as_ref().unwrap_or(fonts);
    let logo = site_logo(site);
    let template = templates
        .source_of(TEMPLATE)
        .unwrap_or_default()
        .to_string();
    let avatars = plan
        .jobs
        .iter()
        .filter_map(|j| match &j.avatar {
            Some(CardAvatar::File(path, _)) if photo::is_photo(&path.to_string_lossy()) => {
                Some((path.clone(), OnceLock::new()))
            }
            _ => None,
        })
        .collect();
    let kit = Kit {
        avatars,
        layout: &fonts.layout,
        key_base: key_base(site, fonts, &template, logo.as_deref()),
        logo,
    };
    let results: Vec<Result<(Output, bool), Diagnostic>> = plan
        .jobs
        .par_iter()
        .map(|job| render_one(site, templates, job, fonts, &kit, cache))
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut stats = CardStats::default();
    for r in results {
        match r {
            Ok((o, from_cache)) => {
                if from_cache {
                    stats.cached += 1;
                } else {
                    stats.rendered += 1;
                }
                outputs.push(o);
            }
            Err(d) => problems.push(d),
        }
    }
    (outputs, stats, problems)
}

/// Text that no font can draw would be empty boxes on a card: a warning naming the
/// file, the text and the characters (an error with `--strict`). Checked on every
/// build, cached cards too, so a warm build says the same as a cold one.
fn undrawable(site: &CardSite, plan: &CardPlan, fonts: &Fonts) -> Vec<Diagnostic> {
    let check = |what: &str, text: &str, origin: &str, style: Style| {
        let missing = fonts.undrawn(text, style);
        if missing.is_empty() {
            return None;
        }
        let chars: Vec<String> = missing
            .iter()
            .map(|c| format!("{c} (U+{:04X})", u32::from(*c)))
            .collect();
        Some(
            Diagnostic::warning(
                Code::MissingGlyph,
                format!(
                    "the card's {what} has characters no font can draw: {}",
                    chars.join(", ")
                ),
            )
            .in_file(origin)
            .with_help(
                "add a font that has them to cards/fonts/ (the site's or the theme's), or remove them",
            ),
        )
    };
    let site_name = check(
        "site name (site.yaml `title`)",
        &site.config.title,
        "site.yaml",
        bold(30.0),
    );
    // Every card's texts, side by side (a build checks 10,000 cards each time),
    // reported in the plan's order.
    let jobs: Vec<Diagnostic> = plan
        .jobs
        .par_iter()
        .flat_map_iter(|job| {
            let initials = match &job.avatar {
                Some(CardAvatar::Initials { initials, .. }) => Some(initials.as_str()),
                _ => None,
            };
            [
                ("title", Some(job.title.as_str()), bold(68.0)),
                ("subtitle", Some(job.subtitle.as_str()), regular(32.0)),
                ("kicker", Some(job.kicker.as_str()), bold(26.0)),
                ("initials", initials, bold(76.0)),
            ]
            .into_iter()
            .filter_map(|(what, text, style)| check(what, text?, &job.origin, style))
        })
        .collect();
    site_name.into_iter().chain(jobs).collect()
}

/// The cache key of a card: a hash of everything it is drawn from (the job's text,
/// kind and avatar, the site's name, URL, logo and accent, the template's source,
/// the fonts), so a cached card costs no layout or template rendering at all.
fn cache_key(site: &CardSite, job: &CardJob, kit: &Kit) -> String {
    let mut h = kit.key_base.clone();
    for text in [
        job.kind,
        &job.kicker,
        &job.title,
        &job.subtitle,
        &url_text(site, &job.path),
    ] {
        hash_field(&mut h, text.as_bytes());
    }
    match &job.avatar {
        None => hash_field(&mut h, b"none"),
        Some(CardAvatar::File(path, bytes)) => {
            hash_field(&mut h, path.to_string_lossy().as_bytes());
            hash_field(&mut h, bytes);
        }
        Some(CardAvatar::Initials { initials, hue }) => {
            hash_field(&mut h, initials.as_bytes());
            hash_field(&mut h, &hue.to_le_bytes());
        }
    }
    h.finalize().to_hex().to_string()
}

/// The site-wide start of [`cache_key`].
fn key_base(site: &CardSite, fonts: &Fonts, template: &str, logo: Option<&str>) -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    hash_field(&mut h, CACHE_VERSION.as_bytes());
    hash_field(&mut h, &fonts.digest);
    for text in [
        template,
        &site.config.title,
        &site.config.cards.accent,
        logo.unwrap_or_default(),
    ] {
        hash_field(&mut h, text.as_bytes());
    }
    h
}

/// One field of a key, length first, so no two sequences of fields hash alike.
fn hash_field(h: &mut blake3::Hasher, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Draws one card, or finds it in the cache (by [`cache_key`]).
fn render_one(
    site: &CardSite,
    templates: &Templates,
    job: &CardJob,
    fonts: &Fonts,
    kit: &Kit,
    cache: Option<&FileCache>,
) -> Result<(Output, bool), Diagnostic> {
    let key = cache_key(site, job, kit);
    if let Some(path) = cache.and_then(|c| c.verified(&key)) {
        return Ok((
            Output {
                path: job.output.clone(),
                body: Body::Cached(path),
                origin: format!("card of {}", job.origin),
            },
            true,
        ));
    }
    let view = layout(site, job, kit, &job.path);
    let mut ctx = Context::new();
    ctx.insert("card", &view);
    let svg = templates
        .tera
        .render(TEMPLATE, &ctx)
        .map_err(|e| templates.diagnostic(&e, Some(Path::new(&job.origin))))?;
    let png = fonts.render_png(&svg).map_err(|why| {
        Diagnostic::error(
            Code::Card,
            format!("the card for {} could not be drawn: {why}", job.origin),
        )
        .with_help("check templates/cards/card.svg")
    })?;
    if png.len() > MAX_BYTES {
        return Err(Diagnostic::warning(
            Code::Card,
            format!(
                "the card for {} is {} KB; social networks may refuse it",
                job.origin,
                png.len() / 1024
            ),
        )
        .with_help("use a smaller avatar picture"));
    }
    let body = match cache.and_then(|c| c.store(&key, "png", &png)) {
        Some(path) => Body::Cached(path),
        None => Body::Bytes(png.into()),
    };
    Ok((
        Output {
            path: job.output.clone(),
            body,
            origin: format!("card of {}", job.origin),
        },
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsl_colours_convert_to_hex() {
        assert_eq!(hsl_hex(0, 1.0, 0.5), "#ff0000");
        assert_eq!(hsl_hex(120, 1.0, 0.5), "#00ff00");
        assert_eq!(hsl_hex(240, 1.0, 0.25), "#000080");
    }
}
