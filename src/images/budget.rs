//! What an SVG may cost. A few hundred bytes of SVG can ask for unbounded work:
//! `<use>` of a group of `<use>`s expands a thousandfold a level (a 1.7 KB file
//! became a 108 MB avatar), masks whose content is masked by the mask before double
//! usvg's work with each one (40 never finish), and a filter over a region of a
//! million pixels a side with a large `feMorphology` radius never finishes drawing.
//!
//! So every SVG hearth reads (avatars, logos, pictures inside cards, card templates)
//! is measured before usvg converts it, on its plain XML ([`check_source`]): the
//! elements it stands for once every reference is followed, and how deep masks,
//! clip paths, patterns, markers and filters sit inside each other. After usvg has
//! converted it, and before anything draws it, its filters are measured in pixels
//! ([`check_tree`]). Past a limit the picture is refused with the reason, which the
//! caller reports against its file. Nothing is timed: the limits are what keeps
//! every picture of `tests/fixtures/hostile-svg` under a second (SECURITY.md).

use std::collections::HashMap;
use std::io::Read;

use resvg::usvg;

/// The most elements an SVG may stand for once every `<use>` and every reference
/// to a mask, clip path, pattern, marker or filter is counted where it is used.
pub const MAX_ELEMENTS: u64 = 50_000;
/// How deep masks, clip paths, patterns, markers and filters may sit inside each
/// other (a mask whose content has a mask is two).
pub const MAX_NESTING: u32 = 6;
/// The most work all filters of an SVG may ask for, in units of about a
/// nanosecond of drawing (see [`check_tree`]): about a second.
pub const MAX_FILTER_WORK: f64 = 1e9;
/// The most bytes a compressed SVG (`.svgz`) may expand to.
pub const MAX_INFLATED: u64 = 16 * 1024 * 1024;

/// Measures an SVG's XML before usvg converts it: its elements with references
/// followed, and the nesting of its resources.
pub fn check_source(svg: &[u8]) -> Result<(), String> {
    let inflated;
    let bytes = if svg.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(svg)
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("not valid compressed SVG: {e}"))?;
        if out.len() as u64 > MAX_INFLATED {
            return Err(format!(
                "the compressed SVG expands past {} MB",
                MAX_INFLATED >> 20
            ));
        }
        inflated = out;
        &inflated[..]
    } else {
        svg
    };
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8".to_string())?;
    let doc = super::parse_xml(text)?;
    let ids: HashMap<&str, roxmltree::NodeId> = doc
        .descendants()
        .filter_map(|n| Some((n.attribute("id")?, n.id())))
        .collect();
    let mut walk = Walk {
        doc: &doc,
        ids,
        memo: HashMap::new(),
    };
    let (elements, nesting) = walk.measure(doc.root_element().id());
    if elements > MAX_ELEMENTS {
        return Err(format!(
            "the SVG stands for more than {MAX_ELEMENTS} elements once its references are followed (`<use>` of `<use>`)"
        ));
    }
    if nesting > MAX_NESTING {
        return Err(format!(
            "the SVG nests masks, clip paths, patterns, markers or filters {nesting} deep; hearth draws at most {MAX_NESTING}"
        ));
    }
    Ok(())
}

struct Walk<'a, 'input> {
    doc: &'a roxmltree::Document<'input>,
    ids: HashMap<&'a str, roxmltree::NodeId>,
    /// Each element's measure, once known; `None` while it is being measured (a
    /// reference back to it is a cycle, which usvg drops, and counts nothing).
    memo: HashMap<roxmltree::NodeId, Option<(u64, u32)>>,
}

/// Elements that are drawn inside what refers to them, adding a level.
const RESOURCES: &[&str] = &["mask", "clipPath", "pattern", "marker", "filter"];

impl Walk<'_, '_> {
    /// (elements, nesting) of the element `id`, its children and what it refers to.
    fn measure(&mut self, id: roxmltree::NodeId) -> (u64, u32) {
        match self.memo.get(&id) {
            Some(Some(known)) => return *known,
            Some(None) => return (0, 0),
            None => {}
        }
        self.memo.insert(id, None);
        let Some(node) = self.doc.get_node(id) else {
            return (0, 0);
        };
        let mut elements: u64 = 1;
        let mut nesting = 0;
        let children: Vec<roxmltree::NodeId> = node
            .children()
            .filter(|c| c.is_element())
            .map(|c| c.id())
            .collect();
        for child in children {
            let (e, n) = self.measure(child);
            elements = elements.saturating_add(e);
            nesting = nesting.max(n);
        }
        for target in references(node)
            .filter_map(|r| self.ids.get(r).copied())
            .collect::<Vec<_>>()
        {
            let (e, n) = self.measure(target);
            let level = self
                .doc
                .get_node(target)
                .is_some_and(|t| RESOURCES.contains(&t.tag_name().name()));
            elements = elements.saturating_add(e);
            nesting = nesting.max(n + u32::from(level));
        }
        self.memo.insert(id, Some((elements, nesting)));
        (elements, nesting)
    }
}

/// The ids an element refers to: `href="#id"` and every `url(#id)` in its
/// attributes (`mask`, `clip-path`, `filter`, `fill`, `marker-*`, `style`…).
fn references<'a>(node: roxmltree::Node<'a, 'a>) -> impl Iterator<Item = &'a str> + 'a {
    node.attributes().flat_map(|a| {
        let value = a.value();
        let href = (a.name() == "href")
            .then(|| value.trim().strip_prefix('#'))
            .flatten();
        let urls = value.split("url(").skip(1).filter_map(|rest| {
            let inside = rest.split(')').next()?;
            inside.trim().trim_matches(['"', '\'']).strip_prefix('#')
        });
        href.into_iter().chain(urls)
    })
}

/// Measures a converted SVG's filters before anything draws it. A picture is
/// counted as if drawn at least 512×512 (an avatar of 10×10 units is drawn at 220
/// pixels on a card): a filter's cost grows with the pixels it covers.
pub fn check_tree(tree: &usvg::Tree) -> Result<(), String> {
    let size = tree.size();
    let canvas = f64::from(size.width()) * f64::from(size.height());
    let zoom = (512.0 * 512.0 / canvas.max(1.0)).max(1.0);
    let mut work = 0.0;
    filters_work(tree.root(), zoom, canvas * zoom, &mut work);
    if work > MAX_FILTER_WORK {
        return Err(
            "the SVG's filters would take longer to draw than hearth gives a picture (about a second): regions too large, radii too wide, or too many filtered elements"
                .to_string(),
        );
    }
    Ok(())
}

/// Adds what drawing `group`'s filters costs (in units of about a nanosecond) to
/// `work`: each filtered element gets a layer the size of the canvas, and each
/// primitive works over the filter's region.
fn filters_work(group: &usvg::Group, zoom: f64, canvas: f64, work: &mut f64) {
    let ts = group.abs_transform();
    // How many canvas pixels a unit of the group's space covers.
    let scale = ((ts.sx * ts.sy - ts.kx * ts.ky).abs() as f64) * zoom;
    let linear = scale.sqrt();
    for filter in group.filters() {
        let r = filter.rect();
        let area = f64::from(r.width()) * f64::from(r.height()) * scale;
        let per_pixel: f64 = filter
            .primitives()
            .iter()
            .map(|p| primitive_cost(p.kind(), linear))
            .sum();
        *work += canvas * 2.0 + area * per_pixel;
        for p in filter.primitives() {
            if let usvg::filter::Kind::Image(image) = p.kind() {
                filters_work(image.root(), zoom, canvas, work);
            }
        }
    }
    if let Some(mask) = group.mask() {
        mask_work(mask, zoom, canvas, work);
    }
    if let Some(clip) = group.clip_path() {
        filters_work(clip.root(), zoom, canvas, work);
    }
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => filters_work(g, zoom, canvas, work),
            usvg::Node::Image(image) => {
                if let usvg::ImageKind::SVG(tree) = image.kind() {
                    filters_work(tree.root(), zoom, canvas, work);
                }
            }
            usvg::Node::Path(path) => {
                for paint in [
                    path.fill().map(|f| f.paint()),
                    path.stroke().map(|s| s.paint()),
                ]
                .into_iter()
                .flatten()
                {
                    if let usvg::Paint::Pattern(pattern) = paint {
                        filters_work(pattern.root(), zoom, canvas, work);
                    }
                }
            }
            usvg::Node::Text(text) => filters_work(text.flattened(), zoom, canvas, work),
        }
        if *work > MAX_FILTER_WORK {
            return;
        }
    }
}

fn mask_work(mask: &usvg::Mask, zoom: f64, canvas: f64, work: &mut f64) {
    filters_work(mask.root(), zoom, canvas, work);
    if let Some(inner) = mask.mask() {
        mask_work(inner, zoom, canvas, work);
    }
}

/// What a filter primitive costs a pixel of its region (about a nanosecond a
/// unit, measured on the hostile corpus): a blur several passes, a morphology
/// every pixel within its radius, a convolution its whole kernel.
fn primitive_cost(kind: &usvg::filter::Kind, linear: f64) -> f64 {
    use usvg::filter::Kind;
    10.0 + match kind {
        Kind::Morphology(m) => {
            let rx = f64::from(m.radius_x().get()) * linear;
            let ry = f64::from(m.radius_y().get()) * linear;
            2.0 * (2.0 * rx + 1.0) * (2.0 * ry + 1.0)
        }
        Kind::ConvolveMatrix(c) => {
            2.0 * f64::from(c.matrix().columns()) * f64::from(c.matrix().rows())
        }
        Kind::DiffuseLighting(_) | Kind::SpecularLighting(_) => 60.0,
        Kind::Turbulence(t) => 20.0 * f64::from(t.num_octaves().max(1)),
        Kind::GaussianBlur(_) | Kind::DropShadow(_) => 30.0,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100">{body}</svg>"#
        )
    }

    #[test]
    fn an_ordinary_picture_passes() {
        let s = svg(
            r##"<defs><clipPath id="c"><circle r="50"/></clipPath><mask id="m"><rect width="100" height="100" fill="white"/></mask></defs><g clip-path="url(#c)" mask="url(#m)"><use href="#r"/><rect id="r" width="10" height="10"/></g>"##,
        );
        assert_eq!(check_source(s.as_bytes()), Ok(()));
    }

    #[test]
    fn a_use_bomb_is_refused() {
        let mut body = String::from(r#"<g id="l0"><rect width="1" height="1"/></g>"#);
        for i in 1..6 {
            body.push_str(&format!(
                r##"<g id="l{i}">{}</g>"##,
                format!(r##"<use href="#l{}"/>"##, i - 1).repeat(10)
            ));
        }
        body.push_str(r##"<use href="#l5"/>"##);
        assert!(check_source(svg(&body).as_bytes())
            .unwrap_err()
            .contains("elements"));
    }

    #[test]
    fn chained_masks_are_refused_by_depth_and_a_cycle_counts_nothing() {
        let mut body = String::from("<defs>");
        for i in 0..10 {
            let masked = if i > 0 {
                format!(r#" mask="url(#m{})""#, i - 1)
            } else {
                String::new()
            };
            body.push_str(&format!(
                r#"<mask id="m{i}"><rect width="100" height="100" fill="white"{masked}/></mask>"#
            ));
        }
        body.push_str(r#"</defs><rect width="100" height="100" mask="url(#m9)"/>"#);
        assert!(check_source(svg(&body).as_bytes())
            .unwrap_err()
            .contains("deep"));
        let cycle = svg(r##"<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>"##);
        assert_eq!(check_source(cycle.as_bytes()), Ok(()));
    }
}
