//! MJML email shells (`templates/layouts/email.mjml`): compiled to HTML with mrml once per
//! language when the standard loads, then tidied so that the result is valid HTML5 and fetches
//! nothing. Letters never see MJML: they are put into the finished HTML (see `shell`).

use crate::error::{Error, ErrorKind};

/// Compiles a shell's MJML (already filled by Tera) to an HTML document. `file` names the
/// shell in messages.
pub fn compile(mjml: &str, file: &str) -> Result<String, Error> {
    // No include loader: `mj-include` cannot read files or fetch URLs.
    let parsed = mrml::parse(mjml).map_err(|e| {
        let at = parse_position(&e).map(|p| {
            let line = mjml[..p.min(mjml.len())].matches('\n').count();
            let text = mjml.lines().nth(line).unwrap_or("").trim();
            format!(" (line {} after Tera: `{text}`)", line + 1)
        });
        Error::new(ErrorKind::Template, format!("{file}: not valid MJML: {e}{}", at.unwrap_or_default())).with_help(
            "the shell is an `<mjml>` document with `<mj-head>` and `<mj-body>`; see https://documentation.mjml.io",
        )
    })?;
    // No web fonts: mrml links Google Fonts for some family names unless its list is empty.
    let options = mrml::prelude::render::RenderOptions {
        disable_comments: true,
        fonts: Default::default(),
        ..Default::default()
    };
    let html = parsed.element.render(&options).map_err(|e| {
        Error::new(ErrorKind::Template, format!("{file}: MJML could not be turned into HTML: {e}"))
            .with_help("simplify the shell to the elements in the bundled `email.mjml`")
    })?;
    let html = tidy(&html);
    if let Some(what) = external_resource(&html) {
        return Err(Error::new(ErrorKind::Template, format!("{file}: the email would fetch `{what}` from the web"))
            .with_help("an email shell uses no web fonts, images, styles or scripts: mail clients block them and they track readers; use a font stack of installed fonts"));
    }
    Ok(html)
}

fn parse_position(e: &mrml::prelude::parser::Error) -> Option<usize> {
    use mrml::prelude::parser::Error as E;
    match e {
        E::UnexpectedElement { position, .. }
        | E::UnexpectedToken { position, .. }
        | E::MissingAttribute { position, .. }
        | E::InvalidAttribute { position, .. }
        | E::InvalidFormat { position, .. }
        | E::IncludeLoaderError { position, .. } => Some(position.start),
        _ => None,
    }
}

/// The first thing outside comments that a mail client would load from the web, if any.
pub fn external_resource(html: &str) -> Option<String> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        text.push_str(&rest[..at]);
        rest = rest[at..].find("-->").map_or("", |end| &rest[at + end + 3..]);
    }
    text.push_str(rest);
    let lower = text.to_ascii_lowercase();
    for needle in
        ["<link", "@import", "<script", "src=\"http", "src='http", "src=http", "url(http", "url('http", "url(\"http"]
    {
        if let Some(at) = lower.find(needle) {
            let end = lower[at..].find(['>', ')', ' ']).map_or(lower.len(), |e| at + e + 1).min(at + 80);
            return Some(text[at..end].to_string());
        }
    }
    None
}

/// Rewrites mrml's output into HTML5 that the Nu Html Checker accepts, keeping the look: the
/// presentational attributes of tables and cells become inline styles, the Outlook namespaces
/// and `mso-` properties go (Outlook's own tables stay, inside conditional comments, untouched).
fn tidy(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        // One tag or comment a line where tags meet (text is never touched): whitespace between
        // the shell's blocks shows nowhere, and snapshots of letters can then be diffed.
        if out.ends_with('>') {
            out.push('\n');
        }
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(gt) = tag_end(rest) else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with(['!', '/', '?']) {
            out.push('<');
            out.push_str(tag);
            out.push('>');
            continue;
        }
        let name = rewrite_tag(tag, &mut out);
        if name.eq_ignore_ascii_case("style") {
            let end = rest.find("</style>").unwrap_or(rest.len());
            out.push_str(&without_mso(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the tag starting at `s[0] == '<'` ends: its `>` outside quotes.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Writes the start tag `tag` (without `<` `>`) rewritten to `out`; returns its name.
fn rewrite_tag<'t>(tag: &'t str, out: &mut String) -> &'t str {
    let (body, slash) = match tag.strip_suffix('/') {
        Some(b) => (b, "/"),
        None => (tag, ""),
    };
    let name_end = body.find(|c: char| c.is_ascii_whitespace()).unwrap_or(body.len());
    let name = &body[..name_end];
    let element = name.to_ascii_lowercase();
    let mut attrs = attributes(&body[name_end..]);
    let mut style = attrs.iter().position(|(n, _)| n.eq_ignore_ascii_case("style")).map_or_else(String::new, |i| {
        let (_, v) = attrs.remove(i);
        v.unwrap_or_default()
    });
    let mut kept = Vec::with_capacity(attrs.len());
    for (attr, value) in attrs {
        let a = attr.to_ascii_lowercase();
        let v = value.clone().unwrap_or_default();
        let moved = match (element.as_str(), a.as_str()) {
            ("html", "xmlns:v" | "xmlns:o") => true,
            ("table" | "img", "border") | ("table", "cellpadding" | "cellspacing") => true,
            ("table", "align") => {
                if v.eq_ignore_ascii_case("center") && !has_property(&style, "margin") {
                    push_property(&mut style, "margin", "0 auto");
                }
                true
            }
            ("table" | "td" | "th", "width") | ("td" | "th", "height") => {
                let css = if v.bytes().all(|b| b.is_ascii_digit()) && !v.is_empty() { format!("{v}px") } else { v };
                if !has_property(&style, &a) {
                    push_property(&mut style, &a, &css);
                }
                true
            }
            ("img", "height") if v == "auto" => true,
            ("table" | "td" | "th" | "tr", "bgcolor") => {
                if !has_property(&style, "background-color") && !has_property(&style, "background") {
                    push_property(&mut style, "background-color", &v);
                }
                true
            }
            ("td" | "th" | "tr", "align") => {
                if !has_property(&style, "text-align") {
                    push_property(&mut style, "text-align", &v);
                }
                true
            }
            ("td" | "th" | "tr", "valign") => {
                if !has_property(&style, "vertical-align") {
                    push_property(&mut style, "vertical-align", &v);
                }
                true
            }
            _ => false,
        };
        if !moved {
            kept.push((attr, value));
        }
    }
    if element == "table" && !has_property(&style, "border-collapse") {
        push_property(&mut style, "border-collapse", "collapse");
    }
    if element == "table" && !has_property(&style, "border-spacing") {
        push_property(&mut style, "border-spacing", "0");
    }
    // Hidden text (the preheader) needs no colour or size: white-on-white and 1-pixel text are
    // what spam filters look for (SpamAssassin's HTML_FONT_LOW_CONTRAST, FONT_INVIS_MSGID).
    if style.split(';').any(|d| d.replace(' ', "").eq_ignore_ascii_case("display:none")) {
        style = style
            .split(';')
            .filter(|d| {
                !d.split(':').next().is_some_and(|p| {
                    ["color", "font-size", "line-height"].iter().any(|q| p.trim().eq_ignore_ascii_case(q))
                })
            })
            .collect::<Vec<_>>()
            .join(";");
    }
    // `word-break: break-word` is the deprecated spelling of exactly this.
    let style = without_mso(&style).replace("word-break:break-word", "overflow-wrap:anywhere");
    out.push('<');
    out.push_str(name);
    for (attr, value) in kept {
        out.push(' ');
        out.push_str(attr);
        if let Some(v) = value {
            out.push_str("=\"");
            out.push_str(&v);
            out.push('"');
        }
    }
    if !style.is_empty() {
        out.push_str(" style=\"");
        out.push_str(&style);
        out.push('"');
    }
    out.push_str(slash);
    out.push('>');
    name
}

/// The attributes of a start tag, values as written (entities kept), quotes removed.
fn attributes(mut s: &str) -> Vec<(&str, Option<String>)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return out;
        }
        let end = s.find(|c: char| c.is_ascii_whitespace() || c == '=').unwrap_or(s.len());
        let name = &s[..end];
        s = s[end..].trim_start();
        let Some(after) = s.strip_prefix('=') else {
            out.push((name, None));
            if end == 0 {
                // A stray character: keep going past it.
                s = s.get(1..).unwrap_or("");
            }
            continue;
        };
        let after = after.trim_start();
        let (value, rest) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                (&after[1..close], after.get(close + 1..).unwrap_or(""))
            }
            _ => {
                let close = after.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after.len());
                (&after[..close], &after[close..])
            }
        };
        // Double quotes inside a single-quoted value must be escaped once we write `"`.
        out.push((name, Some(value.replace('"', "&quot;"))));
        s = rest;
    }
}

fn has_property(style: &str, property: &str) -> bool {
    style.split(';').any(|d| d.split(':').next().is_some_and(|p| p.trim().eq_ignore_ascii_case(property)))
}

fn push_property(style: &mut String, property: &str, value: &str) {
    if !style.is_empty() && !style.trim_end().ends_with(';') {
        style.push(';');
    }
    style.push_str(property);
    style.push(':');
    style.push_str(value);
    style.push(';');
}

/// CSS without Outlook's `mso-` properties (unknown to every other client and to validators).
fn without_mso(css: &str) -> String {
    if !css.contains("mso-") {
        return css.to_string();
    }
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("mso-") {
        let starts_declaration = rest[..at].trim_end().ends_with([';', '{']) || rest[..at].trim().is_empty();
        if !starts_declaration {
            out.push_str(&rest[..at + 4]);
            rest = &rest[at + 4..];
            continue;
        }
        out.push_str(rest[..at].trim_end_matches([' ', '\t']));
        let end = rest[at..].find([';', '}']).map_or(rest.len(), |e| at + e);
        rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
        if !rest.starts_with('}') && !out.is_empty() && !out.ends_with([' ', '{', ';']) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELL: &str = r##"<mjml lang="pl"><mj-head><mj-title>T</mj-title><mj-preview>P</mj-preview>
        <mj-attributes><mj-all font-family="Ubuntu, Arial, sans-serif" /></mj-attributes></mj-head>
        <mj-body><mj-section padding="8px"><mj-column><mj-text>B</mj-text></mj-column></mj-section></mj-body></mjml>"##;

    #[test]
    fn compiles_to_html5_without_presentational_attributes_or_web_fonts() {
        let html = compile(SHELL, "email.mjml").unwrap();
        assert!(html.starts_with("<!doctype html>\n<html lang=\"pl\""), "{}", &html[..80]);
        let outside_comments = {
            let mut s = html.clone();
            while let (Some(a), Some(b)) = (s.find("<!--"), s.find("-->")) {
                if b < a {
                    break;
                }
                s.replace_range(a..b + 3, "");
            }
            s
        };
        for gone in ["cellpadding", "cellspacing", "border=\"0\"", "xmlns:v", "mso-", "align=\"", "fonts.googleapis"] {
            assert!(!outside_comments.contains(gone), "{gone} left in {outside_comments}");
        }
        assert!(outside_comments.contains("role=\"presentation\""));
        assert!(outside_comments.contains("overflow-wrap:anywhere"));
        // The preview is the first thing in the body, hidden.
        let body = &html[html.find("<body").unwrap()..];
        let first = &body[body.find('>').unwrap() + 1..].trim_start();
        assert!(first.starts_with("<div style=\"display:none;"), "{body}");
        let tag = &first[..first.find('>').unwrap()];
        assert!(!tag.contains("color") && !tag.contains("font-size"), "hidden text has no colour or size: {tag}");
    }

    #[test]
    fn moves_attributes_into_styles() {
        let mut out = String::new();
        rewrite_tag(
            r##"td align="left" width="120" bgcolor="#fff" style="padding:0;mso-x:1;word-break:break-word""##,
            &mut out,
        );
        assert_eq!(
            out,
            r##"<td style="padding:0;overflow-wrap:anywhere;text-align:left;width:120px;background-color:#fff;">"##
        );
        assert_eq!(
            without_mso("table, td { border-collapse: collapse; mso-table-lspace: 0pt; mso-a: 1 }"),
            "table, td { border-collapse: collapse;}"
        );
    }

    #[test]
    fn refuses_what_would_be_fetched_and_bad_mjml() {
        let with_font = SHELL
            .replace("<mj-attributes>", "<mj-font name=\"X\" href=\"https://fonts.example/x.css\" /><mj-attributes>")
            .replace("Ubuntu", "X");
        let err = compile(&with_font, "email.mjml").unwrap_err();
        assert!(err.to_string().contains("fetch `<link"), "{err}");
        let err = compile("<mjml><mj-body><mj-section></mjml>", "email.mjml").unwrap_err();
        assert!(err.to_string().starts_with("email.mjml: not valid MJML"), "{err}");
        assert_eq!(external_resource("<!-- <link href=x> --><p>x</p>"), None);
    }
}
