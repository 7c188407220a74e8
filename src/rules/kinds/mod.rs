//! The rule kinds, one file each, and the one registry that finds them.
//!
//! A kind's file holds everything about it: the rule as compiled (a struct implementing
//! [`RuleKind`]), its parsing from a pack's `[[rule]]`, its check, its documentation
//! ([`KindDoc`], which the handbook prints) and how the handbook describes a rule of it.
//! [`KINDS`] maps the names packs write to the kinds' parsers and documentation, in the
//! handbook's order; [`Kind`] holds a compiled rule's kind. Adding a kind is adding its file,
//! a line in [`KINDS`] and a variant of [`Kind`].

pub mod deadline;
pub mod field;
pub mod forbid;
pub mod limit;
pub mod promise;
pub mod require;
pub mod review;
pub mod structure;

use std::collections::BTreeMap;

use super::pack::Parsing;
pub use super::prose::KindDoc;
use super::prose::{Block, Describing, Group};
use super::{Checking, Phrases, Region};
use crate::diagnostic::Diagnostic;
use crate::error::Result;

/// What every rule kind does once a rule of it is compiled.
pub trait RuleKind {
    /// The kind's documentation, for the handbook.
    fn doc(&self) -> &'static KindDoc;

    /// Checks a letter; each finding goes to `out`.
    fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>);

    /// The handbook's heading the rule is listed under.
    fn group(&self) -> Group;

    /// What the rule asks, in words, for the handbook.
    fn describe(&self, with: &Describing<'_>) -> Vec<Block>;

    /// The phrase lists the locale matchers search for, in the order `list` numbers them
    /// ([`Checking::has_word`]); none for kinds that do not look for phrases.
    fn phrase_lists(&self) -> Vec<&Phrases> {
        Vec::new()
    }

    /// Where in a letter it looks, for kinds that a pack points at one part (`within`).
    fn within(&self) -> Option<Region> {
        None
    }

    /// The standard's wording to write instead, per locale, for kinds that have one.
    fn suggestions(&self) -> Option<&BTreeMap<String, String>> {
        None
    }
}

/// What a rule checks: one variant per kind, each holding its kind's compiled rule.
#[derive(Debug, Clone)]
pub enum Kind {
    /// See [`require`].
    Require(require::Require),
    /// See [`forbid`] (and `substitute`).
    Forbid(forbid::Forbid),
    /// See [`limit`].
    Limit(limit::Limit),
    /// See [`field`].
    Field(field::Field),
    /// See [`structure`].
    Structure(structure::Structure),
    /// See [`deadline`].
    Deadline(deadline::Deadline),
    /// See [`promise`].
    Promise(promise::Promise),
}

impl Kind {
    /// The kind's implementation, for what is asked at load and by the handbook.
    pub fn get(&self) -> &dyn RuleKind {
        match self {
            Kind::Require(k) => k,
            Kind::Forbid(k) => k,
            Kind::Limit(k) => k,
            Kind::Field(k) => k,
            Kind::Structure(k) => k,
            Kind::Deadline(k) => k,
            Kind::Promise(k) => k,
        }
    }

    /// Checks a letter. A `match` rather than [`Kind::get`]: on the per-letter path each
    /// kind's check is called directly (and may be inlined), not through a vtable.
    pub fn check(&self, at: &Checking<'_>, out: &mut Vec<Diagnostic>) {
        match self {
            Kind::Require(k) => k.check(at, out),
            Kind::Forbid(k) => k.check(at, out),
            Kind::Limit(k) => k.check(at, out),
            Kind::Field(k) => k.check(at, out),
            Kind::Structure(k) => k.check(at, out),
            Kind::Deadline(k) => k.check(at, out),
            Kind::Promise(k) => k.check(at, out),
        }
    }

    /// The kind's name as written in packs (`substitute` rules are `forbid` rules).
    pub fn name(&self) -> &'static str {
        self.get().doc().name
    }
}

/// A kind as packs name it: its parser and its documentation.
pub(crate) struct Registered {
    /// The name written in `kind = "…"`.
    pub name: &'static str,
    /// Its documentation; `None` for a name that is another kind's variant (`substitute`).
    /// Read by the handbook (the command line's).
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub doc: Option<&'static KindDoc>,
    /// Builds the rule's kind from the `[[rule]]` table, its common keys already read.
    pub parse: fn(Parsing<'_>) -> Result<Kind>,
}

/// The registry: every kind a pack may name, in the order the handbook documents them.
pub(crate) const KINDS: &[Registered] = &[
    Registered { name: "require", doc: Some(&require::DOC), parse: require::parse },
    Registered { name: "forbid", doc: Some(&forbid::DOC), parse: forbid::parse },
    Registered { name: "substitute", doc: None, parse: forbid::parse },
    Registered { name: "limit", doc: Some(&limit::DOC), parse: limit::parse },
    Registered { name: "field", doc: Some(&field::DOC), parse: field::parse },
    Registered { name: "structure", doc: Some(&structure::DOC), parse: structure::parse },
    Registered { name: "deadline", doc: Some(&deadline::DOC), parse: deadline::parse },
    Registered { name: "promise", doc: Some(&promise::DOC), parse: promise::parse },
];

/// The kind a pack names, if there is one.
pub(crate) fn find(name: &str) -> Option<&'static Registered> {
    KINDS.iter().find(|k| k.name == name)
}

/// Every kind's documentation in the handbook's order, the built-in `review` last.
#[cfg(feature = "cli")]
pub fn docs() -> impl Iterator<Item = &'static KindDoc> {
    KINDS.iter().filter_map(|k| k.doc).chain(std::iter::once(&review::DOC))
}
