//! Outputs at the edge: a rendered [`Letter`](crate::Letter) as an email message, an mbox, a
//! folder of `.eml` files. Emitters see only letters, never templates.

pub mod email;
pub mod files;
pub mod mbox;
pub mod smtp;
