//! The files a site gets besides its pages: feeds, calendars, the sitemap,
//! robots.txt, the promotion kit's CSV and the highlight stylesheet. The 404 page
//! is a page (pages.rs).

use super::jobs::FileJob;
use super::*;

impl Renderer<'_> {
    /// The file a job writes that is not a page.
    pub(super) fn render_file(&self, job: &FileJob) -> Output {
        let site = self.site;
        let (text, origin): (bytes::Bytes, String) = match job {
            FileJob::Feed(None, pages) => (
                feeds::atom(
                    site,
                    crate::model::url::FEED_PATH,
                    &site.config.title,
                    "/",
                    pages,
                )
                .into(),
                "generated site feed".to_string(),
            ),
            FileJob::Feed(Some(s), pages) => {
                let feed_path = job.path(site);
                let title = format!("{} · {}", s.title, site.config.title);
                (
                    feeds::atom(site, &feed_path, &title, &s.path, pages).into(),
                    format!("feed of {}", s.dir.display()),
                )
            }
            FileJob::LinksFeed => (feeds::links_atom(site).into(), "generated link feed".into()),
            FileJob::DigestFeed => (self.digest_feed().into(), "generated digest feed".into()),
            FileJob::Calendar(all) => (
                calendar::calendar(site, &site.config.title, all).into(),
                "generated events calendar".into(),
            ),
            FileJob::EventCalendar(i) => {
                let p = &site.pages[*i];
                (
                    calendar::calendar(site, &p.title, &[*i]).into(),
                    format!("calendar of {}", p.source.path.display()),
                )
            }
            FileJob::PromoteCsv(items) => {
                (promote::csv(items).into(), "generated promotion kit".into())
            }
            FileJob::Sitemap => (self.sitemap().into(), "generated sitemap".into()),
            FileJob::Robots => (sitemap::robots(site).into(), "generated robots.txt".into()),
            FileJob::HighlightCss => (
                highlight::stylesheet(&site.config.highlight.light, &site.config.highlight.dark)
                    .unwrap_or_default()
                    .into(),
                "generated highlight stylesheet".into(),
            ),
        };
        Output {
            path: job.path(site).trim_start_matches('/').to_string(),
            body: Body::Bytes(text),
            origin,
        }
    }

    /// The sitemap, from the list of everything the site publishes.
    fn sitemap(&self) -> String {
        if let Some(langs) = &self.site.languages {
            return sitemap::sitemap_in_languages(self.site, langs);
        }
        let entries = self
            .published(&[])
            .iter()
            .filter_map(|job| job.sitemap_entry(self.site))
            .collect();
        sitemap::sitemap(self.site, entries)
    }
}
