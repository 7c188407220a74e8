//! `deadline`: a date the letter promises lies within the time the standard allows.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::field::{lookup, printed_forms};
use super::{Kind, KindDoc, RuleKind};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::fields::{Typed, typed};
use crate::rules::Checking;
use crate::rules::pack::Parsing;
use crate::rules::prose::{Arg, Block, Describing, Group, text};
use crate::rules::text::Folded;

/// `deadline` in the handbook: its name and example (its words are `kind-deadline-*` in
/// `locales/<lang>/handbook.ftl`).
pub const DOC: KindDoc = KindDoc {
    name: "deadline",
    example: "kind = \"deadline\"\napplies_to = [\"complaint-ack\"]\ndate = \"complaint.answer_by\"\nfrom = \"complaint.received\"\nmax_days = 30\ndays = \"calendar\"",
};

/// How days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayCount {
    /// Every day.
    Calendar,
    /// Monday to Friday, without Polish public holidays.
    Business,
}

/// Easter Sunday of `year` (Gregorian, the anonymous algorithm).
fn easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, month as i8, day as i8).ok()
}

/// Whether `date` is a Polish public holiday (ustawa o dniach wolnych od pracy, with
/// Christmas Eve a holiday from 2025).
pub fn is_polish_holiday(date: Date) -> bool {
    let fixed = [(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)];
    if fixed.contains(&(date.month(), date.day())) || (date.year() >= 2025 && date.month() == 12 && date.day() == 24) {
        return true;
    }
    let Some(easter) = easter(date.year()) else { return false };
    // Easter Sunday, Easter Monday, Pentecost Sunday (+49) and Corpus Christi (+60).
    [0, 1, 49, 60].into_iter().any(|offset| easter.checked_add(offset.days()).is_ok_and(|d| d == date))
}

/// Days from `from` to `to`: calendar days, or business days after `from` up to `to`.
pub fn days_between(from: Date, to: Date, count: DayCount) -> i64 {
    let calendar = i64::from((to - from).get_days());
    if count == DayCount::Calendar || to <= from {
        return calendar;
    }
    let mut n = 0;
    let mut day = from;
    while day < to {
        let Ok(next) = day.tomorrow() else { break };
        day = next;
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_polish_holiday(day) {
            n += 1;
        }
    }
    n
}

/// A `deadline` rule: a date field lies within `max_days` of another, and the letter states it.
#[derive(Debug, Clone)]
pub struct Deadline {
    /// The promised date (`complaint.answer_by`).
    pub date: String,
    /// The date it counts from (`complaint.received`).
    pub from: String,
    /// The most days allowed.
    pub max_days: u32,
    /// Calendar or business days.
    pub days: DayCount,
}

/// Reads a `deadline` rule: `date`, `from`, `max_days` and `days` (calendar by default).
pub(crate) fn parse(p: Parsing<'_>) -> Result<Kind> {
    let need = |v: &Option<String>, name: &str| {
        v.clone().ok_or_else(|| {
            p.bad(
                format!("a `deadline` rule needs `{name}`"),
                "add date = \"complaint.answer_by\", from = \"complaint.received\", max_days = 14",
            )
        })
    };
    let days = match p.raw.days.as_deref() {
        None | Some("calendar") => DayCount::Calendar,
        Some("business") => DayCount::Business,
        Some(other) => {
            return Err(p.bad(
                format!("`days = \"{other}\"` is not a way of counting"),
                "use \"calendar\" or \"business\" (Polish public holidays excluded)",
            ));
        }
    };
    Ok(Kind::Deadline(Deadline {
        date: need(&p.raw.date, "date")?,
        from: need(&p.raw.from, "from")?,
        max_days: p
            .raw
            .max_days
            .ok_or_else(|| p.bad("a `deadline` rule needs `max_days`".into(), "add max_days = 14"))?,
        days,
    }))
}

impl RuleKind for Deadline {
    fn doc(&self) -> &'static KindDoc {
        &DOC
    }

    /// Reports a promised date beyond the allowed days, or a promise the letter does not state.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        let Deadline { date, from, max_days, days } = self;
        let (max_days, days) = (*max_days, *days);
        let prepared = at.prepared;
        let fields = prepared.input.fields;
        let get = |path: &str| match lookup(fields, path).and_then(typed) {
            Some(Typed::Date(d)) => Some(d),
            _ => None,
        };
        let (Some(promised), Some(start)) = (get(date), get(from)) else { return };
        let elapsed = days_between(start, promised, days);
        let unit = if days == DayCount::Business { "business days" } else { "days" };
        if elapsed > i64::from(max_days) {
            let mut d = at
                .finding(Some(format!("`{date}` is {elapsed} {unit} after `{from}`; at most {max_days} are allowed")));
            d.found = Some(promised.to_string());
            d.help = Some(format!("promise a date no later than {max_days} {unit} after {start}"));
            out.push(d);
        }
        let value = lookup(fields, date);
        let stated = value.is_some_and(|v| {
            printed_forms(v, prepared.input.formats)
                .iter()
                .any(|form| prepared.text.text.contains(&format!(" {} ", Folded::phrase(form))))
        });
        if !stated {
            let mut d = at.finding(Some(format!("the letter does not state `{date}`")));
            d.help = Some(format!("say by when: print `{date}` in the letter"));
            out.push(d);
        }
    }

    fn group(&self) -> Group {
        Group::Always
    }

    fn describe(&self, with: &Describing<'_>) -> Vec<Block> {
        let Deadline { date, from, max_days, days } = self;
        let count = match days {
            DayCount::Calendar => "calendar",
            DayCount::Business => "business",
        };
        let mut spans = with.words.spans(
            "deadline",
            &[
                ("date", Arg::Text(date)),
                ("from", Arg::Text(from)),
                ("days", Arg::Num(f64::from(*max_days))),
                ("count", Arg::Key(count)),
            ],
        );
        if *days == DayCount::Business {
            spans.push(text(" "));
            spans.extend(with.words.spans("deadline-business", &[]));
        }
        vec![Block::Para(spans)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_and_movable_holidays() {
        assert_eq!(easter(2026), Some(date(2026, 4, 5)));
        assert_eq!(easter(2027), Some(date(2027, 3, 28)));
        assert!(is_polish_holiday(date(2026, 4, 6)), "Easter Monday");
        assert!(is_polish_holiday(date(2026, 6, 4)), "Corpus Christi");
        assert!(is_polish_holiday(date(2026, 11, 11)));
        assert!(is_polish_holiday(date(2026, 12, 24)), "Christmas Eve from 2025");
        assert!(!is_polish_holiday(date(2024, 12, 24)));
        assert!(!is_polish_holiday(date(2026, 11, 12)));
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        // Tue 10 Nov 2026 → Mon 16 Nov: 11 Nov is a holiday, 14–15 a weekend: 12, 13, 16.
        assert_eq!(days_between(date(2026, 11, 10), date(2026, 11, 16), DayCount::Business), 3);
        assert_eq!(days_between(date(2026, 11, 10), date(2026, 11, 16), DayCount::Calendar), 6);
        assert_eq!(days_between(date(2026, 11, 16), date(2026, 11, 10), DayCount::Business), -6);
    }
}
