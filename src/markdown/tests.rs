use super::*;

struct Ctx;

impl LinkContext for Ctx {
    fn resolve(&self, target: &str) -> Result<Option<String>, (String, Option<String>)> {
        match target {
            "welcome.md" => Ok(Some("/hub/news/welcome/".into())),
            t if t.ends_with(".md") => Err((format!("`{t}` does not exist"), None)),
            _ => Ok(None),
        }
    }
    fn member_url(&self, handle: &str) -> Option<String> {
        (handle == "ada").then(|| "/hub/members/ada/".to_string())
    }
    fn base_path(&self) -> &str {
        "/hub/"
    }
}

fn html(md: &str) -> String {
    render(md, &Ctx, RenderOptions::default()).content.html
}

#[test]
fn headings_get_github_ids_and_a_permalink() {
    let out = html("## Hello, World!\n\n## Hello, World!\n");
    assert!(
        out.contains(
            "<h2 id=\"hello-world\">Hello, World! <a class=\"anchor\" href=\"#hello-world\""
        ),
        "{out}"
    );
    assert!(out.contains("id=\"hello-world-1\""), "{out}");
}

#[test]
fn explicit_heading_ids_are_kept() {
    let out = html("## Agenda {#agenda}\n");
    assert!(out.contains("<h2 id=\"agenda\">Agenda "), "{out}");
}

#[test]
fn md_links_become_page_urls_with_their_anchor() {
    let out = html("See [it](welcome.md#agenda).");
    assert!(out.contains("href=\"/hub/news/welcome/#agenda\""), "{out}");
}

#[test]
fn a_link_to_a_missing_md_file_is_a_problem_at_its_span() {
    let md = "Intro\n\nSee [it](gone.md).";
    let r = render(md, &Ctx, RenderOptions::default());
    assert_eq!(r.problems.len(), 1);
    assert_eq!(&md[r.problems[0].span.clone()], "[it](gone.md)");
}

#[test]
fn site_paths_get_the_base_path_prefix() {
    assert!(html("[a](/about/)").contains("href=\"/hub/about/\""));
    assert!(html("[a](https://x.org/)").contains("href=\"https://x.org/\""));
}

#[test]
fn mentions_link_members_but_not_in_code_links_or_emails() {
    let out = html("Hi @ada and @nobody, mail ada@example.org, `@ada`, [@ada](https://x.org).");
    assert_eq!(out.matches("class=\"mention\"").count(), 1, "{out}");
    assert!(out.contains("<a class=\"mention\" href=\"/hub/members/ada/\">@ada</a>"));
    assert!(out.contains("@nobody"));
}

#[test]
fn alerts_become_labelled_notes() {
    let out = html("> [!WARNING]\n> Hot.\n");
    assert!(out.contains("alert-warning"), "{out}");
    assert!(
        out.contains("<p class=\"alert-title\">Warning</p>"),
        "{out}"
    );
}

#[test]
fn code_is_highlighted_with_its_language() {
    let out = html("```rust\nfn main() {}\n```\n");
    assert!(out.contains("data-lang=\"rust\""), "{out}");
    assert!(out.contains("hl-"), "{out}");
}

#[test]
fn summary_is_the_first_paragraph_or_up_to_more() {
    let r = render("First *one*.\n\nSecond.\n", &Ctx, RenderOptions::default());
    assert_eq!(
        r.content.summary.as_deref(),
        Some("<p>First <em>one</em>.</p>\n")
    );
    assert_eq!(r.content.lead, "First one.");
    let r = render(
        "A.\n\nB.\n\n<!-- more -->\n\nC.\n",
        &Ctx,
        RenderOptions::default(),
    );
    let summary = r.content.summary.unwrap();
    assert!(
        summary.contains("B.") && !summary.contains("C."),
        "{summary}"
    );
}

#[test]
fn toc_nests_subheadings() {
    let r = render("## A\n\n### A1\n\n## B\n", &Ctx, RenderOptions::default());
    let toc = &r.content.toc;
    assert_eq!(toc.len(), 2);
    assert_eq!(toc[0].children[0].id, "a1");
}

#[test]
fn rules_are_numbered_in_guidelines() {
    let opts = RenderOptions {
        numbered_rules: true,
    };
    let r = render(
        "## Be kind\n\n### Online\n\n### Offline\n\n## Be safe\n",
        &Ctx,
        opts,
    );
    let numbers: Vec<_> = r.rules.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(numbers, ["1", "1.1", "1.2", "2"]);
    assert!(r
        .content
        .html
        .contains("<span class=\"rule-number\">1.1</span>"));
}

#[test]
fn gfm_extensions_render() {
    let out = html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n",
    );
    assert!(
        out.contains("<table>") && out.contains("<del>x</del>"),
        "{out}"
    );
    assert!(
        out.contains("checkbox") && out.contains("footnote"),
        "{out}"
    );
}
