//! A digest's period (SPEC §7): an ISO week (`2026-w48`) or a month (`2026-11`),
//! by the calendar day an item was dated on as its author wrote it (the rule
//! events already follow), so the same files give the same periods anywhere.

use jiff::civil::{Date as Day, ISOWeekDate};

/// How often a digest is made (`digest.every`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Every {
    Week,
    Month,
}

/// One week or one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// Its first day.
    pub start: Day,
    pub every: Every,
}

impl Period {
    /// The period holding `day`.
    pub fn of(day: Day, every: Every) -> Period {
        let start = match every {
            Every::Week => {
                let week = day.iso_week_date();
                ISOWeekDate::new(week.year(), week.week(), jiff::civil::Weekday::Monday)
                    .map(|w| w.date())
                    .unwrap_or(day)
            }
            Every::Month => day.first_of_month(),
        };
        Period { start, every }
    }

    /// The day after its last.
    pub fn end(&self) -> Day {
        let next = match self.every {
            Every::Week => self.start.checked_add(jiff::Span::new().days(7)),
            Every::Month => self.start.checked_add(jiff::Span::new().months(1)),
        };
        next.unwrap_or(Day::MAX)
    }

    pub fn contains(&self, day: Day) -> bool {
        self.start <= day && day < self.end()
    }

    pub fn next(&self) -> Period {
        Period {
            start: self.end(),
            every: self.every,
        }
    }

    /// The period before this one.
    pub fn previous(&self) -> Period {
        let day_before = self.start.yesterday().unwrap_or(self.start);
        Period::of(day_before, self.every)
    }

    /// Its name in URLs: `2026-w48` (ISO week) or `2026-11`.
    pub fn slug(&self) -> String {
        match self.every {
            Every::Week => {
                let w = self.start.iso_week_date();
                format!("{:04}-w{:02}", w.year(), w.week())
            }
            Every::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
        }
    }

    /// A period from its slug (`2026-w48`, `2026-11`), as `--period` takes it.
    pub fn parse(slug: &str) -> Option<Period> {
        let (year, rest) = slug.split_once('-')?;
        let year: i16 = year.parse().ok()?;
        if let Some(week) = rest.strip_prefix('w').or_else(|| rest.strip_prefix('W')) {
            let week: i8 = week.parse().ok()?;
            let start = ISOWeekDate::new(year, week, jiff::civil::Weekday::Monday)
                .ok()?
                .date();
            return Some(Period {
                start,
                every: Every::Week,
            });
        }
        let month: i8 = rest.parse().ok()?;
        Some(Period {
            start: Day::new(year, month, 1).ok()?,
            every: Every::Month,
        })
    }

    /// "Week 48, 2026" or "November 2026".
    pub fn title(&self) -> String {
        match self.every {
            Every::Week => {
                let w = self.start.iso_week_date();
                format!("Week {}, {}", w.week(), w.year())
            }
            Every::Month => self.start.strftime("%B %Y").to_string(),
        }
    }

    /// Its last day.
    pub fn last_day(&self) -> Day {
        self.end().yesterday().unwrap_or(self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_are_iso_weeks_and_months_calendar_months() {
        let w = Period::of(day("2026-11-26"), Every::Week);
        assert_eq!(w.slug(), "2026-w48");
        assert_eq!(w.start, day("2026-11-23"));
        assert_eq!(w.last_day(), day("2026-11-29"));
        assert_eq!(w.next().slug(), "2026-w49");
        assert_eq!(w.previous().slug(), "2026-w47");
        // The first days of January can be the last ISO week of the year before.
        assert_eq!(
            Period::of(day("2027-01-01"), Every::Week).slug(),
            "2026-w53"
        );
        let m = Period::of(day("2026-12-31"), Every::Month);
        assert_eq!(
            (m.slug(), m.end()),
            ("2026-12".to_string(), day("2027-01-01"))
        );
        for slug in ["2026-w48", "2026-w01", "2026-11", "2027-01"] {
            assert_eq!(Period::parse(slug).unwrap().slug(), slug);
        }
        assert_eq!(Period::parse("2026-w60"), None);
        assert_eq!(Period::parse("2026-13"), None);
        assert_eq!(Period::parse("latest"), None);
    }
}
