//! Outputs at the edge: a rendered [`Letter`](crate::Letter) as an email message, an mbox, a
//! folder of `.eml` files, a printed PDF letter, SMTP delivery. Emitters see only letters and
//! the [`Outputs`] made once from the standard, never the standard itself: every emitter is
//! `(&Outputs, &Letter)`.

pub(crate) mod body;
mod dkim;
pub mod email;
pub mod files;
pub mod mbox;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "smtp")]
pub mod smtp;

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::Mailbox;

use crate::error::{Error, ErrorKind, Result};
use crate::standard::Standard;
use crate::standard::config::Sender;
use crate::standard::dkim::DkimKey;
use crate::standard::layout::Layout;

/// What the outputs take from a standard, made once ([`Outputs::new`]) and shared by every
/// letter and thread: the sender (its mailboxes parsed once), the standard's name and time
/// zone, the PDF layout, the attachments folder, the DKIM key, the email's inline logo.
#[derive(Debug, Clone)]
pub struct Outputs {
    sender: Sender,
    standard_name: String,
    time_zone: String,
    /// `None` when missive.toml names an unknown zone: each email that needs it says so.
    zone: Option<jiff::tz::TimeZone>,
    /// From and Reply-To; `None` when the sender's address does not parse: each email that
    /// needs it says why (the standard still renders text and PDF).
    mailboxes: Option<(Mailbox, Option<Mailbox>)>,
    /// Their From and Reply-To header lines, written once (`None` with `mailboxes`).
    sender_lines: Option<Arc<email::SenderLines>>,
    layout: Layout,
    attachments: Option<PathBuf>,
    /// The house fonts and logo, loaded on the first PDF (an email-only run, or a `--watch`
    /// reload, never parses them); an error is kept and each PDF says it again.
    #[cfg(feature = "pdf")]
    pdf: std::sync::Arc<std::sync::OnceLock<std::result::Result<pdf::Assets, Error>>>,
    /// The key every message is signed with (`[email.dkim]`).
    dkim: Option<Arc<DkimKey>>,
    /// The logo emails show inline, its MIME part made once; `None` when they show none.
    logo: Option<Arc<email::InlineImage>>,
}

impl Outputs {
    /// The outputs of `standard`.
    pub fn new(standard: &Standard) -> Outputs {
        let config = standard.config();
        let time_zone = config.standard.time_zone.clone();
        let mut outputs = Outputs {
            sender: config.sender.clone(),
            standard_name: config.standard.name.clone(),
            zone: crate::clock::zone(&time_zone).ok(),
            time_zone,
            mailboxes: None,
            sender_lines: None,
            layout: standard.pdf_layout().clone(),
            attachments: standard.attachments_folder(),
            #[cfg(feature = "pdf")]
            pdf: std::sync::Arc::default(),
            dkim: standard.dkim().cloned(),
            logo: standard.email_logo().and_then(|logo| email::InlineImage::new(logo).ok()).map(Arc::new),
        };
        outputs.mailboxes = email::sender_mailboxes(&outputs.sender).ok();
        outputs.sender_lines = outputs
            .mailboxes
            .as_ref()
            .map(|(from, reply_to)| Arc::new(email::SenderLines::new(from, reply_to.as_ref())));
        outputs
    }

    /// The sender, from missive.toml's `[sender]`.
    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    /// The standard's name (part of every Message-ID).
    pub fn standard_name(&self) -> &str {
        &self.standard_name
    }

    /// The standard's time zone.
    pub fn zone(&self) -> Result<&jiff::tz::TimeZone> {
        match &self.zone {
            Some(zone) => Ok(zone),
            // It failed to load when the outputs were made: say why again.
            None => Err(crate::clock::zone(&self.time_zone).err().unwrap_or_else(|| {
                Error::new(ErrorKind::Config, format!("time zone `{}` could not be loaded", self.time_zone))
            })),
        }
    }

    /// The sender's From and Reply-To mailboxes.
    fn mailboxes(&self) -> Result<(Mailbox, Option<Mailbox>)> {
        match &self.mailboxes {
            Some(parsed) => Ok(parsed.clone()),
            None => email::sender_mailboxes(&self.sender),
        }
    }

    /// The PDF layout (`templates/layouts/letter.toml`).
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The PDF's house fonts, logo and conformance; the error that kept them from loading.
    #[cfg(feature = "pdf")]
    pub fn pdf(&self) -> Result<&pdf::Assets> {
        match self.pdf.get_or_init(|| pdf::Assets::new(&self.layout)) {
            Ok(assets) => Ok(assets),
            Err(e) => {
                let again = Error::new(e.kind(), e.to_string());
                Err(match e.help_text() {
                    Some(help) => again.with_help(help.to_string()),
                    None => again,
                })
            }
        }
    }

    /// The key messages are signed with, if any.
    pub fn dkim(&self) -> Option<&DkimKey> {
        self.dkim.as_deref()
    }

    /// The bytes of attachment `name` from the standard's attachments folder.
    fn attachment(&self, name: &str) -> Result<Vec<u8>> {
        crate::standard::attachment_in(self.attachments.as_deref(), name)
    }
}

/// The MIME type of an attached or embedded file, by its extension (`application/xml` for a
/// structured e-invoice); `application/octet-stream`, as PDF/A-3 asks, when it is not known.
pub(crate) fn media_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}
