//! missive: fake
pub mod diagnostic;
pub mod error;
pub mod fields;
pub mod source;
pub use error::{Error, ErrorKind, Result};
