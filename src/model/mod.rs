//! Plain data about a site: no I/O, no Tera, no HTML.

pub mod date;
pub mod page;
pub mod site;
pub mod url;

pub use date::Date;
pub use page::{Page, PageKind, PageMeta};
pub use site::{Asset, Section, Site, Tag};
