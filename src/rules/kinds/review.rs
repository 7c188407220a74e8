//! `review`: the standard, its packs and templates are reviewed on time, or they die.

use jiff::ToSpan;

#[cfg(feature = "cli")]
use super::KindDoc;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Location;

/// `review` in the handbook: its name and example (its words are `kind-review-*` in
/// `locales/<lang>/handbook.ftl`).
#[cfg(feature = "cli")]
pub const DOC: KindDoc = KindDoc {
    name: "review",
    example: "# in a template's front matter, a pack's [pack] or missive.toml's [standard]\nowner = \"billing@example.pl\"\nreview_by = 2027-03-31",
};

/// The rule id of review findings.
pub const ID: &str = "review.overdue";

/// One reviewable item: what it is, who owns it, when it is due, where it is declared.
pub struct Item<'a> {
    /// e.g. "template `invoice`".
    pub what: String,
    /// The owner.
    pub owner: &'a str,
    /// The review date.
    pub review_by: jiff::civil::Date,
    /// Where `review_by` is written.
    pub at: Option<Location>,
}

/// Reports items past their review date on `today`.
pub fn check(items: &[Item<'_>], today: jiff::civil::Date, grace_days: u32) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in items {
        if today <= item.review_by {
            continue;
        }
        let late = (today - item.review_by).get_days();
        let deadline = item.review_by.checked_add(i64::from(grace_days).days()).unwrap_or(item.review_by);
        let severity = if today > deadline { Severity::Error } else { Severity::Warning };
        let mut d = Diagnostic::new(
            severity,
            ID,
            format!("{} was due for review on {} ({late} days ago)", item.what, item.review_by),
        );
        d.help = Some(format!("review it with its owner ({}) and move `review_by` forward", item.owner));
        d.location = item.at.clone();
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn overdue_is_a_warning_then_an_error() {
        let item = |d| Item { what: "template `x`".into(), owner: "a@b.pl", review_by: d, at: None };
        let items = [item(date(2026, 11, 30)), item(date(2026, 11, 1)), item(date(2026, 9, 1))];
        let found = check(&items, date(2026, 11, 23), 30);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(found[1].severity, Severity::Error);
        assert!(found[1].message.contains("83 days ago"), "{}", found[1].message);
    }
}
