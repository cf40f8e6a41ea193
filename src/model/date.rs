//! Dates as users write them in front matter: `YYYY-MM-DD` or RFC 3339.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time plus how it was written, so that templates and feeds show it the way
/// the author meant (a day, or a time with its offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub timestamp: Timestamp,
    /// The offset the author wrote, in seconds east of UTC (0 for plain days).
    pub offset_seconds: i32,
    /// True when only a day was given.
    pub date_only: bool,
}

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        if s.len() == 10 {
            let day: civil::Date = s.parse().map_err(|_| format!("`{s}` is not a real day"))?;
            let timestamp = day
                .to_zoned(TimeZone::UTC)
                .map_err(|_| format!("`{s}` is out of the range of dates hearth can use"))?
                .timestamp();
            return Ok(Date {
                timestamp,
                offset_seconds: 0,
                date_only: true,
            });
        }
        let ts: Timestamp = s
            .parse()
            .map_err(|_| format!("`{s}` is not a valid date or time"))?;
        let offset = written_offset(s).unwrap_or(0);
        Ok(Date {
            timestamp: ts,
            offset_seconds: offset,
            date_only: false,
        })
    }

    pub fn from_timestamp(timestamp: Timestamp) -> Date {
        Date {
            timestamp,
            offset_seconds: 0,
            date_only: false,
        }
    }

    /// The calendar day as the author wrote it (at their offset): what a
    /// digest's period and an event's day go by.
    pub fn day(&self) -> civil::Date {
        self.civil().date()
    }

    fn civil(&self) -> civil::DateTime {
        let offset = Offset::from_seconds(self.offset_seconds).unwrap_or(Offset::UTC);
        offset.to_datetime(self.timestamp)
    }

    /// Whole days from this date to `later` (negative when `later` is earlier).
    pub fn days_until(&self, later: Date) -> i64 {
        (later.timestamp.as_second() - self.timestamp.as_second()).div_euclid(86_400)
    }

    /// `2026-11`, in the author's offset: the month a report counts this date in.
    pub fn ym(&self) -> String {
        let d = self.civil().date();
        format!("{:04}-{:02}", d.year(), d.month())
    }

    /// `2026-11-01`, in the author's offset.
    pub fn ymd(&self) -> String {
        self.civil().date().to_string()
    }

    /// RFC 3339 with the author's offset (midnight UTC for plain days).
    pub fn rfc3339(&self) -> String {
        let dt = self.civil();
        let secs = self.offset_seconds;
        let offset = if secs == 0 {
            "Z".to_string()
        } else {
            let sign = if secs < 0 { '-' } else { '+' };
            let abs = secs.unsigned_abs();
            format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
        };
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{offset}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }

    /// strftime formatting in the author's offset, for the `date` template filter.
    /// [`Date::format`] with month and weekday names from `names` (a language's
    /// words) for `%B`, `%b`, `%A` and `%a`.
    pub fn format_in(&self, fmt: &str, names: &Names) -> Result<String, String> {
        let dt = self.civil();
        let month = usize::try_from(dt.month() - 1).unwrap_or(0);
        let day = usize::from(dt.weekday().to_monday_zero_offset().unsigned_abs());
        let pick = |list: &[String], at: usize| list.get(at).cloned().unwrap_or_default();
        let mut out = String::with_capacity(fmt.len());
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let word = match chars.peek() {
                Some('B') => Some(pick(&names.months, month)),
                Some('b') => Some(pick(&names.months_short, month)),
                Some('A') => Some(pick(&names.weekdays, day)),
                Some('a') => Some(pick(&names.weekdays_short, day)),
                _ => None,
            };
            match word.filter(|w| !w.is_empty()) {
                Some(w) => {
                    chars.next();
                    out.push_str(&w.replace('%', "%%"));
                }
                None => {
                    out.push('%');
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
            }
        }
        self.format(&out)
    }

    pub fn format(&self, fmt: &str) -> Result<String, String> {
        let dt = self.civil();
        let offset = Offset::from_seconds(self.offset_seconds).unwrap_or(Offset::UTC);
        let zoned = dt
            .to_zoned(TimeZone::fixed(offset))
            .map_err(|e| e.to_string())?;
        jiff::fmt::strtime::format(fmt, &zoned).map_err(|e| e.to_string())
    }
}

/// The `+01:00` / `Z` at the end of an RFC 3339 string, in seconds.
fn written_offset(s: &str) -> Option<i32> {
    if s.ends_with(['Z', 'z']) {
        return Some(0);
    }
    let tail = s.get(s.len().checked_sub(6)?..)?;
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = tail.get(1..3)?.parse().ok()?;
    let minutes: i32 = tail.get(4..6)?.parse().ok()?;
    Some(sign * (hours * 3600 + minutes * 60))
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp.cmp(&other.timestamp)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.date_only {
            f.write_str(&self.ymd())
        } else {
            f.write_str(&self.rfc3339())
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(|why| {
            serde::de::Error::custom(format!(
                "{why}; write YYYY-MM-DD or an RFC 3339 time such as 2026-12-03T18:00:00+01:00"
            ))
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_day_is_midnight_utc() {
        let d = Date::parse("2026-11-01").unwrap();
        assert!(d.date_only);
        assert_eq!(d.ymd(), "2026-11-01");
        assert_eq!(d.rfc3339(), "2026-11-01T00:00:00Z");
    }

    #[test]
    fn an_rfc3339_time_keeps_its_offset() {
        let d = Date::parse("2026-12-03T18:00:00+01:00").unwrap();
        assert_eq!(d.rfc3339(), "2026-12-03T18:00:00+01:00");
        assert_eq!(d.timestamp.to_string(), "2026-12-03T17:00:00Z");
    }

    #[test]
    fn an_impossible_day_is_refused() {
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("yesterday").is_err());
    }
}

/// Month and weekday names in one language (January first, Monday first).
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub months: Vec<String>,
    pub months_short: Vec<String>,
    pub weekdays: Vec<String>,
    pub weekdays_short: Vec<String>,
}
