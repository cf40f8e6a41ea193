//! docs/templates.md kept in step with the template context, as
//! `src/diagnostics.rs` keeps docs/diagnostics.md: every field a template is
//! handed (the example site's site, pages, sections, members, curated links) is
//! named in the part of the page that documents that value, and no field is
//! listed twice there.

use std::path::Path;

use hearth::render::context::{list_entry, Entries, PageView, SectionView, SiteView};
use hearth::render::views::{LinkView, MemberCard, MemberRef};
use serde::Serialize;

const DOC: &str = include_str!("../../docs/templates.md");

/// The text of docs/templates.md from the heading that starts with `heading` to
/// the next heading.
fn part(heading: &str) -> &'static str {
    let at = DOC
        .find(&format!("\n{heading}"))
        .unwrap_or_else(|| panic!("docs/templates.md has no heading `{heading}`"));
    let rest = &DOC[at + 1..];
    let end = rest[1..].find("\n#").map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// The top-level field names of a view as templates see it.
fn fields(view: &impl Serialize) -> Vec<String> {
    match serde_json::to_value(view).unwrap() {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("a view serializes to a map, not {other}"),
    }
}

fn assert_documented(heading: &str, fields: &[String]) {
    let text = part(heading);
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !text.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/templates.md, under `{heading}`, does not name {missing:?}"
    );
}

#[test]
fn docs_templates_md_names_every_field_of_the_template_context() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let opts = hearth::load::LoadOptions {
        drafts: false,
        base_url: None,
        now: hearth::model::Date::parse("2026-11-22").unwrap(),
    };
    let built = hearth::prepare(&root, &opts).unwrap_or_else(|d| panic!("{d:?}"));
    let site = &built.site;

    assert_documented("### `site`", &fields(&SiteView::new(site, true)));
    let post = site
        .pages
        .iter()
        .position(|p| !p.meta.tags.is_empty() && !p.meta.authors.is_empty())
        .expect("the example site has a tagged, authored post");
    assert_documented(
        "### A page in a list",
        &fields(&list_entry(site, &site.pages[post])),
    );
    let event = site.events()[0];
    assert_documented(
        "### A page in a list",
        &fields(&list_entry(site, &site.pages[event])),
    );
    let in_list = fields(&list_entry(site, &site.pages[post]));
    let own: Vec<String> = fields(&PageView::new(site, post))
        .into_iter()
        .filter(|f| !in_list.contains(f))
        .collect();
    assert_documented("### `page`", &own);

    let member = site.members.values().next().unwrap();
    assert_documented("### A member", &fields(&MemberRef::new(site, member)));
    assert_documented("### A member", &fields(&MemberCard::new(site, member)));
    assert_documented(
        "### A curated link",
        &fields(&LinkView::new(site, &site.links[0])),
    );

    let entries = Entries::new(site, None, true);
    let news = site
        .sections
        .get("/news/")
        .expect("the example site has news");
    assert_documented(
        "### `section`",
        &fields(&SectionView::new(site, &entries, news)),
    );
}

#[test]
fn docs_templates_md_lists_each_field_of_a_table_once() {
    for heading in ["### `site`", "### A page in a list"] {
        let mut seen = Vec::new();
        for line in part(heading).lines().filter(|l| l.starts_with("| `")) {
            let cell = line.split('|').nth(1).unwrap_or("");
            for name in cell.split('`').skip(1).step_by(2) {
                assert!(
                    !seen.contains(&name),
                    "docs/templates.md lists `{name}` twice under `{heading}`"
                );
                seen.push(name);
            }
        }
    }
}
