//! The incremental planner: which list pages an edit must re-render (serve), or
//! every list page (a build). Planning only: rendering is in `pages.rs`.

use super::pages::pager_count;
use super::*;

impl<'a> Renderer<'a> {
    /// Every list page: sections, tags, the community lists, member pages, the kit.
    pub(super) fn all_list_jobs<'s>(
        &'s self,
        jobs: &mut Vec<Job<'s>>,
        promo_items: &'s [promote::Item],
    ) {
        let site = self.site;
        let generated = generated_lists(site);
        for s in site.sections.values() {
            if generated.contains(&s.path.as_str()) {
                continue;
            }
            for pager in 1..=pager_count(s) {
                jobs.push(Job::Section(s, pager));
            }
        }
        for list in &generated {
            match *list {
                TAGS_PATH => {
                    jobs.push(Job::TagList);
                    jobs.extend(site.tags.values().map(Job::Tag));
                }
                community::MEMBERS_PATH => jobs.push(Job::Members),
                community::SPOTLIGHTS_PATH => jobs.push(Job::Spotlights),
                community::LINKS_PATH => {
                    jobs.push(Job::Links(None));
                    jobs.extend(
                        self.link_tag_slugs()
                            .into_iter()
                            .map(|t| Job::Links(Some(t))),
                    );
                    jobs.extend(site.links.iter().map(Job::LinkPage));
                }
                community::GUIDELINES_PATH => jobs.push(Job::Guidelines),
                community::EVENTS_PATH => jobs.push(Job::Events),
                _ => {}
            }
        }
        jobs.extend(site.members.values().map(Job::Member));
        if !promo_items.is_empty() {
            jobs.push(Job::Promote(promo_items));
        }
    }

    /// The lists that show the `chosen` pages, for an edit that changed what lists
    /// show of them (title, date, tags, summary…) but not their URL.
    pub(super) fn related_list_jobs<'s>(
        &'s self,
        jobs: &mut Vec<Job<'s>>,
        chosen: &[usize],
        tags: &[String],
        before: &Before,
        promo_items: &'s [promote::Item],
    ) {
        let site = self.site;
        let generated = generated_lists(site);
        let pages: Vec<&Page> = chosen.iter().map(|&i| &site.pages[i]).collect();
        let mut sections: Vec<&str> = vec!["/"];
        for p in &pages {
            sections.push(if p.kind == PageKind::SectionIndex {
                &p.path
            } else {
                &p.section
            });
        }
        for s in site.sections.values() {
            if sections.contains(&s.path.as_str()) && !generated.contains(&s.path.as_str()) {
                for pager in 1..=pager_count(s) {
                    jobs.push(Job::Section(s, pager));
                }
            }
        }
        if generated.contains(&TAGS_PATH) {
            jobs.push(Job::TagList);
            jobs.extend(
                site.tags
                    .values()
                    .filter(|t| tags.contains(&t.slug))
                    .map(Job::Tag),
            );
        }
        let in_list = |path: &str| pages.iter().any(|p| p.section == path || p.path == path);
        if generated.contains(&community::SPOTLIGHTS_PATH)
            && (before.spotlight || pages.iter().any(|p| p.meta.spotlight.is_some()))
        {
            jobs.push(Job::Spotlights);
        }
        if generated.contains(&community::EVENTS_PATH)
            && (before.event
                || pages.iter().any(|p| p.meta.event.is_some())
                || in_list(community::EVENTS_PATH))
        {
            jobs.push(Job::Events);
        }
        let discussed = site.links.iter().any(|l| {
            l.discuss_path
                .as_deref()
                .is_some_and(|d| pages.iter().any(|p| p.path == d))
        });
        if discussed {
            jobs.push(Job::Links(None));
            jobs.extend(
                self.link_tag_slugs()
                    .into_iter()
                    .map(|t| Job::Links(Some(t))),
            );
        }
        let mut handles: Vec<&str> = before.members.iter().map(String::as_str).collect();
        for p in &pages {
            handles.extend(p.named_members());
        }
        jobs.extend(
            site.members
                .values()
                .filter(|m| handles.contains(&m.handle.as_str()))
                .map(Job::Member),
        );
        if !promo_items.is_empty() {
            jobs.push(Job::Promote(promo_items));
        }
    }
}
