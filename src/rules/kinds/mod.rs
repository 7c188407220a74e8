//! The rule kinds, one documented unit each. Every kind's [`KindDoc`] answers the same four
//! questions, and the handbook (`missive rules`) prints them.

pub mod deadline;
pub mod field;
pub mod forbid;
pub mod limit;
pub mod require;
pub mod review;
pub mod structure;

pub use deadline::DayCount;
pub use limit::Metric;

/// A rule kind's documentation: what it checks, why it matters, an example, what to write instead.
#[derive(Debug, Clone, Copy)]
pub struct KindDoc {
    /// The kind as written in packs.
    pub name: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A rule of this kind, in TOML.
    pub example: &'static str,
    /// How to fix a finding.
    pub instead: &'static str,
}

/// Every kind's documentation, in the order the handbook shows them.
pub const DOCS: [KindDoc; 7] =
    [require::DOC, forbid::DOC, limit::DOC, field::DOC, structure::DOC, deadline::DOC, review::DOC];
