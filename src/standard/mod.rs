//! A standard: its folder loaded once (all file I/O happens here) into an immutable,
//! `Send + Sync` value that renders any number of letters without re-parsing anything.

pub mod config;
pub mod dkim;
pub mod fixtures;
pub mod frontmatter;
pub mod layout;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use unic_langid::LanguageIdentifier;

use crate::error::{Error, ErrorKind, Result};
use crate::fields::Contract;
use crate::locale::fluent::Bundle;
use crate::locale::format::Formats;
use crate::locale::{Locale, Locales};
use crate::rules::{Rules, Suppression};
use crate::source::{SourceFile, span};
use crate::template::{Engine, SHELL_HTML, SHELL_MJML, TemplateSource};
use config::Config;
use frontmatter::TemplateMeta;

/// One letter type: its declaration, its field contract and where it lives.
pub struct Template {
    /// Its id: the file name without `.tera`.
    pub id: String,
    /// The front matter.
    pub meta: TemplateMeta,
    /// The fields it takes.
    pub contract: Contract,
    /// The template file.
    pub file: SourceFile,
    /// The rules it silences, with reasons (`{# missive-allow: rule.id — reason #}`).
    pub suppressions: Vec<Suppression>,
    /// Where the body starts in the file.
    pub body_offset: usize,
    pub(crate) body_name: String,
    pub(crate) subject_name: String,
}

/// A loaded standard.
pub struct Standard {
    root: PathBuf,
    config: Config,
    config_file: SourceFile,
    locales: Arc<Locales>,
    templates: Vec<Template>,
    partials: Vec<SourceFile>,
    layout: Option<SourceFile>,
    markup: crate::markup::MarkupOptions,
    engine: Engine,
    rules: Rules,
    handbook: Vec<(String, SourceFile)>,
    sender: tera::Value,
    pdf_layout: layout::Layout,
    email_logo: Option<Arc<layout::EmailLogo>>,
    dkim: Option<Arc<dkim::DkimKey>>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Standard>();
};

impl Standard {
    /// Loads the standard in `root`: `missive.toml`, `locales/`, `templates/`.
    pub fn load(root: &Path) -> Result<Standard> {
        let config_file = read(root, "missive.toml").map_err(|e| {
            if root.join("missive.toml").exists() {
                e
            } else {
                Error::new(ErrorKind::Config, format!("{} holds no missive.toml, so it is not a standard", root.display()))
                    .with_help("run missive in a standard's folder, name one with --project DIR, or create one with `missive init DIR`")
            }
        })?;
        let config: Config = toml::from_str(&config_file.text).map_err(|e| Error::toml(&config_file, 0, &e))?;
        let (locales, handbook) = load_locales(root, &config, &config_file)?;
        let locales = Arc::new(locales);
        let partials = read_dir_sorted(root, "templates/partials", "tera", true)?;
        let mut templates = Vec::new();
        let mut sources = Vec::new();
        for file in read_dir_sorted(root, "templates", "tera", false)? {
            let (template, body, subject) = load_template(file, config.standard.currency.as_deref())?;
            templates.push(template);
            sources.push(body);
            sources.push(subject);
        }
        for file in &partials {
            let name = file.name.strip_prefix("templates/").unwrap_or(&file.name).to_string();
            sources.push(TemplateSource { name, text: file.text.to_string(), file: file.clone(), offset: 0 });
        }
        let shell = read_shell(root)?;
        let sender = tera::Value::from_serializable(&config.sender);
        let layout = shell.as_ref().map(|s| s.file.clone());
        let pdf_layout = load_pdf_layout(root)?;
        let email_logo = match config.email.logo {
            Some(false) => None,
            _ => {
                let domain = config.sender.email.rsplit_once('@').map_or("", |(_, d)| d);
                layout::EmailLogo::of(&pdf_layout, domain)?.map(Arc::new)
            }
        };
        let engine = Engine::new(sources, shell, &locales, &sender, &shell_logo(email_logo.as_deref()))?;
        for template in &mut templates {
            let mut files = vec![template.file.clone()];
            files.extend(partials.iter().cloned());
            template.contract.locate_uses(&files);
        }
        preheaders_fixed(&templates, &locales)?;
        let pack_files = read_dir_sorted(root, "rules", "toml", false)?;
        let rules = Rules::new(&pack_files, &config.rules.packs, &config.standard.locales)?;
        let dkim = match &config.email.dkim {
            Some(settings) => Some(Arc::new(dkim::DkimKey::load(root, settings)?)),
            None => None,
        };
        Ok(Standard {
            root: root.to_path_buf(),
            config,
            config_file,
            locales,
            templates,
            partials,
            layout,
            markup: crate::markup::MarkupOptions::default(),
            engine,
            rules,
            handbook,
            sender,
            pdf_layout,
            email_logo,
            dkim,
        })
    }

    /// The DKIM key every message is signed with (`[email.dkim]`), when there is one.
    pub fn dkim(&self) -> Option<&Arc<dkim::DkimKey>> {
        self.dkim.as_ref()
    }

    /// The logo emails show as an inline image: the letterhead's, unless `[email] logo = false`.
    pub fn email_logo(&self) -> Option<&Arc<layout::EmailLogo>> {
        self.email_logo.as_ref()
    }

    /// The PDF letter layout (`templates/layouts/letter.toml`, or the defaults without it).
    pub fn pdf_layout(&self) -> &layout::Layout {
        &self.pdf_layout
    }

    /// The folder it was loaded from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `missive.toml`.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Its languages.
    pub fn locales(&self) -> &Locales {
        &self.locales
    }

    /// The handbook's words the standard gives in language `tag` (`locales/<tag>/handbook.ftl`),
    /// if it has that file. Never part of the letters' messages.
    pub fn handbook_messages(&self, tag: &str) -> Option<&SourceFile> {
        self.handbook.iter().find(|(t, _)| t == tag).map(|(_, file)| file)
    }

    /// Its templates, sorted by id.
    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// The template `id`, or an error that lists the ones there are.
    pub fn template(&self, id: &str) -> Result<&Template> {
        let id = id.strip_suffix(".tera").unwrap_or(id);
        self.templates.iter().find(|t| t.id == id).ok_or_else(|| {
            let ids: Vec<&str> = self.templates.iter().map(|t| t.id.as_str()).collect();
            let closest = ids.iter().map(|t| (strsim::levenshtein(t, id), *t)).filter(|(d, _)| *d <= 3).min();
            let help = match closest {
                Some((_, t)) => format!("did you mean `{t}`? templates: {}", ids.join(", ")),
                None => format!("templates are the files in templates/: {}", ids.join(", ")),
            };
            Error::new(ErrorKind::Usage, format!("the standard has no template `{id}`")).with_help(help)
        })
    }

    /// The fixtures under `fixtures/`, read now (they change while a template author works).
    pub fn fixtures(&self) -> Result<Vec<fixtures::Fixture>> {
        fixtures::discover(&self.root)
    }

    /// The bytes of an attachment a record names, from the attachments folder of missive.toml;
    /// a name that would leave the folder (through a link, say) is refused.
    pub fn attachment(&self, name: &str) -> Result<Vec<u8>> {
        attachment_in(self.attachments_folder().as_deref(), name)
    }

    /// The attachments folder missive.toml declares, if any.
    pub fn attachments_folder(&self) -> Option<PathBuf> {
        self.config.email.attachments.as_deref().map(|folder| self.root.join(folder))
    }

    /// The rules in force.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// `missive.toml` as loaded.
    pub fn config_file(&self) -> &SourceFile {
        &self.config_file
    }

    /// The shared partials (`templates/partials/`).
    pub fn partials(&self) -> &[SourceFile] {
        &self.partials
    }

    /// Every file the standard was loaded from: missive.toml, templates, partials, the email
    /// layout, Fluent files and rule packs, for reports that quote them.
    pub fn sources(&self) -> Vec<&SourceFile> {
        let mut out = vec![&self.config_file];
        out.extend(self.templates.iter().map(|t| &t.file));
        out.extend(self.partials.iter());
        out.extend(self.layout.iter());
        for locale in self.locales.iter() {
            out.extend(locale.bundle.files());
        }
        out.extend(self.rules.packs().iter().map(|p| &p.file));
        out
    }

    /// How bodies become text and HTML (width, inline styles), built once.
    pub fn markup_options(&self) -> &crate::markup::MarkupOptions {
        &self.markup
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn sender_value(&self) -> &tera::Value {
        &self.sender
    }
}

fn load_template(
    file: SourceFile,
    default_currency: Option<&str>,
) -> Result<(Template, TemplateSource, TemplateSource)> {
    let split = frontmatter::split(&file)?;
    let meta = frontmatter::parse(&file, &split)?;
    let mut contract = Contract::from_decls(&meta.fields).map_err(|refused| {
        let quoted = format!("\"{}\"", refused.path);
        let at =
            split.front.find(&quoted).or_else(|| split.front.find(&refused.path)).map_or(0, |i| split.front_offset + i);
        let (line, col) = file.line_col(at);
        Error::new(ErrorKind::Config, format!("{}:{line}:{col}: {refused}", file.name)).with_span(
            &file,
            span(at, quoted.len()),
            "declared here",
        )
    })?;
    if let Some(unsubscribe) = &meta.unsubscribe
        && let Err(why) = unsubscribe.check(meta.fields.keys())
    {
        let at = split.front.find(&unsubscribe.url).map_or(split.front_offset, |i| split.front_offset + i);
        let (line, _) = file.line_col(at);
        return Err(Error::new(ErrorKind::Config, format!("{}:{line}: {why}", file.name))
            .with_span(&file, span(at, unsubscribe.url.len().max(1)), "here")
            .with_help("write `url = \"https://example.pl/unsubscribe?customer={customer.id}\"` with fields the template declares, and `mailto = \"unsubscribe@example.pl\"` if you take requests by email"));
    }
    if let Some(currency) = default_currency {
        contract.set_default_currency(currency);
    }
    let id = file.name.trim_start_matches("templates/").trim_end_matches(".tera").to_string();
    let body_name = format!("{id}.tera");
    let subject_name = format!("{id}.tera#subject");
    let body = TemplateSource {
        name: body_name.clone(),
        text: split.body.to_string(),
        file: file.clone(),
        offset: split.body_offset,
    };
    let subject_text = if meta.subject.contains("{{") || meta.subject.contains("{%") {
        meta.subject.clone()
    } else {
        format!("{{{{ t(id=\"{}\") }}}}", meta.subject.trim())
    };
    // The value after the `subject` key: the same words may come earlier (a title "Memo",
    // subject "Memo").
    let key = split.front.find("\nsubject").map_or(0, |i| i + 1);
    let subject_offset =
        split.front[key..].find(&meta.subject).map_or(split.front_offset, |i| split.front_offset + key + i);
    let subject =
        TemplateSource { name: subject_name.clone(), text: subject_text, file: file.clone(), offset: subject_offset };
    let suppressions = crate::rules::suppressions(&file);
    let body_offset = split.body_offset;
    Ok((Template { id, meta, contract, file, suppressions, body_offset, body_name, subject_name }, body, subject))
}

/// The file of a language's folder that holds the handbook's words (`missive rules`), not
/// messages of letters.
pub const HANDBOOK_FTL: &str = "handbook.ftl";

/// The languages of `missive.toml` with their letters' messages, and the handbook's words of
/// those that have `locales/<tag>/handbook.ftl`.
fn load_locales(
    root: &Path,
    config: &Config,
    config_file: &SourceFile,
) -> Result<(Locales, Vec<(String, SourceFile)>)> {
    let mut list = Vec::new();
    let mut handbook = Vec::new();
    for tag in &config.standard.locales {
        let at = config_file.text.find(&format!("\"{tag}\"")).unwrap_or(0);
        let bad = |message: String, help: &str| {
            Error::new(ErrorKind::Config, message)
                .with_span(config_file, span(at, tag.len() + 2), "")
                .with_help(help.to_string())
        };
        let id: LanguageIdentifier = tag.parse().map_err(|_| {
            bad(format!("missive.toml: `{tag}` is not a language tag"), "use tags such as \"pl\" or \"en\"")
        })?;
        let settings = config.locale.get(tag).cloned().unwrap_or_default();
        let format_tag = settings.format.clone().unwrap_or_else(|| tag.clone());
        let format_id: LanguageIdentifier = format_tag.parse().map_err(|_| {
            bad(
                format!("missive.toml: [locale.{tag}] format `{format_tag}` is not a language tag"),
                "use a tag such as \"en-GB\"",
            )
        })?;
        let formats = Arc::new(Formats::new(&format_tag, settings.grouping).map_err(|e| {
            bad(
                format!("missive.toml: no formatting data for `{format_tag}`: {e}"),
                "choose a CLDR locale such as \"pl\" or \"en-GB\"",
            )
        })?);
        let mut files = read_dir_sorted(root, &format!("locales/{tag}"), "ftl", true)?;
        let words = format!("locales/{tag}/{HANDBOOK_FTL}");
        if let Some(i) = files.iter().position(|f| *f.name == *words) {
            handbook.push((tag.clone(), files.remove(i)));
        }
        if files.is_empty() {
            return Err(bad(
                format!("missive.toml lists the locale `{tag}`, but locales/{tag}/ holds no .ftl files"),
                "add the language's messages under locales/<tag>/, or remove it from `locales`",
            ));
        }
        let bundle = Bundle::load(format_id, formats.clone(), &files)?;
        list.push(Locale { tag: tag.clone(), id, formats, bundle });
    }
    for key in config.locale.keys() {
        if !config.standard.locales.contains(key) {
            return Err(Error::new(ErrorKind::Config, format!("missive.toml: [locale.{key}] is not one of `locales`"))
                .with_help("add it to [standard] locales, or remove the section"));
        }
    }
    Ok((Locales::new(list, &config.standard.default_locale)?, handbook))
}

/// Reads `rel` under `root` into a source file named by its relative path.
pub(crate) fn read(root: &Path, rel: &str) -> Result<SourceFile> {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    Ok(SourceFile::new(rel, text))
}

/// The files ending in `.ext` in `root/rel` (and below it with `recursive`), sorted by path;
/// none if the folder does not exist.
pub(crate) fn read_dir_sorted(root: &Path, rel: &str, ext: &str, recursive: bool) -> Result<Vec<SourceFile>> {
    let mut paths = Vec::new();
    collect(&root.join(rel), ext, recursive, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            read(root, &rel)
        })
        .collect()
}

fn collect(dir: &Path, ext: &str, recursive: bool, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.is_dir() {
            if recursive {
                collect(&path, ext, recursive, out)?;
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    Ok(())
}

/// The hidden preheader line of the email of `template` in `locale`: the message
/// `<template>-preheader`, else the common `preheader`, else none.
pub(crate) fn preheader<'b>(locale: &'b crate::locale::Locale, template: &str) -> &'b str {
    locale.bundle.fixed(&format!("{template}-preheader")).or_else(|| locale.bundle.fixed("preheader")).unwrap_or("")
}

/// A preheader is one fixed line per language: a message that takes arguments is refused at
/// load rather than left out of every email without a word.
fn preheaders_fixed(templates: &[Template], locales: &Locales) -> Result<()> {
    for locale in locales.iter() {
        let ids = templates.iter().map(|t| format!("{}-preheader", t.id)).chain(["preheader".to_string()]);
        for id in ids {
            if locale.bundle.has(&id) && locale.bundle.fixed(&id).is_none() {
                let file = locale.bundle.ids().find(|(i, _, _)| *i == id).map(|(_, f, at)| (f, at));
                let place = file.map_or_else(
                    || format!("locales/{}", locale.tag),
                    |(f, at)| {
                        let (line, col) = f.line_col(at);
                        format!("{}:{line}:{col}", f.name)
                    },
                );
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("{place}: the preheader `{id}` takes arguments, but it is one fixed line per language"),
                )
                .with_help("write the preheader without `{ $variables }`: it is the email's hidden summary line, the same in every letter of the template"));
            }
        }
    }
    Ok(())
}

/// What the email shell sees as `logo`: `src` (the `cid:` URL), `alt`, `width` and `height`
/// in pixels; `false` when emails show no logo, so that `{% if logo %}` leaves it out.
fn shell_logo(logo: Option<&layout::EmailLogo>) -> tera::Value {
    match logo {
        Some(logo) => tera::Value::from_serializable(&serde_json::json!({
            "src": format!("cid:{}", logo.content_id),
            "alt": logo.alt,
            "width": logo.width,
            "height": logo.height,
        })),
        None => tera::Value::from(false),
    }
}

/// Reads the email shell: `templates/layouts/email.mjml`, or a hand-written `email.html` in a
/// standard without one; both at once is an error (which one is meant?); neither, no shell.
fn read_shell(root: &Path) -> Result<Option<TemplateSource>> {
    let exists = |name: &str| root.join("templates").join(name).exists();
    let name = match (exists(SHELL_MJML), exists(SHELL_HTML)) {
        (true, true) => {
            return Err(Error::new(
                ErrorKind::Config,
                format!("templates/{SHELL_MJML} and templates/{SHELL_HTML} are both email shells"),
            )
            .with_help(format!(
                "keep one: the MJML shell replaces the hand-written HTML one, so delete templates/{SHELL_HTML} once its design is in the .mjml"
            )));
        }
        (true, false) => SHELL_MJML,
        (false, true) => SHELL_HTML,
        (false, false) => return Ok(None),
    };
    let file = read(root, &format!("templates/{name}"))?;
    Ok(Some(TemplateSource { name: name.into(), text: file.text.to_string(), file, offset: 0 }))
}

/// Reads `templates/layouts/letter.toml`; a missing file means the defaults.
fn load_pdf_layout(root: &Path) -> Result<layout::Layout> {
    if !root.join(layout::PATH).exists() {
        return Ok(layout::Layout::default());
    }
    let file = read(root, layout::PATH)?;
    let mut layout: layout::Layout = toml::from_str(&file.text).map_err(|e| Error::toml(&file, 0, &e))?;
    layout.validate()?;
    let bytes = |rel: String, setting: &str| -> Result<(String, Arc<[u8]>)> {
        let path = root.join(&rel);
        let data = std::fs::read(&path).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("{}: `{setting}` names {rel}, which cannot be read: {e}", layout::PATH),
            )
            .with_help("check the file name (relative to the standard's folder), or delete the setting")
        })?;
        Ok((rel, data.into()))
    };
    if let Some(logo) = &layout.logo {
        layout.files.logo = Some(bytes(logo.file.clone(), "logo.file")?);
    }
    for (name, setting, slot) in [
        (layout.fonts.regular.clone(), "fonts.regular", &mut layout.files.regular),
        (layout.fonts.bold.clone(), "fonts.bold", &mut layout.files.bold),
        (layout.fonts.italic.clone(), "fonts.italic", &mut layout.files.italic),
        (layout.fonts.bold_italic.clone(), "fonts.bold_italic", &mut layout.files.bold_italic),
    ] {
        if let Some(name) = name {
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("{}: `{setting}` = {name:?} is not a file name in fonts/", layout::PATH),
                )
                .with_help(
                    "put the font into the standard's fonts/ folder and name the file alone: \"MyFont-Regular.ttf\"",
                ));
            }
            *slot = Some(bytes(format!("fonts/{name}"), setting)?);
        }
    }
    Ok(layout)
}

/// The bytes of attachment `name` from `folder` (the attachments folder missive.toml declares);
/// a name that would leave the folder (through a link, say) is refused.
pub fn attachment_in(folder: Option<&Path>, name: &str) -> Result<Vec<u8>> {
    let folder = folder.ok_or_else(|| {
        Error::new(
            ErrorKind::Config,
            format!("a record asks to attach `{name}`, but missive.toml declares no attachments folder"),
        )
        .with_help("add [email] attachments = \"attachments\" to missive.toml and put the files there")
    })?;
    let dir = folder.canonicalize().map_err(|e| Error::io(folder, e))?;
    let path = dir.join(name);
    let real = path.canonicalize().map_err(|e| {
        Error::new(ErrorKind::Record, format!("attachment `{name}` is not in {}: {e}", dir.display()))
            .with_help("check the file name, or put the file into the attachments folder")
    })?;
    if !real.starts_with(&dir) {
        return Err(Error::new(ErrorKind::Record, format!("attachment `{name}` leads outside {}", dir.display()))
            .with_help("attachments come only from the attachments folder itself"));
    }
    read_attachment(name, &real)
}

/// The largest attachment a letter carries: 20 MiB, about 27 MB once encoded for email, the
/// limit most mail servers set for a whole message.
const MAX_ATTACHMENT: u64 = 20 << 20;

/// Reads an attachment that must be a regular file (a FIFO or a device would block a render or
/// never end) of at most [`MAX_ATTACHMENT`] bytes. The file is opened without blocking and
/// checked through the open handle, so it cannot be swapped for a FIFO in between.
fn read_attachment(name: &str, path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::Record,
            format!("attachment `{name}` is not a regular file ({}): {}", file_kind(&meta), path.display()),
        )
        .with_help("attachments are ordinary files in the attachments folder; replace this one with the file itself"));
    }
    let too_big = || {
        Error::new(
            ErrorKind::Record,
            format!("attachment `{name}` is larger than {} MiB, more than a mail server accepts", MAX_ATTACHMENT >> 20),
        )
        .with_help("send a smaller file, or a link to it in the letter")
    };
    if meta.len() > MAX_ATTACHMENT {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_ATTACHMENT + 1).read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_ATTACHMENT {
        return Err(too_big());
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, for a message.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() { "a folder" } else { "not a regular file" }
}
