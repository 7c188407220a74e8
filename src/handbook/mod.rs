//! The standard as a handbook: every pack and rule in words a department pins on its wall.
//!
//! [`markdown`] and [`html`] print the same handbook. Each rule is first described once as
//! blocks of spans (plain words, codes, phrases in their language); the two renderers only
//! add their markup and their escaping, so they never disagree about what the standard says.
//! [`explain`] prints one rule for a person (`missive rules <id>`).
//!
//! The handbook's own words (headings, labels, explanations) are Fluent messages, in the
//! handbook's language: `words.rs` takes them from the standard's `locales/<lang>/handbook.ftl`
//! and each one it lacks from missive's built-in copy of the same language. `model.rs`
//! describes the handbook once ([`model::Book`]); `markdown.rs` and `html.rs` write it;
//! `rule.rs` explains one rule; `style.rs` holds the HTML page's styles.

mod html;
mod markdown;
mod model;
mod rule;
mod style;
mod words;

use crate::error::Result;
use crate::standard::Standard;
use html::Html;
use markdown::Markdown;
use model::Book;
pub use rule::explain;
use words::Words;

/// The standard as a Markdown handbook in `locale` (default: the standard's default language):
/// the standard's name, owner, review date and languages; contents; every pack with its rules
/// grouped as *Always write*, *Never write* (a "Never write | Write instead" table per
/// language) and *Keep it*; the review calendar; the letters covered; and how each kind of
/// rule works. `missive rules --format md` prints it.
pub fn markdown(standard: &Standard, locale: Option<&str>) -> Result<String> {
    let words = Words::new(standard, locale)?;
    let text = Markdown::default().book(&Book::new(standard, &words));
    words.finish()?;
    Ok(text)
}

/// The same handbook as one self-contained HTML page: inline styles, no scripts, no external
/// resources, the page and each phrase marked with their language, and print styles that put
/// each pack on its own page. `missive rules --format html` writes it.
pub fn html(standard: &Standard, locale: Option<&str>) -> Result<String> {
    let words = Words::new(standard, locale)?;
    let text = Html::default().book(&Book::new(standard, &words));
    words.finish()?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::markdown::{md_code, md_para, md_text, slug};
    use super::model::language;
    use super::*;
    use crate::rules::kinds::{docs, review};
    use std::path::Path;

    /// Writes a small standard: one letter, two languages, one pack with every kind of rule.
    fn small() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let files: &[(&str, &str)] = &[
            (
                "missive.toml",
                r#"[standard]
name = "Acme | written standard"
owner = "cx@acme.pl"
review_by = 2027-06-30
default_locale = "pl"
locales = ["pl", "en"]

[sender]
company = "Acme S.A."
address = ["ul. Prosta 1", "00-001 Warszawa"]
email = "hello@acme.pl"
place = "Warszawa"

[rules]
packs = ["p"]
review_grace_days = 14
"#,
            ),
            (
                "templates/x.tera",
                r#"+++
title = "Invoice letter"
kind = "invoice"
channels = ["email", "letter"]
subject = "x-subject"
owner = "billing@acme.pl"
review_by = 2027-03-31

[fields]
"customer.name" = { type = "name", required = true, description = "The addressee." }
+++
{{ t(id="x-body") }}
"#,
            ),
            ("locales/pl/a.ftl", "x-subject = Faktura\nx-body = Dziękujemy.\n"),
            ("locales/en/a.ftl", "x-subject = Invoice\nx-body = Thank you.\n"),
            (
                "rules/p.toml",
                r#"[pack]
name = "Plain_speaking *pack*"
owner = "voice@acme.pl"
review_by = 2026-12-31
description = "Say it kindly."

[[rule]]
id = "plain.thanks"
kind = "require"
applies_to = ["invoice"]
within = "closing"
message = "An invoice ends with a thank-you."
why = "Kindness is the brand."
phrases.pl = ["Dziękujemy", "dziękuj*"]
phrases.en = ["Thank you"]

[[rule]]
id = "plain.no-machine"
kind = "substitute"
severity = "warning"
message = "Never blame the computer."
phrases.pl = ["wina systemu", "nie wiem <b>&"]
phrases.en = ["system error"]
suggest.pl = "Sprawdzimy to i odpowiemy do [data]."
suggest.en = "We will look into it by [date]."

[[rule]]
id = "plain.no-shouting"
kind = "limit"
metric = "exclamation_marks"
max = 1
message = "At most one exclamation mark."

[[rule]]
id = "plain.no-capitals"
kind = "limit"
metric = "caps_words"
max = 0
ignore = ["IBAN"]
applies_to = ["complaint-reply"]
severity = "info"
message = "No capitals."

[[rule]]
id = "plain.name"
kind = "field"
fields = ["customer.name"]
message = "The letter names the customer."

[[rule]]
id = "plain.frame"
kind = "structure"
message = "Salutation and closing."
salutation.pl = ["Szanowni Państwo"]
salutation.en = ["Dear"]
closing.pl = ["Z poważaniem"]
closing.en = ["Yours sincerely"]

[[rule]]
id = "plain.answer-in-time"
kind = "deadline"
date = "complaint.answer_by"
from = "complaint.received"
max_days = 14
days = "business"
message = "The answer comes within 14 business days."
"#,
            ),
        ];
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn ids(standard: &Standard) -> Vec<String> {
        let mut ids: Vec<String> = standard.rules().rules().iter().map(|r| r.id.clone()).collect();
        ids.push(review::ID.to_string());
        ids
    }

    #[test]
    fn markdown_reads_like_a_handbook() {
        let dir = small();
        let standard = Standard::load(dir.path()).unwrap();
        let md = markdown(&standard, Some("en")).unwrap();
        assert!(md.starts_with("# Acme \\| written standard\n"), "{md}");
        assert!(md.contains("- **Owner:** cx@acme.pl\n"), "{md}");
        assert!(md.contains("- **Review by:** 2027-06-30\n"), "{md}");
        assert!(md.contains("- **Languages:** Polski (pl, default), English (en)\n"), "{md}");
        // The pack, escaped, with its owner and review date; the contents link to it.
        assert!(md.contains("## Plain\\_speaking \\*pack\\*\n"), "{md}");
        assert!(md.contains("1. [Plain\\_speaking \\*pack\\*](#plain_speaking-pack) — 7 rules\n"), "{md}");
        assert!(md.contains("**Owner:** voice@acme.pl · **Review by:** 2026-12-31"), "{md}");
        // Groups in order.
        let always = md.find("### Always write").unwrap();
        let never = md.find("### Never write").unwrap();
        let keep = md.find("### Keep it").unwrap();
        assert!(always < never && never < keep);
        // The forbidden phrase and its suggestion in one row; later rows point up.
        assert!(md.contains("| wina systemu | Sprawdzimy to i odpowiemy do \\[data\\]. |\n"), "{md}");
        assert!(md.contains("| nie wiem \\<b\\>\\& | *as above* |\n"), "{md}");
        assert!(md.contains("| system error | We will look into it by \\[date\\]. |\n"), "{md}");
        assert!(md.contains("**Polski**\n\n| Never write | Write instead |"), "{md}");
        // The required phrases per language, the region in words, the letters by title.
        assert!(md.contains("In the closing (last 3 paragraphs), write one of:"), "{md}");
        assert!(md.contains("- **Polski:** “Dziękujemy”, “dziękuj\\*”\n"), "{md}");
        assert!(md.contains("- **English:** “Thank you”\n"), "{md}");
        assert!(md.contains("`plain.thanks` · **error** · require · Letters: Invoice letter\n"), "{md}");
        assert!(md.contains("`complaint-reply` (no letter of this kind yet)"), "{md}");
        // Limits in plain words.
        assert!(md.contains("**At most 1 exclamation mark per letter.**"), "{md}");
        assert!(md.contains("**No words in capitals in a letter.**"), "{md}");
        assert!(md.contains("Not counted: `IBAN`."), "{md}");
        // Fields with what they hold, the frame, the deadline.
        assert!(md.contains("- `customer.name` — The addressee.\n"), "{md}");
        assert!(md.contains("followed by the signature of Acme S.A.:"), "{md}");
        assert!(md.contains("is at most 14 business days after `complaint.received`"), "{md}");
        assert!(md.contains("*Why:* Kindness is the brand.\n"), "{md}");
        // Reviews, letters, appendix.
        assert!(md.contains("more than 14 days after it, an error"), "{md}");
        assert!(md.contains("| Rule pack: Plain\\_speaking \\*pack\\* | voice@acme.pl | 2026-12-31 |\n"), "{md}");
        assert!(
            md.contains("| Invoice letter | `x` | `invoice` | billing@acme.pl | 2027-03-31 | email, letter |\n"),
            "{md}"
        );
        for doc in docs() {
            assert!(md.contains(&format!("### {}\n", doc.name)), "{md}");
        }
        assert!(md.contains("**What it checks.**") && md.contains("**Write instead.**"), "{md}");
        for id in ids(&standard) {
            assert!(md.contains(&format!("`{id}`")), "{id} missing");
        }
        assert_eq!(md, markdown(&standard, Some("en")).unwrap(), "deterministic");
    }

    #[test]
    fn html_is_one_safe_page() {
        let dir = small();
        let standard = Standard::load(dir.path()).unwrap();
        let page = html(&standard, Some("en")).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{page}");
        assert!(page.trim_end().ends_with("</html>"));
        assert!(page.contains("<style>") && page.contains("@media print"));
        let lower = page.to_lowercase();
        assert!(!lower.contains("<script"), "no scripts");
        assert!(
            !lower.contains("src=")
                && !lower.contains("<link")
                && !lower.contains("@import")
                && !lower.contains("url(")
        );
        assert!(page.contains("<title>Acme | written standard</title>"));
        // User text is escaped, and carries its language.
        assert!(page.contains("<span class=\"phrase\" lang=\"pl\">nie wiem &lt;b&gt;&amp;</span>"), "{page}");
        assert!(!page.contains("<b>&"));
        assert!(
            page.contains("<td class=\"instead\" rowspan=\"2\" lang=\"pl\">Sprawdzimy to i odpowiemy do [data].</td>"),
            "{page}"
        );
        assert!(page.contains("<th class=\"never\" scope=\"col\">Never write</th>"));
        assert!(page.contains("At most 1 exclamation mark per letter."));
        assert!(page.contains("<h2>Plain_speaking *pack*</h2>"));
        for id in ids(&standard) {
            assert!(page.contains(&format!("<code class=\"id\">{id}</code>")), "{id} missing");
        }
        assert_eq!(page, html(&standard, Some("en")).unwrap(), "deterministic");
    }

    #[test]
    fn markdown_escapes_and_anchors() {
        assert_eq!(md_text("a|b *c* _d_ [e](f) <g> & `h`"), "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\& \\`h\\`");
        assert_eq!(md_para("- not a list"), "\\- not a list");
        assert_eq!(md_para("1. not a list"), "1\\. not a list");
        assert_eq!(md_code("a`b", false), "``a`b``");
        assert_eq!(md_code("a|b", true), "`a\\|b`");
        assert_eq!(slug("Brand voice"), "brand-voice");
        assert_eq!(slug("Zażółć, gęślą!"), "zażółć-gęślą");
        assert_eq!(language("pl"), "Polski");
        assert_eq!(language("en-GB"), "English (en-GB)");
        assert_eq!(language("xx"), "xx");
    }

    #[test]
    fn the_bundled_standard_prints_every_rule() {
        let standard = Standard::load(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let (md, page) = (markdown(&standard, Some("en")).unwrap(), html(&standard, Some("en")).unwrap());
        for id in ids(&standard) {
            assert!(md.contains(&format!("`{id}`")), "{id} missing from the Markdown");
            assert!(page.contains(&format!("<code class=\"id\">{id}</code>")), "{id} missing from the HTML");
        }
        for pack in standard.rules().packs() {
            assert!(md.contains(&format!("## {}\n", md_text(&pack.name))), "{}", pack.name);
        }
    }
}
