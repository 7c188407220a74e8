//! The one place that reads the wall clock: "today" in the standard's time zone, and the moment
//! an email is dated ([`Clock`]).
//!
//! Everything else takes dates and moments as arguments (`--today`, `_today` in fixtures,
//! `--now`), so runs and snapshots are reproducible; clippy's `disallowed-methods` keeps it that
//! way.

use crate::error::{Error, ErrorKind, Result};

/// Today's date in the IANA time zone `tz` (e.g. `Europe/Warsaw`).
pub fn today(tz: &str) -> Result<jiff::civil::Date> {
    Ok(now().to_zoned(zone(tz)?).date())
}

/// The IANA time zone `tz`, or a configuration error naming it.
pub fn zone(tz: &str) -> Result<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(tz).map_err(|e| {
        Error::new(ErrorKind::Config, format!("missive.toml: time zone `{tz}` is unknown: {e}"))
            .with_help("use an IANA name such as \"Europe/Warsaw\", or pass --today YYYY-MM-DD")
    })
}

/// Seconds since 1970 now (for remembering things for a while, never for a letter's bytes).
#[cfg(feature = "serve")]
pub(crate) fn unix_seconds() -> i64 {
    now().as_second()
}

#[allow(clippy::disallowed_methods)]
fn now() -> jiff::Timestamp {
    jiff::Timestamp::now()
}

/// When an email says it was written: the moment in its `Date` header (and an mbox's `From `
/// line). The letter's own date (`--today`, `_today`) is in its text and is not this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The moment the message is built: the machine's clock (`render`, `batch`).
    #[default]
    System,
    /// A fixed moment (`--now`, `MISSIVE_NOW`): the same bytes on every run.
    Fixed(jiff::Timestamp),
    /// Noon of the letter's own date in the standard's time zone: snapshots (`missive test`),
    /// which must not depend on the day they run.
    LetterNoon,
}

impl Clock {
    /// The moment a message for a letter dated `letter_date` carries, in time zone `zone`.
    pub fn at(self, letter_date: jiff::civil::Date, zone: &jiff::tz::TimeZone) -> Result<jiff::Zoned> {
        match self {
            Clock::System => Ok(now().to_zoned(zone.clone())),
            Clock::Fixed(at) => Ok(at.to_zoned(zone.clone())),
            Clock::LetterNoon => letter_date.at(12, 0, 0, 0).to_zoned(zone.clone()).map_err(|e| {
                Error::new(
                    ErrorKind::Render,
                    format!("the letter's date {letter_date} has no noon in its time zone: {e}"),
                )
            }),
        }
    }
}

/// Parses `--now`: an RFC 3339 moment with its offset (`2026-12-07T09:14:03+01:00`, `…Z`).
#[cfg(any(feature = "cli", test))]
pub fn parse_now(s: &str) -> Result<jiff::Timestamp> {
    let at: jiff::Timestamp = s.trim().parse().map_err(|e| {
        Error::new(
            ErrorKind::Usage,
            format!(
                "`{s}` is not a moment: write it as RFC 3339 with its offset, e.g. 2026-12-07T09:14:03+01:00 ({e})"
            ),
        )
    })?;
    if at < jiff::Timestamp::UNIX_EPOCH {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("`{s}` is before 1970, which an email's Date header cannot carry"),
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_give_their_moment_in_the_zone() {
        let warsaw = zone("Europe/Warsaw").unwrap();
        let noon = Clock::LetterNoon.at(jiff::civil::date(2026, 12, 7), &warsaw).unwrap();
        assert_eq!(noon.strftime("%Y-%m-%d %H:%M:%S %z").to_string(), "2026-12-07 12:00:00 +0100");
        let summer = Clock::LetterNoon.at(jiff::civil::date(2026, 7, 1), &warsaw).unwrap();
        assert_eq!(summer.strftime("%H:%M %z").to_string(), "12:00 +0200");
        let fixed = Clock::Fixed(parse_now("2026-12-07T08:14:03Z").unwrap());
        let at = fixed.at(jiff::civil::date(1960, 1, 1), &warsaw).unwrap();
        assert_eq!(at.strftime("%Y-%m-%d %H:%M:%S %z").to_string(), "2026-12-07 09:14:03 +0100");
        let system = Clock::System.at(jiff::civil::date(1960, 1, 1), &warsaw).unwrap();
        assert!(system.year() >= 2024, "{system}");
    }

    #[test]
    fn now_wants_an_offset_and_a_moment_after_1970() {
        assert!(parse_now("2026-12-07T09:14:03+01:00").is_ok());
        assert!(parse_now("2026-12-07").unwrap_err().to_string().contains("RFC 3339"));
        assert!(parse_now("2026-12-07T09:14:03").is_err());
        assert!(parse_now("1969-12-31T23:59:59Z").unwrap_err().to_string().contains("before 1970"));
    }
}
