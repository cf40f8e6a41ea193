//! The report over time (issue 31): monthly counts on a continuous axis (a month
//! with nothing shows 0, so bars do not mislead), members as a growing total,
//! and this period against the last for what a community manager reports.

use serde::Serialize;

use super::ByMonth;
use crate::digest::{self, Every, Period};
use crate::model::{Date, Site};

/// Fills `map` ("YYYY-MM" → count) with 0 for every month from its first to
/// `until` (or its last, when later); other keys ("unknown") stay as they are.
pub fn continuous(map: &mut ByMonth, until: &str) {
    let months: Vec<&String> = map.keys().filter(|k| is_month(k)).collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return;
    };
    let end = std::cmp::max(last.as_str(), until).to_string();
    let mut month = first.to_string();
    let mut guard = 0;
    while month <= end && guard < 12 * 200 {
        map.entry(month.clone()).or_insert(0);
        month = next_month(&month);
        guard += 1;
    }
}

fn is_month(k: &str) -> bool {
    k.len() == 7
        && k.bytes().enumerate().all(|(i, b)| {
            if i == 4 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

fn next_month(ym: &str) -> String {
    let year: i32 = ym[..4].parse().unwrap_or(0);
    let month: u32 = ym[5..].parse().unwrap_or(12);
    if month >= 12 {
        format!("{:04}-01", year + 1)
    } else {
        format!("{year:04}-{:02}", month + 1)
    }
}

/// The number of members at the end of each month: those without `joined`
/// counted from the first month, so the line ends at the member count.
pub fn cumulative(joined: &ByMonth) -> ByMonth {
    let mut total = joined.get("unknown").copied().unwrap_or(0);
    joined
        .iter()
        .filter(|(k, _)| is_month(k))
        .map(|(k, n)| {
            total += n;
            (k.clone(), total)
        })
        .collect()
}

/// What one period held.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Kpis {
    /// `2026-w48` or `2026-11`.
    pub period: String,
    pub new_members: usize,
    pub spotlights: usize,
    pub posts: usize,
    pub links: usize,
    pub events: usize,
}

/// The latest complete period against the one before it.
#[derive(Debug, Serialize)]
pub struct ThisAndLast {
    /// `week` or `month`: `digest.every`, months when digests are off.
    pub every: &'static str,
    pub this: Kpis,
    pub last: Kpis,
}

fn kpis(site: &Site, p: Period) -> Kpis {
    let d = digest::of(site, p);
    Kpis {
        period: p.slug(),
        new_members: d.members.len(),
        spotlights: d.spotlights.len(),
        posts: d.posts.len(),
        links: d.links.len(),
        events: d.events.len(),
    }
}

pub fn this_and_last(site: &Site, now: Date) -> ThisAndLast {
    let every = match site.config.digest.every {
        crate::config::DigestEvery::Week => Every::Week,
        _ => Every::Month,
    };
    let this = Period::of(now.day(), every).previous();
    ThisAndLast {
        every: match every {
            Every::Week => "week",
            Every::Month => "month",
        },
        this: kpis(site, this),
        last: kpis(site, this.previous()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_with_nothing_show_zero_and_the_total_ends_at_the_count() {
        let mut joined: ByMonth = [("2026-01", 2), ("2026-04", 1), ("unknown", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        continuous(&mut joined, "2026-06");
        let months: Vec<(&str, usize)> = joined.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            months,
            [
                ("2026-01", 2),
                ("2026-02", 0),
                ("2026-03", 0),
                ("2026-04", 1),
                ("2026-05", 0),
                ("2026-06", 0),
                ("unknown", 3)
            ]
        );
        let total = cumulative(&joined);
        assert_eq!(total.get("2026-01"), Some(&5));
        assert_eq!(
            total.values().next_back(),
            Some(&6),
            "every member, in the end"
        );
        let mut year_end: ByMonth = [("2025-12".to_string(), 1)].into_iter().collect();
        continuous(&mut year_end, "2026-02");
        assert_eq!(year_end.len(), 3);
    }
}
