//! missive compiles a company's standardised customer correspondence: Tera templates with typed
//! personalisation fields, Fluent locale bundles with CLDR formatting, and letters rendered to
//! plain text and HTML that carry the same words.
//!
//! ```no_run
//! use missive::{Request, Standard};
//!
//! let standard = Standard::load("path/to/standard".as_ref())?;  // once: parses everything
//! let record: serde_json::Value = serde_json::json!({
//!     "locale": "pl-PL",
//!     "customer": { "name": "Anna Kowalska", "gender": "female", "email": "anna@example.pl" },
//! });
//! let request = Request { template: "invoice", origin: "example", ..Default::default() };
//! let letter = standard.render(&request, record.as_object().unwrap())?;  // many times, any thread
//! println!("{}\n\n{}", letter.subject, letter.text);
//! # Ok::<(), missive::Error>(())
//! ```
//!
//! The pipeline: [`Standard::load`] reads and compiles a standard once; [`Standard::render`]
//! checks a record against the template's [`fields`], renders its Markdown, writes text and
//! HTML and checks the standard's rules → a [`Letter`]. [`emit`] makes it an email or a PDF,
//! each `(&Outputs, &Letter)` ([`emit::Outputs`]); [`batch`] runs millions of them. Errors are
//! [`Error`]s; warnings and rule findings are [`Diagnostic`]s.

#![warn(missing_docs)]

pub mod answer;
#[cfg(feature = "journal")]
pub mod batch;
pub mod check;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
pub mod clock;
pub(crate) mod diagnostic;
pub mod emit;
pub mod error;
pub mod fields;
#[cfg(feature = "cli")]
pub(crate) mod handbook;
mod hash;
mod json;
pub(crate) mod locale;
pub(crate) mod markup;
pub mod render;
#[cfg(feature = "cli")]
pub(crate) mod report;
pub(crate) mod rules;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "cli")]
pub(crate) mod snapshot;
pub(crate) mod source;
#[doc(hidden)]
pub mod stages;
pub mod standard;
pub(crate) mod template;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, ErrorKind, FieldProblem, Result};
pub use render::{Letter, Request};
pub use standard::Standard;
