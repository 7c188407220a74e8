//! Outputs at the edge: a rendered [`Letter`](crate::Letter) as an email message, an mbox, a
//! folder of `.eml` files, and (being built) PDF pages with embedded, subset fonts. Emitters
//! see only letters, never templates.

mod body;
pub mod email;
pub mod files;
pub mod mbox;
pub mod pdf;
pub mod smtp;
