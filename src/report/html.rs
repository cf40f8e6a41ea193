//! The report as one self-contained page: no outside requests, no JavaScript, charts
//! drawn as inline SVG, each with its numbers as a table for screen readers, light
//! and dark. Written by hand: a handful of bar charts do not need a charting crate.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Report;
use crate::escape::html as esc;

const STYLE: &str = "
:root{color-scheme:light dark;--bg:#fbf8f4;--fg:#1d1a17;--muted:#5b544d;--bar:#b8432a;--line:#ddd3c8;--card:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#171411;--fg:#f1ebe4;--muted:#b9afa5;--bar:#f08a6b;--line:#3b342e;--card:#211d19}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,sans-serif}
main{max-width:60rem;margin:0 auto;padding:2rem 1rem}h1{margin:0 0 .25rem}p.lede{color:var(--muted);margin:0 0 2rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(22rem,100%),1fr));gap:1rem}
section{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem 1.25rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:0 0 .75rem}svg{display:block;width:100%;height:auto}svg text{fill:var(--muted);font:13px system-ui,sans-serif}
svg rect{fill:var(--bar)}svg line{stroke:var(--line)}
table{border-collapse:collapse;margin-top:.75rem;font-size:.9rem}th,td{text-align:left;padding:.15rem .75rem .15rem 0}td.n{text-align:right}
details summary{cursor:pointer;color:var(--muted)}ul.todo li{margin:.25rem 0}.overdue{color:var(--bar);font-weight:600}
";

/// A bar chart of `data` (label → value) and the same numbers as a table.
fn chart(out: &mut String, id: &str, title: &str, unit: &str, data: &BTreeMap<String, usize>) {
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{}</h2>",
        esc(title)
    );
    if data.is_empty() {
        out.push_str("<p>Nothing to count yet.</p></section>\n");
        return;
    }
    let max = data.values().copied().max().unwrap_or(1).max(1);
    let (w, h, gap) = (400usize, 150usize, 6usize);
    let bar = ((w - gap * data.len()) / data.len()).clamp(4, 80);
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-labelledby=\"{id}\"><line x1=\"0\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\"/>",
        h + 40
    );
    for (n, (label, value)) in data.iter().enumerate() {
        let x = n * (bar + gap);
        let bh = value * (h - 20) / max;
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{bh}\"><title>{}: {value}</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{value}</text>",
            h - bh,
            esc(label),
            x + bar / 2,
            h - bh - 4
        );
        // As many characters as the bar's width holds (about 7 units each); the
        // table and the bar's tooltip have the whole label.
        let fits = ((bar + gap) / 7).max(3);
        if data.len() <= 10 || n % (data.len() / 8 + 1) == 0 {
            // A month is "YYYY-MM" in ASCII digits: any other label of seven bytes
            // (a guideline's title, "a€-ab") would be cut inside a character.
            let month = label.len() == 7
                && label.bytes().enumerate().all(|(i, b)| {
                    if i == 4 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            let shown: String = if month && label.len() > fits {
                // "2024-03" → "03/24"
                format!("{}/{}", &label[5..], &label[2..4])
            } else if label.chars().count() > fits {
                label.chars().take(fits - 1).chain(['…']).collect()
            } else {
                label.clone()
            };
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2,
                h + 18,
                esc(&shown)
            );
        }
    }
    out.push_str("</svg>");
    numbers(out, title, unit, data);
}

/// A chart's numbers as a table, for screen readers, and the section's end.
fn numbers(out: &mut String, what: &str, unit: &str, data: &BTreeMap<String, usize>) {
    let _ = write!(
        out,
        "<details><summary>The numbers</summary><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(what),
        esc(unit)
    );
    for (label, value) in data {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{value}</td></tr>",
            esc(label)
        );
    }
    out.push_str("</tbody></table></details></section>\n");
}

/// A line of `data` (month → total) and the same numbers as a table: the
/// members as they grew.
fn line_chart(out: &mut String, id: &str, title: &str, unit: &str, data: &BTreeMap<String, usize>) {
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{}</h2>",
        esc(title)
    );
    let (Some(first), Some(last)) = (data.keys().next(), data.keys().last()) else {
        out.push_str("<p>Nothing to count yet.</p></section>\n");
        return;
    };
    let max = data.values().copied().max().unwrap_or(1).max(1);
    let (w, h) = (400usize, 150usize);
    let step = w / data.len().saturating_sub(1).max(1);
    let points: Vec<String> = data
        .values()
        .enumerate()
        .map(|(n, v)| format!("{},{}", n * step, h - v * (h - 20) / max))
        .collect();
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {w} {}\" role=\"img\" aria-labelledby=\"{id}\"><line x1=\"0\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\"/><polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" points=\"{}\"/><text x=\"0\" y=\"{}\">{}</text><text x=\"{w}\" y=\"{}\" text-anchor=\"end\">{}</text></svg>",
        h + 40,
        points.join(" "),
        h + 18,
        esc(first),
        h + 18,
        esc(last)
    );
    numbers(out, "Month", unit, data);
}

/// The whole page.
pub fn render(r: &Report) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — community health, {}</title><style>{STYLE}</style></head><body><main>",
        esc(&r.site),
        esc(&r.generated)
    );
    let _ = write!(
        out,
        "<h1>{} — community health</h1><p class=\"lede\">As of {}: {} members, {} spotlights, {} curated links, {} upcoming and {} past events, {} pages.</p>",
        esc(&r.site),
        esc(&r.generated),
        r.members.total,
        r.spotlights.total,
        r.links.total,
        r.events.upcoming,
        r.events.past,
        r.content.pages
    );
    let todo: Vec<String> = super::human::todo(r).iter().map(|t| esc(t)).collect();
    out.push_str("<section aria-labelledby=\"todo\"><h2 id=\"todo\">To do</h2>");
    if todo.is_empty() {
        out.push_str("<p>Nothing needs doing. Well kept!</p>");
    } else {
        out.push_str("<ul class=\"todo\">");
        for t in todo {
            let _ = write!(out, "<li>{t}</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    let (this, last) = (&r.periods.this, &r.periods.last);
    let _ = write!(
        out,
        "<section aria-labelledby=\"periods\"><h2 id=\"periods\">This {every} against the last</h2><table><thead><tr><th scope=\"col\">What</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(&this.period),
        esc(&last.period),
        every = r.periods.every
    );
    for (what, a, b) in [
        ("New members", this.new_members, last.new_members),
        ("Spotlights", this.spotlights, last.spotlights),
        ("Posts", this.posts, last.posts),
        ("Curated links", this.links, last.links),
        ("Events", this.events, last.events),
    ] {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{what}</th><td class=\"n\">{a}</td><td class=\"n\">{b}</td></tr>"
        );
    }
    out.push_str("</tbody></table></section>");
    if !r.languages.is_empty() {
        out.push_str("<section aria-labelledby=\"languages\"><h2 id=\"languages\">Languages</h2><table><thead><tr><th scope=\"col\">Language</th><th scope=\"col\">Pages</th><th scope=\"col\">Guidelines</th><th scope=\"col\">Member bios</th><th scope=\"col\">Behind</th></tr></thead><tbody>");
        for l in &r.languages {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{} of {}</td><td>{} of {}</td><td>{} of {}</td><td>{}</td></tr>",
                esc(&l.lang),
                l.pages.translated,
                l.pages.of,
                l.guidelines.translated,
                l.guidelines.of,
                l.bios.translated,
                l.bios.of,
                l.behind.len()
            );
        }
        out.push_str("</tbody></table></section>");
    }
    out.push_str("<div class=\"grid\">\n");
    chart(
        &mut out,
        "joined",
        "Members joined per month",
        "members",
        &r.members.joined_by_month,
    );
    line_chart(
        &mut out,
        "members-total",
        "Members over time",
        "members",
        &r.members.cumulative_by_month,
    );
    let answered: BTreeMap<String, usize> = [
        (
            "all questions".to_string(),
            r.members.answered_welcome_questions.all,
        ),
        (
            "some".to_string(),
            r.members.answered_welcome_questions.some,
        ),
        (
            "none".to_string(),
            r.members.answered_welcome_questions.none,
        ),
    ]
    .into_iter()
    .collect();
    chart(
        &mut out,
        "answers",
        "Welcome questions answered",
        "members",
        &answered,
    );
    chart(
        &mut out,
        "spotlights",
        "Spotlights per month",
        "spotlights",
        &r.spotlights.by_month,
    );
    chart(
        &mut out,
        "curators",
        "Curated links per curator",
        "links",
        &r.links.by_curator,
    );
    chart(
        &mut out,
        "links",
        "Curated links per month",
        "links",
        &r.links.by_month,
    );
    chart(
        &mut out,
        "events",
        "Events per month",
        "events",
        &r.events.by_month,
    );
    let ages: BTreeMap<String, usize> = r
        .guidelines
        .iter()
        .filter_map(|g| Some((g.title.clone(), usize::try_from(g.days_since_review?).ok()?)))
        .collect();
    chart(
        &mut out,
        "reviews",
        "Days since each guideline was reviewed",
        "days",
        &ages,
    );
    chart(
        &mut out,
        "sections",
        "Pages per section",
        "pages",
        &r.content.by_section,
    );
    out.push_str("</div></main></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trust round two: a guideline titled with seven bytes and a dash where a
    /// month has one was sliced as "YYYY-MM", inside a character, and panicked.
    #[test]
    fn a_label_that_looks_like_a_month_in_bytes_is_not_sliced() {
        let mut out = String::new();
        let data: BTreeMap<String, usize> = ["a€-ab", "2024-03", "ééé-é"]
            .iter()
            .enumerate()
            .map(|(i, l)| (l.to_string(), i + 1))
            .chain((0..7).map(|i| (format!("x{i}"), 1)))
            .collect();
        chart(&mut out, "t", "Titles", "days", &data);
        assert!(out.contains(">03/24<"), "{out}");
        assert!(out.contains("a€-ab"), "{out}");
    }
}
