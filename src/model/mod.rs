//! Plain data about a site: no I/O, no Tera, no HTML.

pub mod date;
pub mod folders;
pub mod guideline;
pub mod languages;
pub mod link;
pub mod member;
pub mod page;
pub mod picture;
pub mod site;
pub mod url;

pub use date::Date;
pub use guideline::Guideline;
pub use link::CuratedLink;
pub use member::Member;
pub use page::{Page, PageKind, PageMeta};
pub use site::{Asset, Section, Site, Tag};
