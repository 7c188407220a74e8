//! Fluent message bundles: loading `.ftl` files, the MONEY/DATE/NUMBER functions, formatting.
//!
//! Isolation marks (U+2068/U+2069) are switched off: they would break phrase matching, PDF
//! glyph lookup and snapshots, and our languages are all left-to-right.

use std::borrow::Cow;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions, FluentType};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_memoizer::Memoizable;
use rust_decimal::Decimal;
use unic_langid::LanguageIdentifier;

use crate::error::{Error, ErrorKind, Result};
use crate::locale::format::{DateStyle, Formats, Grouping};
use crate::source::{SourceFile, span};

/// The messages of one language, ready to format from any thread.
pub struct Bundle {
    inner: FluentBundle<FluentResource>,
    ids: Vec<(String, SourceFile, usize)>,
    /// Messages that take no arguments, formatted once at load (column headers, closings).
    /// (Fx-hashed: looked up on every `t()` call, with keys that are our own message ids.)
    fixed: rustc_hash::FxHashMap<String, String>,
    /// Messages Fluent need not resolve (text, variables, `DATE()`, selections on a variable),
    /// compiled to pieces at load.
    compiled: rustc_hash::FxHashMap<String, Vec<Piece>>,
    /// The formatters `DATE()` uses.
    formats: Arc<Formats>,
    /// Plain numbers as the bundle's formatter prints them (CLDR grouping).
    numbers: Option<Formats>,
}

/// A piece of a compiled message.
///
/// Fluent's resolver costs more per message than everything else `t()` does: scopes,
/// argument maps for functions, the formatter called on every value. A message that is only
/// text, variables, `DATE($var)` with a literal style, terms that are text and selections on a
/// variable is written here piece by piece instead. Anything else, or any argument of an
/// unexpected kind, goes through Fluent as before, so the output (and every error) is the same.
#[derive(Debug)]
enum Piece {
    /// Text, as written (or a term's text).
    Text(String),
    /// `{ $name }`.
    Var(String),
    /// `{ DATE($name) }` or `{ DATE($name, style: "…") }`.
    Date(String, DateStyle),
    /// `{ $name -> [key] … *[other] … }`: each variant's key and pieces, and which variant is
    /// the default. A key is matched by Fluent's own rule (`FluentValue::matches`: the same
    /// string, the same number, or the number's plural category in the bundle's language).
    Select { var: String, variants: Vec<(VariantKey, Vec<Piece>)>, default: usize, id: u64 },
}

/// Tells every compiled selection from any other, in any bundle ever loaded (an address could
/// be reused after a standard is replaced; a counter is not): the key of [`SELECTED`].
static NEXT_SELECT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The most selections [`SELECTED`] keeps before starting over.
const SELECTED_MAX: usize = 1024;

thread_local! {
    /// The variant a selection on a number chose, by selection and the number's bits (for
    /// numbers with Fluent's default options, whose plural operands come from the value alone):
    /// Fluent's matching asks the plural rules once per key (a lock, a lookup, the number
    /// printed for its operands), about 1,000 instructions a key; an invoice's count of lines
    /// is one of a few small numbers.
    static SELECTED: std::cell::RefCell<rustc_hash::FxHashMap<(u64, u64), usize>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// The key of a variant, kept in a form that is `Send + Sync` (a `FluentValue` is not).
#[derive(Debug)]
enum VariantKey {
    /// `[female]`, `[one]`: an identifier.
    Name(String),
    /// `[0]`, `[1.5]`: a number literal.
    Number(FluentNumber),
}

impl VariantKey {
    /// The key as Fluent compares it.
    fn value(&self) -> FluentValue<'_> {
        match self {
            VariantKey::Name(name) => FluentValue::String(Cow::Borrowed(name)),
            VariantKey::Number(number) => FluentValue::Number(number.clone()),
        }
    }
}

/// Why a message could not be formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatFailure {
    /// The language has no such message (or attribute).
    Missing,
    /// The message has only attributes, no value.
    NoValue,
    /// Formatting went wrong: a missing variable, a bad function argument, a missing term.
    Failed(String),
}

impl Bundle {
    /// A bundle with no messages but all functions installed.
    pub fn empty(locale: LanguageIdentifier, formats: Arc<Formats>) -> Bundle {
        let mut inner = FluentBundle::new_concurrent(vec![locale]);
        inner.set_use_isolating(false);
        inner.set_formatter(Some(format_number));
        install_functions(&mut inner, formats.clone());
        Bundle {
            inner,
            ids: Vec::new(),
            fixed: Default::default(),
            compiled: Default::default(),
            formats,
            numbers: None,
        }
    }

    /// Parses `files` (all `.ftl` files of one language folder) into a bundle. The bundle's
    /// language is `format_locale`, which decides plural rules and number formatting.
    pub fn load(format_locale: LanguageIdentifier, formats: Arc<Formats>, files: &[SourceFile]) -> Result<Bundle> {
        Bundle::load_layers(format_locale, formats, &[files])
    }

    /// Like [`Bundle::load`], with `overlay`'s messages replacing those of `base` that have the
    /// same id (a message defined twice within one layer is still an error): a standard's own
    /// wording over missive's built-in copy of the same language. A message of `base` that
    /// refers to an overridden one gets the overlay's.
    pub fn load_over(
        format_locale: LanguageIdentifier,
        formats: Arc<Formats>,
        base: &[SourceFile],
        overlay: &[SourceFile],
    ) -> Result<Bundle> {
        Bundle::load_layers(format_locale, formats, &[base, overlay])
    }

    /// Loads `layers` in order, each one's messages replacing the same ids of those below.
    fn load_layers(
        format_locale: LanguageIdentifier,
        formats: Arc<Formats>,
        layers: &[&[SourceFile]],
    ) -> Result<Bundle> {
        let numbers = Formats::new(&format_locale.to_string(), Grouping::Cldr).ok();
        let mut bundle = Bundle::empty(format_locale, formats);
        bundle.numbers = numbers;
        // Terms whose value is plain text, for compiled messages that refer to them.
        let mut text_terms: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        // How many ids the layers below the current one define (those it may replace), and the
        // ids it has replaced (defining one twice within a layer is still an error).
        let (mut layer_of, mut below, mut overridden) = (0, 0, Vec::<String>::new());
        let files = layers.iter().enumerate().flat_map(|(layer, files)| files.iter().map(move |f| (layer, f)));
        for (layer, file) in files {
            if layer != layer_of {
                (layer_of, below) = (layer, bundle.ids.len());
                overridden.clear();
            }
            let resource = FluentResource::try_new(file.text.to_string()).map_err(|(_, errors)| {
                let first = &errors[0];
                // The parser stops where it gave up (often the end of the file); the broken
                // entry starts at `slice`, which is where a reader should look.
                let at = first.slice.as_ref().map_or(first.pos.start, |s| s.start);
                let more = match errors.len() {
                    1 => String::new(),
                    n => format!(" (and {} more error{})", n - 1, if n > 2 { "s" } else { "" }),
                };
                Error::new(ErrorKind::Locale, format!("{}: Fluent syntax error: {}{more}", file.name, first.kind))
                    .with_span(file, span(at, 1), "in this entry")
                    .with_help("see https://projectfluent.org/fluent/guide/ for the syntax")
            })?;
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Term(t) = entry
                    && t.attributes.is_empty()
                    && let Some(text) = plain_text(&t.value)
                {
                    text_terms.insert(t.id.name.to_string(), text);
                }
                let (id, is_term) = match entry {
                    fluent_syntax::ast::Entry::Message(m) => (m.id.name, false),
                    fluent_syntax::ast::Entry::Term(t) => (t.id.name, true),
                    _ => continue,
                };
                let key = if is_term { format!("-{id}") } else { id.to_string() };
                let offset = file.text.find(&*key).unwrap_or(0);
                if layer > 0
                    && !overridden.contains(&key)
                    && let Some(i) = bundle.ids[..below].iter().position(|(k, _, _)| *k == key)
                {
                    overridden.push(key.clone());
                    bundle.ids[i] = (key, file.clone(), offset);
                    continue;
                }
                if let Some((_, other, _)) = bundle.ids.iter().find(|(k, _, _)| *k == key) {
                    return Err(Error::new(
                        ErrorKind::Locale,
                        format!("{}: `{key}` is defined twice (also in {})", file.name, other.name),
                    )
                    .with_span(file, span(offset, key.len()), "second definition")
                    .with_help("keep one definition and remove the other"));
                }
                bundle.ids.push((key, file.clone(), offset));
            }
            if layer == 0 {
                bundle
                    .inner
                    .add_resource(resource)
                    .map_err(|errors| Error::new(ErrorKind::Locale, format!("{}: {errors:?}", file.name)))?;
            } else {
                bundle.inner.add_resource_overriding(resource);
            }
        }
        let mut fixed = rustc_hash::FxHashMap::default();
        for (id, _, _) in &bundle.ids {
            let mut out = String::new();
            if !id.starts_with('-') && bundle.format_uncached(id, None, &mut out).is_ok() {
                fixed.insert(id.clone(), out);
            }
        }
        bundle.fixed = fixed;
        let mut compiled = rustc_hash::FxHashMap::default();
        for (id, _, _) in &bundle.ids {
            if let Some(pattern) = bundle.inner.get_message(id).and_then(|m| m.value())
                && let Some(pieces) = compile(pattern, &text_terms)
            {
                compiled.insert(id.clone(), pieces);
            }
        }
        bundle.compiled = compiled;
        Ok(bundle)
    }

    /// Whether the message (or `message.attribute`) exists.
    pub fn has(&self, id: &str) -> bool {
        let (message, attribute) = split_id(id);
        self.inner.get_message(message).is_some_and(|m| attribute.is_none_or(|a| m.get_attribute(a).is_some()))
    }

    /// The text of a message that takes no arguments (the same in every letter), if `id` is one.
    pub fn fixed(&self, id: &str) -> Option<&str> {
        self.fixed.get(id).map(String::as_str)
    }

    /// The `.ftl` files the bundle was loaded from.
    pub fn files(&self) -> Vec<&SourceFile> {
        let mut out: Vec<&SourceFile> = Vec::new();
        for (_, file, _) in &self.ids {
            if !out.iter().any(|f| f.name == file.name) {
                out.push(file);
            }
        }
        out
    }

    /// Every message and term id (`-brand`), with the file and byte offset defining it.
    pub fn ids(&self) -> impl Iterator<Item = (&str, &SourceFile, usize)> {
        self.ids.iter().map(|(id, file, at)| (id.as_str(), file, *at))
    }

    /// Formats the message `id` (or `message.attribute`) with `args`, appending to `out`.
    pub fn format(&self, id: &str, args: Option<&FluentArgs>, out: &mut String) -> Result<(), FormatFailure> {
        if args.is_none_or(|a| a.iter().next().is_none())
            && let Some(text) = self.fixed.get(id)
        {
            out.push_str(text);
            return Ok(());
        }
        if let (Some(args), Some(pieces)) = (args, self.compiled.get(id)) {
            let start = out.len();
            if self.write_pieces(pieces, args, out) {
                return Ok(());
            }
            out.truncate(start);
        }
        self.format_uncached(id, args, out)
    }

    /// Writes a compiled message; `false` when an argument is missing or of a kind the pieces
    /// do not handle (Fluent then formats it, with its own errors).
    fn write_pieces(&self, pieces: &[Piece], args: &FluentArgs, out: &mut String) -> bool {
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Var(name) => match args.get(name.as_str()) {
                    Some(FluentValue::String(s)) => out.push_str(s),
                    Some(FluentValue::Number(n)) => {
                        let (Some(numbers), Some(decimal)) = (&self.numbers, to_decimal(n)) else { return false };
                        numbers.decimal(&decimal, out);
                    }
                    Some(FluentValue::Custom(value)) => {
                        if let Some(money) = value.as_any().downcast_ref::<MoneyArg>() {
                            out.push_str(&money.display());
                        } else if let Some(date) = value.as_any().downcast_ref::<DateArg>() {
                            out.push_str(&date.display());
                        } else {
                            return false;
                        }
                    }
                    _ => return false,
                },
                Piece::Date(name, style) => match args.get(name.as_str()) {
                    Some(FluentValue::Custom(value)) => match value.as_any().downcast_ref::<DateArg>() {
                        Some(date) => self.formats.date(date.date, *style, out),
                        None => return false,
                    },
                    _ => return false,
                },
                Piece::Select { var, variants, default, id } => {
                    // Fluent selects on strings and numbers; a missing variable is an error it
                    // reports, and any other value takes the default: both are left to it.
                    let selector = match args.get(var.as_str()) {
                        Some(value @ (FluentValue::String(_) | FluentValue::Number(_))) => value,
                        _ => return false,
                    };
                    let choose = || {
                        let scope = fluent_bundle::resolver::Scope::new(&self.inner, Some(args), None);
                        variants.iter().position(|(key, _)| key.value().matches(selector, &scope)).unwrap_or(*default)
                    };
                    let chosen = match selector {
                        FluentValue::Number(n) if n.options == FluentNumberOptions::default() => {
                            let key = (*id, n.value.to_bits());
                            let known = SELECTED.with(|m| m.try_borrow().ok().and_then(|m| m.get(&key).copied()));
                            known.unwrap_or_else(|| {
                                let chosen = choose();
                                SELECTED.with(|m| {
                                    if let Ok(mut m) = m.try_borrow_mut() {
                                        if m.len() >= SELECTED_MAX {
                                            m.clear();
                                        }
                                        m.insert(key, chosen);
                                    }
                                });
                                chosen
                            })
                        }
                        _ => choose(),
                    };
                    let Some((_, pieces)) = variants.get(chosen) else { return false };
                    if !self.write_pieces(pieces, args, out) {
                        return false;
                    }
                }
            }
        }
        true
    }

    fn format_uncached(&self, id: &str, args: Option<&FluentArgs>, out: &mut String) -> Result<(), FormatFailure> {
        let (message, attribute) = split_id(id);
        let msg = self.inner.get_message(message).ok_or(FormatFailure::Missing)?;
        let pattern = match attribute {
            None => msg.value().ok_or(FormatFailure::NoValue)?,
            Some(a) => msg.get_attribute(a).ok_or(FormatFailure::Missing)?.value(),
        };
        let start = out.len();
        let mut errors = Vec::new();
        // Writing to a String cannot fail.
        let _ = self.inner.write_pattern(out, pattern, args, &mut errors);
        if let Some(e) = errors.first() {
            return Err(FormatFailure::Failed(e.to_string()));
        }
        // A function given the wrong kind of value writes `MONEY()` and reports nothing.
        for (function, marker) in [("MONEY", "MONEY()"), ("DATE", "DATE()"), ("NUMBER", "NUMBER()")] {
            if out[start..].contains(marker) {
                return Err(FormatFailure::Failed(format!(
                    "{function}() was given a value it cannot format: {}",
                    match function {
                        "MONEY" => "pass a money field, e.g. total=invoice.total",
                        "DATE" => "pass a date field, and style: \"short\", \"medium\", \"long\" or \"full\"",
                        _ => "pass a number",
                    }
                )));
            }
        }
        Ok(())
    }
}

/// The text of a pattern that is only text.
fn plain_text(pattern: &fluent_syntax::ast::Pattern<&str>) -> Option<String> {
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            fluent_syntax::ast::PatternElement::TextElement { value } => out.push_str(value),
            fluent_syntax::ast::PatternElement::Placeable { .. } => return None,
        }
    }
    Some(out)
}

/// Compiles a message's pattern to [`Piece`]s, if it has nothing but text, variables,
/// `DATE($var)` with a literal style, references to terms that are text, and selections on a
/// variable whose variants have nothing else either.
fn compile(
    pattern: &fluent_syntax::ast::Pattern<&str>,
    text_terms: &std::collections::HashMap<String, String>,
) -> Option<Vec<Piece>> {
    compile_pattern(pattern, text_terms, &mut 0)
}

/// [`compile`] for a pattern that may sit in a variant; `placeables` counts them across the
/// whole message.
fn compile_pattern(
    pattern: &fluent_syntax::ast::Pattern<&str>,
    text_terms: &std::collections::HashMap<String, String>,
    placeables: &mut usize,
) -> Option<Vec<Piece>> {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement, VariantKey as Key};
    let mut pieces = Vec::new();
    for element in &pattern.elements {
        if matches!(element, PatternElement::Placeable { .. }) {
            // Fluent refuses to resolve more than 100 placeables; such a message stays with it.
            *placeables += 1;
            if *placeables > 100 {
                return None;
            }
        }
        let piece = match element {
            PatternElement::TextElement { value } => Piece::Text(value.to_string()),
            PatternElement::Placeable {
                expression: Expression::Select { selector: InlineExpression::VariableReference { id }, variants },
            } => {
                let mut compiled = Vec::with_capacity(variants.len());
                for variant in variants {
                    let key = match variant.key {
                        Key::Identifier { name } => VariantKey::Name(name.to_string()),
                        Key::NumberLiteral { value } => match FluentValue::try_number(value) {
                            FluentValue::Number(number) => VariantKey::Number(number),
                            _ => VariantKey::Name(value.to_string()),
                        },
                    };
                    compiled.push((key, compile_pattern(&variant.value, text_terms, placeables)?));
                }
                let default = variants.iter().position(|v| v.default)?;
                let select = NEXT_SELECT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Piece::Select { var: id.name.to_string(), variants: compiled, default, id: select }
            }
            PatternElement::Placeable { expression: Expression::Inline(inline) } => match inline {
                InlineExpression::VariableReference { id } => Piece::Var(id.name.to_string()),
                InlineExpression::TermReference { id, attribute: None, arguments: None } => {
                    Piece::Text(text_terms.get(id.name)?.clone())
                }
                InlineExpression::FunctionReference { id, arguments } if id.name == "DATE" => {
                    let [InlineExpression::VariableReference { id: var }] = arguments.positional.as_slice() else {
                        return None;
                    };
                    let style = match arguments.named.as_slice() {
                        [] => DateStyle::Long,
                        [named] if named.name.name == "style" => match &named.value {
                            InlineExpression::StringLiteral { value } => DateStyle::parse(value)?,
                            _ => return None,
                        },
                        _ => return None,
                    };
                    Piece::Date(var.name.to_string(), style)
                }
                _ => return None,
            },
            PatternElement::Placeable { .. } => return None,
        };
        // Adjacent text (a term inside a sentence) is joined into one piece.
        match (pieces.last_mut(), piece) {
            (Some(Piece::Text(before)), Piece::Text(text)) => before.push_str(&text),
            (_, piece) => pieces.push(piece),
        }
    }
    Some(pieces)
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    }
}

/// Money passed to a message: prints in the locale's default form unless `MONEY()` asks for
/// more; formatted only when printed.
#[derive(Debug, Clone)]
pub struct MoneyArg {
    /// The amount.
    pub amount: Decimal,
    /// ISO 4217 code.
    pub currency: String,
    /// The formatters of the message's locale.
    pub formats: Arc<Formats>,
}

/// A date passed to a message: prints in the long style unless `DATE()` asks for another.
#[derive(Debug, Clone)]
pub struct DateArg {
    /// The date.
    pub date: jiff::civil::Date,
    /// The formatters of the message's locale.
    pub formats: Arc<Formats>,
}

impl PartialEq for MoneyArg {
    fn eq(&self, other: &Self) -> bool {
        self.amount == other.amount && self.currency == other.currency
    }
}

impl PartialEq for DateArg {
    fn eq(&self, other: &Self) -> bool {
        self.date == other.date
    }
}

/// How a typed argument prints when a message uses it bare (`{ $total }`).
trait Display {
    fn display(&self) -> String;
}

impl Display for MoneyArg {
    fn display(&self) -> String {
        let mut out = String::new();
        // A currency that cannot be formatted prints as amount and code rather than nothing.
        if self.formats.money(&self.amount, &self.currency, &mut out).is_err() {
            out = format!("{} {}", self.amount, self.currency);
        }
        out
    }
}

impl Display for DateArg {
    fn display(&self) -> String {
        let mut out = String::new();
        self.formats.date(self.date, DateStyle::Long, &mut out);
        out
    }
}

macro_rules! displayed_type {
    ($t:ty) => {
        impl FluentType for $t {
            fn duplicate(&self) -> Box<dyn FluentType + Send> {
                Box::new(self.clone())
            }
            fn as_string(&self, _: &intl_memoizer::IntlLangMemoizer) -> Cow<'static, str> {
                Cow::Owned(self.display())
            }
            fn as_string_threadsafe(&self, _: &intl_memoizer::concurrent::IntlLangMemoizer) -> Cow<'static, str> {
                Cow::Owned(self.display())
            }
        }
    };
}
displayed_type!(MoneyArg);
displayed_type!(DateArg);

fn install_functions(bundle: &mut FluentBundle<FluentResource>, formats: Arc<Formats>) {
    let money_formats = formats.clone();
    // Names are unique in a fresh bundle, so adding cannot fail.
    let _ = bundle.add_builtins();
    let _ = bundle.add_function("MONEY", move |positional, _named| {
        let Some(FluentValue::Custom(value)) = positional.first() else {
            return FluentValue::Error;
        };
        let Some(money) = value.as_any().downcast_ref::<MoneyArg>() else {
            return FluentValue::Error;
        };
        let mut out = String::new();
        match money_formats.money(&money.amount, &money.currency, &mut out) {
            Ok(()) => FluentValue::String(Cow::Owned(out)),
            Err(_) => FluentValue::Error,
        }
    });
    let _ = bundle.add_function("DATE", move |positional, named| {
        let Some(FluentValue::Custom(value)) = positional.first() else {
            return FluentValue::Error;
        };
        let Some(date) = value.as_any().downcast_ref::<DateArg>() else {
            return FluentValue::Error;
        };
        let style = match named.get("style") {
            None => DateStyle::Long,
            Some(FluentValue::String(s)) => match DateStyle::parse(s) {
                Some(style) => style,
                None => return FluentValue::Error,
            },
            Some(_) => return FluentValue::Error,
        };
        let mut out = String::new();
        formats.date(date.date, style, &mut out);
        FluentValue::String(Cow::Owned(out))
    });
}

/// Number formatting for the bundle's locale, built once per bundle by Fluent's memoizer.
struct NumberFormat(Formats);

impl Memoizable for NumberFormat {
    type Args = ();
    type Error = ();
    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, ()> {
        Formats::new(&lang.to_string(), Grouping::Cldr).map(NumberFormat).map_err(|_| ())
    }
}

/// Formats plain numbers the locale's way (`1,5` in Polish), keeping Fluent's plural selection.
fn format_number(value: &FluentValue, intls: &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(n) = value else { return None };
    let decimal = to_decimal(n)?;
    intls
        .with_try_get::<NumberFormat, _, _>((), |f| {
            let mut out = String::new();
            f.0.decimal(&decimal, &mut out);
            out
        })
        .ok()
}

fn to_decimal(n: &FluentNumber) -> Option<Decimal> {
    if !n.value.is_finite() {
        return None;
    }
    // A whole number prints as itself: the common case (a count) skips printing the float and
    // parsing it back, which gives the same value (but not for -0, whose text keeps the sign).
    let whole = n.value.fract() == 0.0 && n.value.abs() < 1e15 && !(n.value == 0.0 && n.value.is_sign_negative());
    let mut d: Decimal = if whole { Decimal::from(n.value as i64) } else { n.value.to_string().parse().ok()? };
    if let Some(min) = n.options.minimum_fraction_digits
        && d.scale() < min as u32
    {
        d.rescale(min.min(28) as u32);
    }
    if let Some(max) = n.options.maximum_fraction_digits
        && d.scale() > max as u32
    {
        d = d.round_dp_with_strategy(max.min(28) as u32, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(tag: &str, ftl: &str) -> Bundle {
        let formats = Arc::new(Formats::new(tag, Grouping::Cldr).unwrap());
        Bundle::load(tag.parse().unwrap(), formats, &[SourceFile::new("test.ftl", ftl)]).unwrap()
    }

    fn format(b: &Bundle, id: &str, args: &FluentArgs) -> String {
        let mut out = String::new();
        b.format(id, Some(args), &mut out).unwrap();
        out
    }

    const COUNT: &str = "count = { $n ->\n    [one] { $n } faktura\n    [few] { $n } faktury\n    [other] { $n } faktury\n   *[many] { $n } faktur\n}\n";

    #[test]
    fn polish_plurals_follow_cldr() {
        let b = bundle("pl", COUNT);
        let cases = [
            (1.0, "1 faktura"),
            (2.0, "2 faktury"),
            (5.0, "5 faktur"),
            (12.0, "12 faktur"),
            (22.0, "22 faktury"),
            (0.0, "0 faktur"),
            (1.5, "1,5 faktury"),
        ];
        for (n, want) in cases {
            let mut args = FluentArgs::new();
            args.set("n", n);
            assert_eq!(format(&b, "count", &args), want, "n = {n}");
        }
    }

    #[test]
    fn no_isolation_marks_and_terms_resolve() {
        let b = bundle("en", "-brand = Example Bank\nhello = Hello { $name } from { -brand }\n");
        let mut args = FluentArgs::new();
        args.set("name", "Anna");
        let out = format(&b, "hello", &args);
        assert_eq!(out, "Hello Anna from Example Bank");
        assert!(!out.contains('\u{2068}') && !out.contains('\u{2069}'));
    }

    #[test]
    fn money_and_dates_format_through_functions() {
        let b =
            bundle("pl", "due = { $total } do { DATE($due, style: \"short\") } ({ DATE($due) }), { MONEY($total) }\n");
        let mut args = FluentArgs::new();
        let amount = Decimal::new(1234567, 2);
        let formats = Arc::new(Formats::new("pl", Grouping::Cldr).unwrap());
        args.set(
            "total",
            FluentValue::Custom(Box::new(MoneyArg { amount, currency: "PLN".into(), formats: formats.clone() })),
        );
        let date = jiff::civil::date(2026, 11, 23);
        args.set("due", FluentValue::Custom(Box::new(DateArg { date, formats })));
        let money = "12\u{a0}345,67\u{a0}zł";
        assert_eq!(format(&b, "due", &args), format!("{money} do 23.11.2026 (23 listopada 2026), {money}"));
    }

    /// Compiled messages write exactly what Fluent writes, and hand everything else to it.
    #[test]
    fn compiled_messages_match_fluent() {
        let ftl = "-brand = Example Bank\n\
            subject = Faktura nr { $number } od { -brand }\n\
            intro = kwota { $total }, termin { DATE($due) } r., krótko { DATE($due, style: \"short\") }\n\
            count = Pozycji: { $n }.\n\
            multi =\n    Pierwsza linia { $number }\n    druga linia.\n\
            day = Dnia { $due }.\n\
            select = { $n ->\n    [one] jedna\n   *[other] { $n }\n}\n\
            plural = { $n ->\n    [0] zero\n    [one] { $n } faktura\n    [few] { $n } faktury\n   *[many] { $n } faktur\n}\n\
            gender = { $g ->\n    [female] Szanowna Pani { $name },\n    [male] Szanowny Panie,\n   *[other] Szanowni Państwo,\n}\n\
            nested = Dla { $g ->\n    [company] firmy: { $n ->\n        [one] jedna\n       *[other] { $n }\n    }\n   *[other] osoby\n} z { -brand }.\n\
            function = { NUMBER($n) ->\n    [one] jedna\n   *[other] inne\n}\n";
        let b = bundle("pl", ftl);
        for id in ["subject", "intro", "count", "multi", "day", "select", "plural", "gender", "nested"] {
            assert!(b.compiled.contains_key(id), "{id} is compiled");
        }
        assert!(!b.compiled.contains_key("function"));
        let formats = Arc::new(Formats::new("pl", Grouping::Cldr).unwrap());
        let money = |cents| {
            FluentValue::Custom(Box::new(MoneyArg {
                amount: Decimal::new(cents, 2),
                currency: "PLN".into(),
                formats: formats.clone(),
            }))
        };
        let date =
            FluentValue::Custom(Box::new(DateArg { date: jiff::civil::date(2026, 12, 7), formats: formats.clone() }));
        let cases: Vec<FluentArgs> = vec![
            FluentArgs::from_iter([("number", FluentValue::from("FV/2026/11/0042")), ("total", money(1234567))]),
            FluentArgs::from_iter([("total", money(99)), ("due", date.clone()), ("n", FluentValue::from(1.5))]),
            FluentArgs::from_iter([("n", FluentValue::from(12345)), ("due", FluentValue::from("2026-12-07"))]),
            FluentArgs::from_iter([("number", FluentValue::from(7)), ("due", date.clone())]),
            FluentArgs::from_iter([("other", FluentValue::from("x"))]),
        ];
        let mut cases = cases;
        // Each number comes back with other genders: the selections' memo answers then.
        for n in [0.0, -0.0, 1.0, 2.0, 4.0, 5.0, 12.0, 22.0, 1.5, 0.5, 101.0, -3.0, 1e15, 123_456_789_012.0] {
            for g in ["female", "male", "company", "unknown"] {
                cases.push(FluentArgs::from_iter([
                    ("n", FluentValue::from(n)),
                    ("g", FluentValue::from(g)),
                    ("name", FluentValue::from("Anna")),
                ]));
            }
        }
        cases.push(FluentArgs::from_iter([("n", FluentValue::from("one")), ("g", FluentValue::from(1))]));
        cases.push(FluentArgs::from_iter([("n", FluentValue::from("0")), ("g", date.clone())]));
        cases.push(FluentArgs::from_iter([("g", FluentValue::from("company"))]));
        for args in &cases {
            for id in ["subject", "intro", "count", "multi", "day", "select", "plural", "gender", "nested", "function"]
            {
                let mut fast = String::new();
                let mut slow = String::new();
                let fast_result = b.format(id, Some(args), &mut fast);
                let slow_result = b.format_uncached(id, Some(args), &mut slow);
                assert_eq!((fast_result, &fast), (slow_result, &slow), "{id} with {args:?}");
            }
        }
    }

    #[test]
    fn failures_are_reported_not_blanked() {
        let b = bundle("en", "a = { $missing }\nb = { MONEY($s) }\nc =\n    .title = T\n");
        let mut args = FluentArgs::new();
        args.set("s", "text");
        let mut out = String::new();
        assert!(matches!(b.format("a", Some(&args), &mut out), Err(FormatFailure::Failed(_))));
        assert!(matches!(b.format("b", Some(&args), &mut out), Err(FormatFailure::Failed(m)) if m.contains("MONEY()")));
        assert_eq!(b.format("nope", None, &mut out), Err(FormatFailure::Missing));
        assert_eq!(b.format("c", None, &mut out), Err(FormatFailure::NoValue));
        assert!(b.has("c.title") && !b.has("c.body"));
    }

    #[test]
    fn an_overlay_replaces_messages_and_references_follow_it() {
        let formats = Arc::new(Formats::new("en", Grouping::Cldr).unwrap());
        let base =
            SourceFile::new("base.ftl", "title = Always write\nintro = Read **{ title }** first.\nkept = Kept\n");
        let over = SourceFile::new("over.ftl", "title = Must write\n");
        let b =
            Bundle::load_over("en".parse().unwrap(), formats.clone(), std::slice::from_ref(&base), &[over]).unwrap();
        let text = |id| {
            let mut out = String::new();
            b.format(id, None, &mut out).unwrap();
            out
        };
        assert_eq!(
            (text("title"), text("intro"), text("kept")),
            ("Must write".into(), "Read **Must write** first.".into(), "Kept".into())
        );
        assert_eq!(
            b.ids().find(|(id, _, _)| *id == "title").map(|(_, f, _)| f.name.to_string()),
            Some("over.ftl".into())
        );
        // Twice in the overlay itself is still a mistake.
        let twice = SourceFile::new("over.ftl", "title = A\ntitle = B\n");
        let err = Bundle::load_over("en".parse().unwrap(), formats, &[base], &[twice]).err().unwrap();
        assert!(err.to_string().contains("defined twice"), "{err}");
    }

    #[test]
    fn syntax_errors_and_duplicates_point_at_the_file() {
        let formats = Arc::new(Formats::new("en", Grouping::Cldr).unwrap());
        let bad = SourceFile::new("locales/en/x.ftl", "ok = fine\nbroken = { $x\n");
        let err = Bundle::load("en".parse().unwrap(), formats.clone(), &[bad]).err().unwrap();
        assert_eq!(err.location().map(|l| (l.0, l.1)), Some(("locales/en/x.ftl".into(), 2)));
        let a = SourceFile::new("a.ftl", "hello = Hi\n");
        let b = SourceFile::new("b.ftl", "hello = Hello\n");
        let err = Bundle::load("en".parse().unwrap(), formats, &[a, b]).err().unwrap();
        assert!(err.to_string().contains("defined twice"), "{err}");
    }
}
