//! The one place that reads the wall clock: "today" in the standard's time zone.
//!
//! Everything else takes dates as arguments (`--today`, `_today` in fixtures), so runs and
//! snapshots are reproducible; clippy's `disallowed-methods` keeps it that way.

use crate::error::{Error, ErrorKind, Result};

/// Today's date in the IANA time zone `tz` (e.g. `Europe/Warsaw`).
#[allow(clippy::disallowed_methods)]
pub fn today(tz: &str) -> Result<jiff::civil::Date> {
    let zone = jiff::tz::TimeZone::get(tz).map_err(|e| {
        Error::new(ErrorKind::Config, format!("missive.toml: time zone `{tz}` is unknown: {e}"))
            .with_help("use an IANA name such as \"Europe/Warsaw\", or pass --today YYYY-MM-DD")
    })?;
    Ok(jiff::Timestamp::now().to_zoned(zone).date())
}
