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
//! The pipeline: [`standard`] loads → [`fields`] checks the record → [`template`] renders
//! Markdown (calling [`locale`] for messages and formatting) → [`markup`] makes text and HTML →
//! a [`Letter`]. Errors are [`Error`]s; warnings and findings are [`Diagnostic`]s.

#[cfg(feature = "journal")]
pub mod batch;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod clock;
pub mod diagnostic;
pub mod emit;
pub mod error;
pub mod fields;
pub mod handbook;
mod hash;
mod json;
pub mod locale;
pub mod markup;
pub mod render;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod source;
pub mod standard;
pub mod template;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{Error, ErrorKind, FieldProblem, Result};
pub use render::{Letter, Request};
pub use standard::Standard;
