//! The link-preview lab: `/__hearth/preview/<page path>` shows how a page will look
//! when shared on X, LinkedIn, Facebook, Mastodon, Bluesky, Slack and Discord, from
//! the Open Graph tags the build wrote (nothing is fetched from the networks), with
//! each network's cuts and the warnings that matter. `/__hearth/preview/` lists every
//! page with its warning count. Never part of a build.
//!
//! The limits are hearth's estimates of what each network shows (measured by eye on
//! their cards in 2026, in characters), not the networks' documented numbers: they
//! change them without notice. They are in one table, `NETWORKS`, to keep up to date.

use crate::escape::html as esc;

/// Where the lab answers (outside the site's base path, like the reload channel).
pub const PREVIEW_PATH: &str = "/__hearth/preview";

/// A network's card, as far as a preview needs it.
pub struct Network {
    pub name: &'static str,
    /// Characters of the title it shows before cutting.
    pub title: usize,
    /// Characters of the description it shows; 0 when it shows none.
    pub description: usize,
    /// Whether it shows the domain in capitals (Facebook) or as written.
    pub upper_domain: bool,
    /// The shape it crops the card to, as CSS `aspect-ratio`.
    pub crop: &'static str,
}

pub const NETWORKS: &[Network] = &[
    Network {
        name: "X",
        title: 70,
        description: 0,
        upper_domain: false,
        crop: "1.91 / 1",
    },
    Network {
        name: "LinkedIn",
        title: 120,
        description: 0,
        upper_domain: false,
        crop: "1.91 / 1",
    },
    Network {
        name: "Facebook",
        title: 88,
        description: 110,
        upper_domain: true,
        crop: "1.91 / 1",
    },
    Network {
        name: "Mastodon",
        title: 100,
        description: 200,
        upper_domain: false,
        crop: "16 / 9",
    },
    Network {
        name: "Bluesky",
        title: 100,
        description: 150,
        upper_domain: false,
        crop: "1.91 / 1",
    },
    Network {
        name: "Slack",
        title: 75,
        description: 300,
        upper_domain: false,
        crop: "1.6 / 1",
    },
    Network {
        name: "Discord",
        title: 256,
        description: 350,
        upper_domain: false,
        crop: "1200 / 630",
    },
];

/// What a page says about itself to the networks.
#[derive(Debug, Default, Clone)]
pub struct SharedTags {
    pub title: Option<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub image_size: Option<(u32, u32)>,
    pub url: Option<String>,
    pub site_name: Option<String>,
}

/// The `content` of the first `<meta>` whose `property` or `name` is `key`.
fn meta(html: &str, key: &str) -> Option<String> {
    for attr in [format!("property=\"{key}\""), format!("name=\"{key}\"")] {
        let Some(at) = html.find(&attr) else {
            continue;
        };
        let start = html[..at].rfind('<')?;
        let end = at + html[at..].find('>')?;
        let tag = &html[start..end];
        let content = tag.split("content=\"").nth(1)?.split('"').next()?;
        return Some(crate::escape::text_of(content));
    }
    None
}

/// Reads the Open Graph and Twitter tags of a page.
pub fn read_tags(html: &str) -> SharedTags {
    let dim = |k: &str| meta(html, k).and_then(|v| v.parse::<u32>().ok());
    SharedTags {
        title: meta(html, "og:title").or_else(|| meta(html, "twitter:title")),
        description: meta(html, "og:description").or_else(|| meta(html, "description")),
        image: meta(html, "og:image"),
        image_size: dim("og:image:width").zip(dim("og:image:height")),
        url: meta(html, "og:url"),
        site_name: meta(html, "og:site_name"),
    }
}

/// `text` cut to `max` characters at a word, with "…", and whether it was cut.
fn cut(text: &str, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        return (text.to_string(), false);
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let at = head
        .rfind(' ')
        .filter(|&i| i > max / 2)
        .unwrap_or(head.len());
    (format!("{}…", head[..at].trim_end()), true)
}

/// What is wrong with a page's card on one network.
pub fn warnings(
    tags: &SharedTags,
    page_path: &str,
    card: Option<(u32, u32)>,
    n: &Network,
) -> Vec<String> {
    let mut out = Vec::new();
    match &tags.title {
        None => out.push("no og:title: the network makes one up".to_string()),
        Some(t) if cut(t, n.title).1 => out.push(format!(
            "the title is cut after {} characters ({} written)",
            n.title,
            t.chars().count()
        )),
        Some(_) => {}
    }
    if n.description > 0 {
        match &tags.description {
            None => out.push("no description: the card shows the title alone".into()),
            Some(d) if d.trim().is_empty() => {
                out.push("no description: the card shows the title alone".into())
            }
            Some(d) if cut(d, n.description).1 => out.push(format!(
                "the description is cut after {} characters ({} written)",
                n.description,
                d.chars().count()
            )),
            Some(_) => {}
        }
    }
    match (&tags.image, card) {
        (None, _) => out.push("no og:image: the post has no picture".into()),
        (Some(_), None) => out.push("og:image is not a picture this site serves".into()),
        (Some(_), Some((w, h))) if (w, h) != (1200, 630) => {
            out.push(format!("the card is {w}×{h}; networks expect 1200×630"))
        }
        _ => {}
    }
    if let Some(url) = &tags.url {
        let path = url::Url::parse(url)
            .map(|u| u.path().to_string())
            .unwrap_or_default();
        if path != page_path {
            out.push(format!("og:url is {url}, not this page"));
        }
    } else {
        out.push("no og:url: shares of this page may count apart".into());
    }
    out
}

const STYLE: &str = "
:root{color-scheme:light dark;--bg:#f4f1ee;--fg:#1d1a17;--muted:#5f5750;--card:#fff;--line:#d9d0c7;--warn:#9a3412}
@media (prefers-color-scheme:dark){:root{--bg:#15120f;--fg:#f1ebe4;--muted:#b9afa5;--card:#221e1a;--line:#3b342e;--warn:#fdba74}}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,sans-serif}main{max-width:64rem;margin:0 auto;padding:1.5rem 1rem}
a{color:inherit}h1{font-size:1.4rem;margin:0 0 .25rem}.lede{color:var(--muted);margin:0 0 1.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(19rem,100%),1fr));gap:1rem}
section{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem}
h2{font-size:1rem;margin:0 0 .6rem}.post{border:1px solid var(--line);border-radius:.6rem;overflow:hidden}
.post img{display:block;width:100%;aspect-ratio:1200/630;object-fit:cover;background:var(--line)}
.post .text{padding:.5rem .75rem}.domain{color:var(--muted);font-size:.8rem}.title{font-weight:600;margin:.1rem 0}
.desc{color:var(--muted);font-size:.9rem;margin:0}.warn{color:var(--warn);margin:.6rem 0 0;padding-left:1.1rem}.ok{color:var(--muted);margin:.6rem 0 0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line)}td.n{text-align:right}
";

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{} — hearth preview</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>\n",
        esc(title)
    )
}

/// The lab's page for one page of the site.
/// `domain` is the published site's host (site.yaml's base_url), which the networks
/// will show, not the preview's local address.
pub fn page(page_path: &str, tags: &SharedTags, card: Option<(u32, u32)>, domain: &str) -> String {
    let domain = domain.trim_start_matches("www.").to_string();
    let mut body = format!(
        "<h1>How <a href=\"{}\">{}</a> looks when shared</h1><p class=\"lede\">From the tags the build wrote; nothing is sent to the networks. <a href=\"{PREVIEW_PATH}/\">Every page</a></p><div class=\"grid\">",
        esc(page_path),
        esc(page_path)
    );
    for n in NETWORKS {
        let (title, _) = cut(tags.title.as_deref().unwrap_or(page_path), n.title);
        let description = match (&tags.description, n.description) {
            (Some(d), max) if max > 0 && !d.trim().is_empty() => {
                format!("<p class=\"desc\">{}</p>", esc(&cut(d, max).0))
            }
            _ => String::new(),
        };
        let image = match &tags.image {
            Some(src) if card.is_some() => format!(
                "<img src=\"{}\" alt=\"\" style=\"aspect-ratio:{}\">",
                esc(src),
                n.crop
            ),
            _ => String::new(),
        };
        let shown_domain = if n.upper_domain {
            domain.to_uppercase()
        } else {
            domain.clone()
        };
        body.push_str(&format!(
            "<section aria-label=\"{0}\"><h2>{0}</h2><div class=\"post\">{image}<div class=\"text\"><p class=\"domain\">{1}</p><p class=\"title\">{2}</p>{description}</div></div>",
            n.name,
            esc(&shown_domain),
            esc(&title)
        ));
        let warns = warnings(tags, page_path, card, n);
        if warns.is_empty() {
            body.push_str("<p class=\"ok\">No warnings.</p>");
        } else {
            body.push_str("<ul class=\"warn\">");
            for w in warns {
                body.push_str(&format!("<li>{}</li>", esc(&w)));
            }
            body.push_str("</ul>");
        }
        body.push_str("</section>");
    }
    body.push_str("</div>");
    shell(tags.title.as_deref().unwrap_or(page_path), &body)
}

/// The lab's index: every page with how many warnings it has in all.
pub fn index(pages: &[(String, String, usize)]) -> String {
    let mut body = format!(
        "<h1>Link previews</h1><p class=\"lede\">{} pages; open one to see it on seven networks.</p><table><thead><tr><th scope=\"col\">Page</th><th scope=\"col\">Title</th><th scope=\"col\">Warnings</th></tr></thead><tbody>",
        pages.len()
    );
    for (path, title, count) in pages {
        body.push_str(&format!(
            "<tr><td><a href=\"{PREVIEW_PATH}{}\">{}</a></td><td>{}</td><td class=\"n\">{count}</td></tr>",
            esc(path),
            esc(path),
            esc(title)
        ));
    }
    body.push_str("</tbody></table>");
    shell("Link previews", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<head><meta property="og:title" content="A title that is rather long, longer than seventy characters for sure, yes indeed">
<meta property="og:description" content="Short.">
<meta property="og:image" content="http://127.0.0.1:1111/hub/cards/a.png">
<meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">
<meta property="og:url" content="http://127.0.0.1:1111/hub/a/"></head>"#;

    #[test]
    fn tags_are_read_and_cuts_and_mismatches_warned() {
        let tags = read_tags(PAGE);
        assert_eq!(tags.image_size, Some((1200, 630)));
        let x = &NETWORKS[0];
        let w = warnings(&tags, "/hub/a/", Some((1200, 630)), x);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("title is cut after 70"));
        let w = warnings(&tags, "/hub/b/", Some((600, 315)), &NETWORKS[6]);
        assert!(w.iter().any(|x| x.contains("600×315")), "{w:?}");
        assert!(w.iter().any(|x| x.contains("not this page")), "{w:?}");
        let bare = read_tags("<head></head>");
        let w = warnings(&bare, "/hub/a/", None, &NETWORKS[2]);
        assert!(w.iter().any(|x| x.contains("no description")), "{w:?}");
        assert!(w.iter().any(|x| x.contains("no og:image")), "{w:?}");
    }

    #[test]
    fn cuts_fall_on_a_word() {
        assert_eq!(
            cut("one two three four", 12),
            ("one two…".to_string(), true)
        );
        assert_eq!(cut("short", 12), ("short".to_string(), false));
    }
}
