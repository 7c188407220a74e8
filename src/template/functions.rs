//! What templates can call: `t()` for Fluent messages, the `money`, `date` and `number` filters,
//! and `nbsp`, which keeps a value on one line (an IBAN, a case number with spaces).
//!
//! All of them format for the letter's locale, which the renderer sets for the thread
//! ([`LetterLocale`]), so one compiled set of templates serves every language.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

use fluent_bundle::types::{FluentNumber, FluentNumberOptions};
use fluent_bundle::{FluentArgs, FluentValue};
use rust_decimal::Decimal;
use tera::{Error as TeraError, Kwargs, State, Tera, TeraResult, Value};

use crate::fields::{Typed, typed};
use crate::locale::fluent::{DateArg, FormatFailure, MoneyArg};
use crate::locale::format::DateStyle;
use crate::locale::{Locale, Locales};
use crate::template::escape::markdown_escape;

/// Installs `t()` and the formatting filters, formatting for locale number `index`: each
/// language has its own Tera instance (Tera hands functions and filters only its `State`, where
/// reading a context variable costs about 200 instructions a call, frame by frame).
pub fn install(tera: &mut Tera, locales: &Arc<Locales>, index: usize) {
    let l = locales.clone();
    tera.register_function("t", move |kwargs: Kwargs, _: &State| translate(l.get(index), kwargs));
    let l = locales.clone();
    tera.register_filter("money", move |value: Value, _: Kwargs, _: &State| -> TeraResult<String> {
        let locale = l.get(index);
        match typed(&value) {
            Some(Typed::Money(amount, currency)) => {
                let mut out = String::with_capacity(32);
                locale.formats.money(&amount, &currency, &mut out).map_err(|e| TeraError::message(e.to_string()))?;
                Ok(out)
            }
            _ => Err(TeraError::message(format!(
                "the `money` filter takes a money field (e.g. `invoice.total | money`), not {}",
                describe(&value)
            ))),
        }
    });
    let l = locales.clone();
    tera.register_filter("date", move |value: Value, kwargs: Kwargs, _: &State| -> TeraResult<String> {
        let locale = l.get(index);
        let style = date_style(kwargs.get::<&str>("style")?)?;
        match typed(&value) {
            Some(Typed::Date(date)) => {
                let mut out = String::with_capacity(32);
                locale.formats.date(date, style, &mut out);
                Ok(out)
            }
            _ => Err(TeraError::message(format!(
                "the `date` filter takes a date field (e.g. `invoice.due | date(style=\"long\")`), not {}",
                describe(&value)
            ))),
        }
    });
    tera.register_filter("nbsp", |value: &str, _: Kwargs, _: &State| -> String { nbsp(value) });
    let l = locales.clone();
    tera.register_filter("number", move |value: Value, _: Kwargs, _: &State| -> TeraResult<String> {
        let locale = l.get(index);
        let decimal = to_decimal(&value).ok_or_else(|| {
            TeraError::message(format!("the `number` filter takes a number, not {}", describe(&value)))
        })?;
        let mut out = String::with_capacity(16);
        locale.formats.decimal(&decimal, &mut out);
        Ok(out)
    });
}

/// `value` with every space made a no-break space: as `value.replace(' ', "\u{a0}")`, byte by
/// byte (a space is one byte in UTF-8 and never part of another character), a tenth of its cost.
fn nbsp(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut copied = 0;
    for (at, byte) in value.bytes().enumerate() {
        if byte == b' ' {
            out.push_str(value.get(copied..at).unwrap_or_default());
            out.push('\u{a0}');
            copied = at + 1;
        }
    }
    out.push_str(value.get(copied..).unwrap_or_default());
    out
}

/// One message `t()` printed while a letter was traced: its id and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The message id (`closing-thanks`).
    pub id: String,
    /// What it printed (Markdown, arguments filled in).
    pub text: String,
}

thread_local! {
    /// Whether [`traced`] runs on this thread: the one test an untraced `t()` call pays.
    static TRACING: Cell<bool> = const { Cell::new(false) };
    /// The messages `t()` printed on this thread while [`traced`] runs.
    static PRINTED: RefCell<Option<Vec<Printed>>> = const { RefCell::new(None) };
}

/// Runs `f` with `t()` recording what it prints on this thread, and returns that list too.
pub(crate) fn traced<T>(f: impl FnOnce() -> T) -> (T, Vec<Printed>) {
    /// Stops the recording even if `f` unwinds, so later letters on the thread do not record.
    struct Stop;
    impl Drop for Stop {
        fn drop(&mut self) {
            TRACING.set(false);
            PRINTED.with(|p| p.borrow_mut().take());
        }
    }
    PRINTED.with(|p| *p.borrow_mut() = Some(Vec::new()));
    TRACING.set(true);
    let stop = Stop;
    let value = f();
    let printed = PRINTED.with(|p| p.borrow_mut().take()).unwrap_or_default();
    drop(stop);
    (value, printed)
}

fn date_style(style: Option<&str>) -> TeraResult<DateStyle> {
    match style {
        None => Ok(DateStyle::Long),
        Some(s) => DateStyle::parse(s).ok_or_else(|| {
            TeraError::message(format!("`{s}` is not a date style; use one of {}", DateStyle::NAMES.join(", ")))
        }),
    }
}

/// `t(id="message-id", name=value, …)`: the message in the letter's language, with string
/// arguments escaped for Markdown; the message's own Markdown is kept.
fn translate(locale: &Locale, kwargs: Kwargs) -> TeraResult<Value> {
    let mut id = None;
    // Sized up front: growing the argument list and the output one step at a time cost a
    // reallocation or two on most calls.
    let mut args = FluentArgs::with_capacity(kwargs.iter().size_hint().0);
    for (key, value) in kwargs.iter() {
        let key = key.as_str().unwrap_or_default();
        if key == "id" {
            id = Some(value.as_str().ok_or_else(|| TeraError::message("`id` must be a message id string"))?);
            continue;
        }
        args.set(key, fluent_value(locale, key, value)?);
    }
    let id = id.ok_or_else(|| TeraError::message("t() needs the message id: t(id=\"invoice-intro\", …)"))?;
    let mut out = String::with_capacity(128);
    locale.bundle.format(id, Some(&args), &mut out).map_err(|failure| {
        let tag = &locale.tag;
        TeraError::message(match failure {
            // `missive check` reads the id and the locale back from these words
            // (`check::missing_in`); tests/cli/broken_standard.rs holds them to it.
            FormatFailure::Missing => format!(
                "message `{id}` is missing in locale `{tag}`: add it to a file in locales/{tag}/ (there is no fallback to another language)"
            ),
            FormatFailure::NoValue => format!("message `{id}` in locale `{tag}` has attributes but no value"),
            FormatFailure::Failed(why) => format!("message `{id}` in locale `{tag}`: {why}"),
        })
    })?;
    if TRACING.get() {
        PRINTED.with(|p| {
            if let Some(list) = p.borrow_mut().as_mut() {
                list.push(Printed { id: id.to_string(), text: out.clone() });
            }
        });
    }
    Ok(Value::safe_string(&out))
}

fn fluent_value<'a>(locale: &Locale, key: &str, value: &'a Value) -> TeraResult<FluentValue<'a>> {
    if let Some(s) = value.as_str() {
        if value.is_safe() {
            return Ok(FluentValue::String(Cow::Borrowed(s)));
        }
        return Ok(FluentValue::String(markdown_escape(s)));
    }
    if let Some(b) = value.as_bool() {
        return Ok(FluentValue::String(Cow::Borrowed(if b { "true" } else { "false" })));
    }
    if value.is_number() {
        let n = value.as_f64().ok_or_else(|| TeraError::message(format!("argument `{key}` is not a finite number")))?;
        return Ok(FluentValue::Number(FluentNumber::new(n, FluentNumberOptions::default())));
    }
    match typed(value) {
        Some(Typed::Money(amount, currency)) => {
            Ok(FluentValue::Custom(Box::new(MoneyArg { amount, currency, formats: locale.formats.clone() })))
        }
        Some(Typed::Date(date)) => Ok(FluentValue::Custom(Box::new(DateArg { date, formats: locale.formats.clone() }))),
        None => Err(TeraError::message(format!(
            "argument `{key}` is {}: pass a single value (for a count of a list, `{key}=list | length`)",
            describe(value)
        ))),
    }
}

fn to_decimal(value: &Value) -> Option<Decimal> {
    if let Some(i) = value.as_i64() {
        return Some(Decimal::from(i));
    }
    let f = value.as_f64()?;
    f.is_finite().then(|| f.to_string().parse().ok()).flatten()
}

fn describe(value: &Value) -> &'static str {
    if value.is_undefined() {
        "an undefined value"
    } else if value.is_none() {
        "an empty value"
    } else if value.is_string() {
        "a string"
    } else if value.is_number() {
        "a number"
    } else if value.is_bool() {
        "a boolean"
    } else if value.is_array() {
        "a list"
    } else {
        "an object"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte loop makes what `str::replace` makes (the simpler path it replaced).
        #[test]
        fn nbsp_is_replace(value in "[ a-zA-Zł0-9\u{a0}\u{1F600}]{0,40}") {
            proptest::prop_assert_eq!(nbsp(&value), value.replace(' ', "\u{a0}"));
        }
    }
}
