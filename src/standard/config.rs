//! `missive.toml`: who writes, in which languages, and which rule packs are in force.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::locale::format::Grouping;

/// The whole of `missive.toml`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The standard itself: name, owner, review date, languages.
    pub standard: StandardInfo,
    /// The letterhead, `From:` and signature.
    pub sender: Sender,
    /// Per-language settings, keyed by the locale folder name (`[locale.en]`).
    #[serde(default)]
    pub locale: BTreeMap<String, LocaleConfig>,
    /// Rule packs in force.
    #[serde(default = "RulesConfig::none")]
    pub rules: RulesConfig,
    /// The email channel.
    #[serde(default)]
    pub email: EmailConfig,
    /// `missive serve`'s sending.
    #[serde(default)]
    pub serve: ServeConfig,
}

/// `[serve]`: what `POST /v1/letters/{id}/send` needs. Read when the server starts (a reload
/// with `--watch` keeps the server's first settings).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// The SMTP server letters are sent through (`smtp://host:port?tls=required`,
    /// `smtps://host`); credentials from MISSIVE_SMTP_USER and MISSIVE_SMTP_PASSWORD. Without it
    /// the send route answers 501.
    #[serde(default)]
    pub smtp: Option<String>,
    /// The SQLite file that remembers `Idempotency-Key`s, relative to the standard (default
    /// `.missive/serve-keys.sqlite`).
    #[serde(default)]
    pub keys: Option<String>,
    /// How long a key is remembered, in hours (default 24).
    #[serde(default)]
    pub remember_hours: Option<u32>,
}

/// `[email]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// The folder (relative to the standard) that records may name attachments from; records can
    /// never reach a file outside it.
    #[serde(default)]
    pub attachments: Option<String>,
    /// DKIM: every message signed with this domain's key (RFC 6376).
    #[serde(default)]
    pub dkim: Option<DkimConfig>,
    /// Whether emails show the letterhead's logo (`[logo]` in `templates/layouts/letter.toml`)
    /// as an inline image the shell places through `logo`; `false` leaves it out, and no image
    /// is sent. Unset means yes.
    #[serde(default)]
    pub logo: Option<bool>,
}

/// `[email.dkim]`: the key every message is signed with, RSA (2048 bits or more) or Ed25519
/// (RFC 8463), and where receivers find its public half: the TXT record
/// `<selector>._domainkey.<domain>`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DkimConfig {
    /// The signing domain (`d=`): the domain of `[sender] email`, or one it is a subdomain of,
    /// for DMARC to pass.
    pub domain: String,
    /// The selector (`s=`) naming the key's DNS record.
    pub selector: String,
    /// The private key: a PEM file (PKCS#8, or PKCS#1 for RSA), relative to the standard.
    #[serde(default)]
    pub private_key: Option<String>,
    /// The environment variable holding the private key's PEM text, instead of a file.
    #[serde(default)]
    pub private_key_env: Option<String>,
}

/// `[standard]`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StandardInfo {
    /// A readable name.
    pub name: String,
    /// Who answers for the standard.
    pub owner: String,
    /// The standard is reviewed by then.
    #[serde(deserialize_with = "crate::fields::toml_date")]
    #[cfg_attr(feature = "cli", schemars(with = "String", extend("format" = "date")))]
    pub review_by: jiff::civil::Date,
    /// Used when a record's locale matches none of `locales`.
    pub default_locale: String,
    /// The languages letters are written in; each has a folder under `locales/`.
    pub locales: Vec<String>,
    /// The time zone "today" is taken in (IANA name).
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// The currency of money given as a bare amount.
    #[serde(default)]
    pub currency: Option<String>,
    /// Where the handbook (`missive rules --format html`) is published, as an absolute URL:
    /// SARIF rules then link each rule to its anchor there (`…#rule-courtesy.missing-thanks`).
    #[serde(default)]
    pub handbook_url: Option<String>,
}

/// `[sender]`: the company that writes.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// The company's name.
    pub company: String,
    /// Postal address lines.
    pub address: Vec<String>,
    /// Contact e-mail (and the default `From:`).
    pub email: String,
    /// Where replies go, when not to `email`.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Contact phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// The town of the place-and-date line.
    pub place: String,
    /// Web site.
    #[serde(default)]
    pub website: Option<String>,
    /// The account customers pay into (IBAN, grouped in fours).
    #[serde(default)]
    pub bank_account: Option<String>,
    /// Registration data for the footer (court, KRS, NIP, share capital).
    #[serde(default)]
    pub registration: Option<String>,
}

/// `[locale.<tag>]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LocaleConfig {
    /// The CLDR locale for dates and numbers when it differs from the folder name
    /// (`en` letters dated the British way: `format = "en-GB"`).
    #[serde(default)]
    pub format: Option<String>,
    /// Thousands grouping: `"cldr"` (default) or `"always"`.
    #[serde(default, deserialize_with = "grouping")]
    #[cfg_attr(feature = "cli", schemars(with = "String", extend("enum" = ["cldr", "always"])))]
    pub grouping: Grouping,
}

/// `[rules]`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "cli", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// The packs in force, by file name under `rules/`.
    #[serde(default)]
    pub packs: Vec<String>,
    /// Days after a `review_by` date during which an overdue review is a warning, not an error.
    #[serde(default = "default_grace")]
    pub review_grace_days: u32,
}

fn default_grace() -> u32 {
    30
}

impl RulesConfig {
    fn none() -> RulesConfig {
        RulesConfig { packs: Vec::new(), review_grace_days: default_grace() }
    }
}

fn default_time_zone() -> String {
    "Europe/Warsaw".into()
}

fn grouping<'de, D: Deserializer<'de>>(d: D) -> Result<Grouping, D::Error> {
    match String::deserialize(d)?.as_str() {
        "cldr" => Ok(Grouping::Cldr),
        "always" => Ok(Grouping::Always),
        other => Err(serde::de::Error::custom(format!(
            "`{other}` is not a grouping; use \"cldr\" (1234,56 zł) or \"always\" (1 234,56 zł)"
        ))),
    }
}
