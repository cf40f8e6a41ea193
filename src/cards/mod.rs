//! Promotion cards: a 1200×630 PNG for everything worth sharing, from the theme's
//! `cards/card.svg` (a Tera template) through resvg, cached by a hash of everything
//! that went into it so an unchanged card is never rendered twice.

mod plan;
pub mod raster;
pub mod text;

pub use plan::{page_card, plan, CardAvatar, CardJob, CardPlan};

use std::path::Path;

use base64::Engine;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::Site;
use crate::output::{Body, Output};
use crate::theme::Templates;
use raster::Fonts;
use text::Measure;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// The card template's name; a site overrides it with `templates/cards/card.svg`.
pub const TEMPLATE: &str = "cards/card.svg";
/// The folder of `.hearth-cache` where rendered cards are kept between builds.
pub const CACHE_DIR: &str = "cards";
/// Bump when the rendering changes in a way the inputs do not show.
const CACHE_VERSION: &str = "hearth-card-2";
/// Social networks reject bigger images; warn well before.
const MAX_BYTES: usize = 1024 * 1024;

/// How many cards a build drew and how many it took from the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct CardStats {
    pub rendered: usize,
    pub cached: usize,
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
    title_size: u32,
    title_y: u32,
    title_leading: u32,
    subtitle_lines: Vec<String>,
    subtitle_y: u32,
    site_name: String,
    /// A data URI of the site's logo, shown before the site name.
    logo: Option<String>,
    url_text: String,
    accent: &'a str,
    avatar: Option<CardAvatarView>,
    avatar_x: u32,
}

/// What every card of a build shares: measured fonts, the site's logo, the
/// template's source (for cache keys). Made once per build.
struct Kit<'f> {
    bold: Option<Measure<'f>>,
    regular: Option<Measure<'f>>,
    /// `static/logo.svg` or `static/logo.png` as a data URI, when the site has one.
    logo: Option<String>,
    template: String,
}

/// The site's logo for cards: `logo.svg` or `logo.png` at the root of static/.
fn site_logo(site: &Site) -> Option<String> {
    ["logo.svg", "logo.png"].iter().find_map(|name| {
        let asset = site.assets.iter().find(|a| a.dest == *name)?;
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

/// Lays out a card: wraps title and subtitle by measured width.
fn layout<'a>(site: &'a Site, job: &'a CardJob, kit: &Kit, page_path: &str) -> CardView<'a> {
    let (bold, regular) = (&kit.bold, &kit.regular);
    let margin = 80;
    let avatar_size = 220;
    let avatar_x = WIDTH - margin - avatar_size;
    let text_width = if job.avatar.is_some() {
        (avatar_x - margin - 50) as f32
    } else {
        (WIDTH - 2 * margin) as f32
    };
    let (title_lines, title_size) = match &bold {
        Some(m) => {
            let two = m.wrap(&job.title, 68.0, text_width, 3);
            if two.len() <= 2 {
                (two, 68)
            } else {
                (m.wrap(&job.title, 56.0, text_width, 3), 56)
            }
        }
        None => (vec![job.title.clone()], 56),
    };
    let title_leading = title_size * 115 / 100;
    let title_y = if job.kicker.is_empty() { 180 } else { 200 };
    let last_title = title_y + (title_lines.len().max(1) as u32 - 1) * title_leading;
    let subtitle_lines = match (&regular, job.subtitle.trim().is_empty()) {
        (_, true) => Vec::new(),
        (Some(m), false) => m.wrap(
            &job.subtitle,
            32.0,
            text_width,
            if title_lines.len() > 2 { 1 } else { 2 },
        ),
        (None, false) => vec![job.subtitle.clone()],
    };
    let kicker = match &bold {
        Some(m) => m
            .wrap(&job.kicker, 26.0, text_width, 1)
            .into_iter()
            .next()
            .unwrap_or_default(),
        None => job.kicker.clone(),
    };
    let host = site
        .config
        .origin()
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let url = format!("{host}{}", site.config.url(page_path))
        .trim_end_matches('/')
        .to_string();
    let url_text = match &regular {
        Some(m) => m
            .wrap(&url.replace('/', "/\u{200b}"), 26.0, 520.0, 1)
            .into_iter()
            .next()
            .unwrap_or_default()
            .replace('\u{200b}', ""),
        None => url,
    };
    let site_name = match &bold {
        Some(m) => m
            .wrap(&site.config.title, 30.0, 480.0, 1)
            .into_iter()
            .next()
            .unwrap_or_default(),
        None => site.config.title.clone(),
    };
    CardView {
        width: WIDTH,
        height: HEIGHT,
        kind: job.kind,
        kicker,
        title_lines,
        title_size,
        title_y,
        title_leading,
        subtitle_lines,
        subtitle_y: last_title + 66,
        site_name,
        logo: kit.logo.clone(),
        url_text,
        accent: &site.config.cards.accent,
        avatar: job.avatar.as_ref().map(avatar_view),
        avatar_x,
    }
}

fn avatar_view(a: &CardAvatar) -> CardAvatarView {
    match a {
        CardAvatar::File(path, bytes) => {
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

/// Renders every planned card, in parallel, through the cache.
pub fn render(
    site: &Site,
    templates: &Templates,
    plan: &CardPlan,
    fonts: &Fonts,
    cache_dir: Option<&Path>,
) -> (Vec<Output>, CardStats, Vec<Diagnostic>) {
    if let Some(dir) = cache_dir {
        crate::site_fs::cache_sweep(dir);
    }
    let kit = Kit {
        bold: Measure::new(&fonts.bold),
        regular: Measure::new(&fonts.regular),
        logo: site_logo(site),
        template: templates
            .source_of(TEMPLATE)
            .unwrap_or_default()
            .to_string(),
    };
    let results: Vec<Result<(Output, bool), Diagnostic>> = plan
        .jobs
        .par_iter()
        .map(|job| render_one(site, templates, job, fonts, &kit, cache_dir))
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut stats = CardStats::default();
    let mut problems = Vec::new();
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

/// Draws one card, or finds it in the cache. The cache key is a hash of everything
/// the SVG is made from (the laid-out text, colours and avatar, the template's
/// source, the fonts), so a cached card costs no template rendering at all.
fn render_one(
    site: &Site,
    templates: &Templates,
    job: &CardJob,
    fonts: &Fonts,
    kit: &Kit,
    cache_dir: Option<&Path>,
) -> Result<(Output, bool), Diagnostic> {
    let view = layout(site, job, kit, &job.path);
    let mut hasher = blake3::Hasher::new();
    hasher.update(CACHE_VERSION.as_bytes());
    hasher.update(&fonts.digest);
    hasher.update(kit.template.as_bytes());
    hasher.update(&serde_json::to_vec(&view).unwrap_or_default());
    let key = hasher.finalize().to_hex();
    let cached = cache_dir.map(|d| d.join(format!("{key}.png")));
    if let Some(path) = &cached {
        if crate::site_fs::cache_has(path) {
            return Ok((
                Output {
                    path: job.output.clone(),
                    body: Body::Cached(path.clone()),
                    origin: format!("card of {}", job.origin),
                },
                true,
            ));
        }
    }
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
    let body = match &cached {
        Some(path) if store(path, &png) => Body::Cached(path.clone()),
        _ => Body::Bytes(png.into()),
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

/// Writes a cache entry atomically (a temp file renamed into place), so a parallel
/// or interrupted build never leaves half a PNG behind.
fn store(path: &Path, bytes: &[u8]) -> bool {
    crate::site_fs::cache_write(path, bytes).is_ok()
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
