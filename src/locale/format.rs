//! Locale-aware formatting of money, dates and numbers, backed by CLDR data (ICU4X).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};

use fixed_decimal::{Decimal as FixedDecimal, RoundingIncrement, Sign, SignedRoundingMode, UnsignedRoundingMode};
use icu_calendar::{Date, Iso};
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::{YMD, YMDE};
use icu_decimal::DecimalFormatter;
use icu_decimal::provider::{DecimalDigitsV1, DecimalSymbols, DecimalSymbolsV1};
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::provider::currency::essentials::CurrencyEssentialsV1;
use icu_experimental::dimension::provider::currency::fractions::{CurrencyFractionsV1, Rounding};
use icu_experimental::dimension::provider::currency::no_currency::CurrencyPatternsNoCurrencyV1;
use icu_experimental::dimension::provider::currency::symbols::{CurrencyDecimalSymbolsV1, CurrencySymbolsV1};
use icu_locale_core::Locale;
use icu_provider::prelude::*;

mod frames;

use frames::Frames;

/// How thousands are grouped. `Cldr` follows CLDR (Polish has a minimum of two grouping digits:
/// `1234,56 zł` but `12 345,67 zł`); `Always` groups from four digits (`1 234,56 zł`), as many invoices do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Grouping {
    /// The locale's own CLDR rule, including its minimum grouping digits.
    #[default]
    Cldr,
    /// Group every number of four or more integer digits, whatever the locale's minimum.
    Always,
}

/// The length of a formatted calendar date, as CLDR defines the four standard date formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateStyle {
    /// Numeric, e.g. pl `23.11.2026`, en-GB `23/11/2026`.
    Short,
    /// Abbreviated month, e.g. pl `23 lis 2026`.
    Medium,
    /// Month spelled out, e.g. pl `23 listopada 2026`.
    Long,
    /// Month spelled out, with the weekday.
    Full,
}

impl DateStyle {
    /// Every name [`DateStyle::parse`] accepts, shortest style first.
    pub const NAMES: [&'static str; 4] = ["short", "medium", "long", "full"];

    /// "short" | "medium" | "long" | "full"
    #[must_use]
    pub fn parse(s: &str) -> Option<DateStyle> {
        match s {
            "short" => Some(DateStyle::Short),
            "medium" => Some(DateStyle::Medium),
            "long" => Some(DateStyle::Long),
            "full" => Some(DateStyle::Full),
            _ => None,
        }
    }

    /// The name [`DateStyle::parse`] accepts for this style.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            DateStyle::Short => "short",
            DateStyle::Medium => "medium",
            DateStyle::Long => "long",
            DateStyle::Full => "full",
        }
    }
}

/// An error building a formatter or formatting a value; the message is shown to users as is,
/// so it must say what was wrong and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

/// The currencies whose formatters [`Formats::new`] builds eagerly.
const COMMON_CURRENCIES: [&str; 5] = ["PLN", "EUR", "USD", "GBP", "CHF"];

/// All formatters for one locale, built once when the standard loads, then shared by every
/// letter (it is `Send + Sync`, checked at compile time). Cheap per call: about 0.2 µs per
/// money value or date, without allocating beyond `out`'s growth.
pub struct Formats {
    /// The normalised BCP 47 tag.
    tag: String,
    /// The parsed locale, kept to build currency formatters on demand.
    locale: Locale,
    /// The CLDR data, with the grouping policy applied.
    data: CldrData,
    /// Fraction digits and rounding increments of every currency, from CLDR.
    fractions: DataPayload<CurrencyFractionsV1>,
    /// Plain numbers.
    decimal: DecimalFormatter,
    /// Dates: short, medium and long (no weekday).
    dates: [DateTimeFormatter<YMD>; 3],
    /// Full dates (with the weekday).
    full_date: DateTimeFormatter<YMDE>,
    /// Formatters for [`COMMON_CURRENCIES`], in that order.
    common: Vec<Money>,
    /// Formatters for other currencies, built on first use.
    others: RwLock<HashMap<[u8; 3], Money>>,
    /// Tells this instance's entries in the per-thread [`MONEY`] and [`DATES`] memos from another's (an
    /// address could be reused after a drop; a counter is not).
    id: u64,
}

/// A per-thread memo of formatted values: key → what formatting it wrote. It only saves work:
/// an entry is exactly what formatting the key again would write (keys carry the formatter
/// instance's id and everything the output depends on).
type Memo<K> = RefCell<rustc_hash::FxHashMap<K, String>>;

/// Money keyed by formatter, the amount's `serialize()` form (it keeps the scale: 1.5 and
/// 1.50 are different keys) and the currency code.
type MoneyKey = (u64, [u8; 16], [u8; 3]);

/// The most amounts [`MONEY`] keeps before starting over (a letter prints a handful).
const MONEY_MAX: usize = 32;

/// The most dates [`DATES`] keeps before starting over (a year of due dates in three styles).
const DATES_MAX: usize = 2048;

/// The most numbers [`DECIMALS`] keeps before starting over.
const DECIMALS_MAX: usize = 256;

// Two caches of formatted values, per thread for the life of the thread, each bounded (started
// over when full) and keyed on everything the printed form depends on (the locale's formats,
// the value, the style), so a hit is always the form ICU4X would print: they hold no state of a
// letter, and nothing has to be reset between letters.
thread_local! {
    /// Money formatted lately: the render prints each value once and the `field` rule then
    /// looks for the same forms in the letter: ICU4X's formatting is about 3,000 instructions a
    /// value, looking one up here a few dozen. A handful of entries (one letter's amounts are
    /// rarely the next one's).
    static MONEY: Memo<MoneyKey> = RefCell::new(rustc_hash::FxHashMap::default());

    /// Dates formatted on this thread, kept from letter to letter: a billing run prints the
    /// same few hundred dates (today, due dates) a million times.
    static DATES: Memo<(u64, jiff::civil::Date, DateStyle)> = RefCell::new(rustc_hash::FxHashMap::default());

    /// Plain numbers formatted on this thread, keyed by formatter and the value's `serialize()`
    /// form (its scale kept: 2.5 and 2.50 print differently): an invoice's quantities and a
    /// message's counts are a few small numbers that repeat in every letter, and ICU4X costs
    /// about 500 instructions for each.
    static DECIMALS: Memo<(u64, [u8; 16])> = RefCell::new(rustc_hash::FxHashMap::default());
}

/// Appends `memo`'s form of `key` to `out`, or formats it with `write`, remembers it (starting
/// the memo over when it holds `max`) and appends it.
fn through<K: std::hash::Hash + Eq>(
    memo: &'static std::thread::LocalKey<Memo<K>>,
    max: usize,
    key: K,
    out: &mut String,
    write: impl FnOnce(&mut String),
) {
    let hit = memo.with(|m| m.try_borrow().ok().and_then(|m| m.get(&key).map(|s| out.push_str(s))).is_some());
    if hit {
        return;
    }
    let start = out.len();
    write(out);
    let printed = out.get(start..).unwrap_or_default().to_string();
    memo.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            if m.len() >= max {
                m.clear();
            }
            m.insert(key, printed);
        }
    });
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

// Formats is shared by every worker thread of a billing run. This needs icu_provider's "sync"
// feature: without it ICU4X data payloads hold an `Rc` and no formatter is Send or Sync.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Formats>();
};

impl fmt::Debug for Formats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Formats")
            .field("locale", &self.tag)
            .field("grouping", &self.data.grouping())
            .finish_non_exhaustive()
    }
}

/// A currency formatter with the currency's CLDR rounding rule.
struct Money {
    /// The ISO 4217 code, uppercase ASCII.
    code: [u8; 3],
    /// ICU4X's formatter for this currency in the locale.
    formatter: CurrencyFormatter<DecimalFormatter>,
    /// Magnitude of the last fraction digit shown: -2 for PLN, 0 for JPY.
    position: i16,
    /// Rounding increment of the last digit (almost always 1).
    increment: RoundingIncrement,
    /// The printed forms ICU4X gives this currency, worked out once ([`Frames`]); `None` when
    /// they cannot be (a rounding increment other than 1, digits not told apart): every amount
    /// then goes through ICU4X.
    frames: Option<Frames>,
}

impl Formats {
    /// `locale` is a BCP 47 tag such as "pl", "en", "en-GB", "de-CH".
    ///
    /// Builds everything eagerly (about 10 µs), including the formatters for PLN, EUR, USD,
    /// GBP and CHF. A well-formed tag for a language CLDR lacks falls back to CLDR's root
    /// formats (e.g. `1234.56 PLN`), as ICU4X does.
    ///
    /// # Errors
    ///
    /// If `locale` is not a well-formed BCP 47 tag (e.g. `pl_PL`), or, in theory, if the
    /// compiled CLDR data lacks something a formatter needs.
    pub fn new(locale: &str, grouping: Grouping) -> Result<Formats, FormatError> {
        let parsed = Locale::try_from_str(locale).map_err(|e| {
            let hint = if locale.contains('_') { " (subtags are separated by \"-\", not \"_\")" } else { "" };
            FormatError(format!(
                "invalid locale tag \"{locale}\": expected a BCP 47 language tag such as \
                 \"pl\", \"en\", \"en-GB\" or \"de-CH\"{hint}; {e}"
            ))
        })?;
        let tag = parsed.to_string();
        let data = CldrData { always_group: grouping == Grouping::Always };
        let load_error = |what: &str, e: &dyn fmt::Display| {
            FormatError(format!("cannot load the CLDR {what} data for locale \"{tag}\": {e}"))
        };

        let fractions = DataProvider::<CurrencyFractionsV1>::load(&data, Default::default())
            .map_err(|e| load_error("currency", &e))?
            .payload;
        let decimal = DecimalFormatter::try_new_unstable(&data, (&parsed).into(), Default::default())
            .map_err(|e| load_error("number", &e))?;
        let ymd = |fs: YMD| DateTimeFormatter::try_new((&parsed).into(), fs).map_err(|e| load_error("date", &e));
        let dates = [ymd(YMD::short())?, ymd(YMD::medium())?, ymd(YMD::long())?];
        let full_date =
            DateTimeFormatter::try_new((&parsed).into(), YMDE::long()).map_err(|e| load_error("date", &e))?;

        let mut formats = Formats {
            tag,
            locale: parsed,
            data,
            fractions,
            decimal,
            dates,
            full_date,
            common: Vec::with_capacity(COMMON_CURRENCIES.len()),
            others: RwLock::new(HashMap::new()),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        };
        for code in COMMON_CURRENCIES {
            let money = formats.build_money(currency_code(code)?)?;
            formats.common.push(money);
        }
        Ok(formats)
    }

    /// The BCP 47 tag this was built for.
    pub fn locale(&self) -> &str {
        &self.tag
    }

    /// Money with the currency's standard number of minor digits, rounded HALF AWAY FROM ZERO
    /// (commercial rounding; note rust_decimal's round_dp is half-to-even, don't use it blindly).
    /// `currency` is an ISO 4217 code (three ASCII uppercase letters), else FormatError.
    /// pl: 1234.56 PLN -> "1234,56 zł", 12345.67 -> "12 345,67 zł" (U+00A0 both as group separator
    ///     and before "zł", exactly as CLDR/ICU4X produce), Grouping::Always: "1 234,56 zł".
    /// en (and en-GB): 1234.56 PLN -> "PLN 1,234.56" (whatever spacing CLDR puts, likely U+00A0).
    /// Negative amounts, zero, huge amounts (20+ digits), EUR/USD/GBP/CHF/JPY must work.
    ///
    /// The minor digits and any rounding increment come from CLDR's currency data (the
    /// non-cash rule), a zero result never carries a minus sign, and a well-formed code CLDR
    /// does not know is shown as the code itself.
    ///
    /// # Errors
    ///
    /// If `currency` is not three ASCII uppercase letters; nothing is written to `out` then.
    pub fn money(&self, amount: &rust_decimal::Decimal, currency: &str, out: &mut String) -> Result<(), FormatError> {
        let code = currency_code(currency)?;
        // Only the common currencies go through the memo: the others may fail to build. And
        // only those without frames: writing into a frame costs less than a miss (hashing,
        // keeping a copy), about as much as a hit.
        if let Some(money) = self.common.iter().find(|m| m.code == code) {
            if money.frames.is_some() {
                money.write(amount, out);
            } else {
                through(&MONEY, MONEY_MAX, (self.id, amount.serialize(), code), out, |out| money.write(amount, out));
            }
            return Ok(());
        }
        {
            let others = self.others.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(money) = others.get(&code) {
                money.write(amount, out);
                return Ok(());
            }
        }
        // Built outside the lock; if two threads race, the second insert is a harmless no-op.
        let money = self.build_money(code)?;
        let mut others = self.others.write().unwrap_or_else(PoisonError::into_inner);
        others.entry(code).or_insert(money).write(amount, out);
        Ok(())
    }

    /// A plain decimal number in the locale: pl 1.5 -> "1,5", 12345 -> "12 345"; en 1.5 -> "1.5", 12345 -> "12,345".
    /// Keeps the value's own digits (no rounding; 2.50 -> "2,50").
    ///
    /// Grouping follows the [`Grouping`] this was built with (pl `Always`: 1234 -> "1 234").
    pub fn decimal(&self, value: &rust_decimal::Decimal, out: &mut String) {
        through(&DECIMALS, DECIMALS_MAX, (self.id, value.serialize()), out, |out| self.format_decimal(value, out));
    }

    fn format_decimal(&self, value: &rust_decimal::Decimal, out: &mut String) {
        let value = to_fixed(value);
        // Writing to a String cannot fail, and ICU4X's number formatting has no error path.
        let _ = write!(out, "{}", self.decimal.format(&value));
    }

    /// A calendar date. pl: Long "23 listopada 2026" (month in the genitive, as CLDR has it),
    /// Short "23.11.2026". en-GB: Long "23 November 2026", Short "23/11/2026". en (US): whatever CLDR says.
    /// Medium and Full as CLDR has them (Full includes the weekday).
    ///
    /// The date is shown in the locale's default calendar (Gregorian for pl and en; a
    /// `-u-ca-` extension in the tag selects another).
    pub fn date(&self, date: jiff::civil::Date, style: DateStyle, out: &mut String) {
        through(&DATES, DATES_MAX, (self.id, date, style), out, |out| self.format_date(date, style, out));
    }

    fn format_date(&self, date: jiff::civil::Date, style: DateStyle, out: &mut String) {
        let Some(date) = to_iso(date) else {
            // Unreachable: every jiff date (years -9999..=9999) is a valid ISO date. Never
            // panic regardless; ISO 8601 is at least unambiguous.
            let _ = write!(out, "{date}");
            return;
        };
        // Writing to a String cannot fail; ICU4X writes a placeholder rather than erring.
        let _ = match style {
            DateStyle::Short => write!(out, "{}", self.dates[0].format(&date)),
            DateStyle::Medium => write!(out, "{}", self.dates[1].format(&date)),
            DateStyle::Long => write!(out, "{}", self.dates[2].format(&date)),
            DateStyle::Full => write!(out, "{}", self.full_date.format(&date)),
        };
    }

    /// Builds the formatter and rounding rule of one currency for this locale.
    fn build_money(&self, code: [u8; 3]) -> Result<Money, FormatError> {
        let currency = currency_type(code)?;
        let formatter =
            CurrencyFormatter::try_new_symbol_unstable(&self.data, (&self.locale).into(), currency, Default::default())
                .map_err(|e| {
                    FormatError(format!(
                        "cannot load the CLDR data for currency {} in locale \"{}\": {e}",
                        String::from_utf8_lossy(&code),
                        self.tag
                    ))
                })?;
        let info = self.fractions.get().resolve(currency);
        // Mirrors ICU4X's own currency rounding, which we do first (see `Money::write`).
        let digits = i16::from(info.digits);
        let (position, increment) = match info.rounding {
            Rounding::R5 => (-digits, RoundingIncrement::MultiplesOf5),
            Rounding::R20 => (1 - digits, RoundingIncrement::MultiplesOf2),
            Rounding::R50 => (1 - digits, RoundingIncrement::MultiplesOf5),
            _ => (-digits, RoundingIncrement::MultiplesOf1),
        };
        let mut money = Money { code, formatter, position, increment, frames: None };
        money.frames = Frames::learn(&money);
        Ok(money)
    }

    /// Returns the grouping this was built with.
    pub fn grouping(&self) -> Grouping {
        self.data.grouping()
    }
}

impl Money {
    /// Rounds `amount` half away from zero and appends it, with the currency, to `out`: from
    /// the currency's [`Frames`] when it has one for the amount's sign and length, else (and
    /// in the tests, as the reference) through ICU4X ([`Money::write_icu`]).
    fn write(&self, amount: &rust_decimal::Decimal, out: &mut String) {
        if let Some(frames) = &self.frames
            && frames.write(amount, self, out)
        {
            return;
        }
        self.write_icu(amount, out);
    }

    /// [`Money::write`] through ICU4X: rounds `amount` and formats it with the currency.
    fn write_icu(&self, amount: &rust_decimal::Decimal, out: &mut String) {
        let mut value = to_fixed(amount);
        // ICU4X rounds the same way, but we must round first so that an amount rounding to
        // zero (-0.001 PLN) loses its sign instead of showing as "-0,00 zł".
        value.round_with_mode_and_increment(
            self.position,
            SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand),
            self.increment,
        );
        if value.absolute.is_zero() {
            value.sign = Sign::None;
        }
        // Writing to a String cannot fail, and ICU4X's currency formatting has no error path.
        let _ = write!(out, "{}", self.formatter.format_fixed_decimal(&value));
    }
}

/// Validates an ISO 4217 code: exactly three ASCII uppercase letters.
fn currency_code(currency: &str) -> Result<[u8; 3], FormatError> {
    match currency.as_bytes() {
        &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok([a, b, c]),
        _ => Err(FormatError(format!(
            "invalid currency code \"{currency}\": expected an ISO 4217 code of three \
             uppercase letters A-Z, such as PLN, EUR, USD, GBP or CHF"
        ))),
    }
}

/// The ICU4X currency identifier for a code validated by [`currency_code`].
fn currency_type(code: [u8; 3]) -> Result<CurrencyType, FormatError> {
    // Validated codes are three ASCII letters, which ICU4X always accepts.
    CurrencyType::try_from_utf8(&code).map_err(|_| {
        FormatError(format!(
            "invalid currency code \"{}\": expected three uppercase letters A-Z",
            String::from_utf8_lossy(&code)
        ))
    })
}

/// The decimal places a currency prints, from CLDR (2 for PLN and EUR, 0 for JPY, 3 for KWD);
/// 2 for a code CLDR does not know. For a warning when a record's amount has more.
pub fn minor_digits(code: &str) -> u8 {
    static FRACTIONS: std::sync::OnceLock<Option<DataPayload<CurrencyFractionsV1>>> = std::sync::OnceLock::new();
    let fractions = FRACTIONS.get_or_init(|| {
        DataProvider::<CurrencyFractionsV1>::load(&CldrData { always_group: false }, Default::default())
            .ok()
            .map(|r| r.payload)
    });
    let Ok(code) = <[u8; 3]>::try_from(code.as_bytes()) else { return 2 };
    match (fractions, currency_type(code)) {
        (Some(f), Ok(currency)) => f.get().resolve(currency).digits,
        _ => 2,
    }
}

/// Converts exactly, digit for digit, keeping trailing zeros (2.50 stays 2.50).
fn to_fixed(value: &rust_decimal::Decimal) -> FixedDecimal {
    let mantissa = value.mantissa();
    // Digit extraction with u64 division is much cheaper than with u128; amounts fit.
    let mut fixed = match i64::try_from(mantissa) {
        Ok(small) => FixedDecimal::from(small),
        Err(_) => FixedDecimal::from(mantissa),
    };
    // rust_decimal's scale is at most 28, so the cast and the shift cannot overflow.
    fixed.multiply_pow10(-(value.scale() as i16));
    fixed
}

/// The same day as an ICU4X ISO date, or `None` if ICU4X rejects it (it should not).
fn to_iso(date: jiff::civil::Date) -> Option<Date<Iso>> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    Date::try_new_iso(i32::from(date.year()), month, day).ok()
}

/// ICU4X's compiled CLDR data, with the locale's minimum grouping digits forced to 1 when
/// every number of four or more integer digits must be grouped.
///
/// This is the only way to get [`Grouping::Always`]: `CurrencyFormatter` takes no grouping
/// option, and `icu_decimal` 2's `GroupingStrategy::Always` behaves exactly like `Auto`.
#[derive(Clone, Copy, Debug)]
struct CldrData {
    /// Whether to force a minimum of one grouping digit.
    always_group: bool,
}

impl CldrData {
    /// The grouping policy this data implements.
    fn grouping(self) -> Grouping {
        if self.always_group { Grouping::Always } else { Grouping::Cldr }
    }
}

/// Implements `DataProvider` for `CldrData` by delegating markers to a baked provider as is.
macro_rules! delegate_to {
    ($baked:path => $($marker:ty),+ $(,)?) => {$(
        impl DataProvider<$marker> for CldrData {
            fn load(&self, req: DataRequest) -> Result<DataResponse<$marker>, DataError> {
                $baked.load(req)
            }
        }
    )+};
}

delegate_to!(icu_experimental::provider::Baked =>
    CurrencyEssentialsV1,
    CurrencyPatternsNoCurrencyV1,
    CurrencyFractionsV1,
);
delegate_to!(icu_decimal::provider::Baked => DecimalDigitsV1);

impl DataProvider<CurrencySymbolsV1> for CldrData {
    fn load(&self, mut req: DataRequest) -> Result<DataResponse<CurrencySymbolsV1>, DataError> {
        // Many locales have no symbol for many currencies (en-GB has none for PLN); ICU4X then
        // uses the ISO code, as it should. Without this, debug builds print an "ICU4X data
        // error" line to stderr for each such miss.
        req.metadata.silent = true;
        icu_experimental::provider::Baked.load(req)
    }
}

impl DataProvider<DecimalSymbolsV1> for CldrData {
    fn load(&self, req: DataRequest) -> Result<DataResponse<DecimalSymbolsV1>, DataError> {
        let mut res = icu_decimal::provider::Baked.load(req)?;
        if self.always_group {
            res.payload.with_mut(group_from_four_digits);
        }
        Ok(res)
    }
}

impl DataProvider<CurrencyDecimalSymbolsV1> for CldrData {
    fn load(&self, req: DataRequest) -> Result<DataResponse<CurrencyDecimalSymbolsV1>, DataError> {
        let mut res = icu_experimental::provider::Baked.load(req)?;
        if self.always_group {
            res.payload.with_mut(group_from_four_digits);
        }
        Ok(res)
    }
}

/// Sets a locale's minimum grouping digits to 1: a number is grouped as soon as it has more
/// digits than the first group (pl `1234` like `12345`).
fn group_from_four_digits(symbols: &mut DecimalSymbols<'_>) {
    symbols.grouping_sizes.min_grouping = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> rust_decimal::Decimal {
        s.parse().unwrap()
    }

    fn money(f: &Formats, amount: &str, currency: &str) -> String {
        let mut out = String::new();
        f.money(&dec(amount), currency, &mut out).unwrap();
        out
    }

    fn pl() -> Formats {
        Formats::new("pl", Grouping::Cldr).unwrap()
    }

    #[test]
    fn memo_hits_are_what_formatting_writes() {
        let pl = pl();
        let en = Formats::new("en", Grouping::Cldr).unwrap();
        let d = jiff::civil::date(2026, 12, 7);
        for round in 0..2 {
            // The second round is served from the memo; appending keeps what `out` held.
            let mut out = String::from("x");
            pl.money(&"1234.5".parse().unwrap(), "PLN", &mut out).unwrap();
            assert_eq!(out, "x1234,50\u{a0}zł", "round {round}");
            assert_eq!(money(&pl, "1234.50", "PLN"), "1234,50\u{a0}zł");
            assert_eq!(money(&pl, "1234.5", "EUR"), "1234,50\u{a0}€");
            assert_eq!(money(&en, "1234.5", "PLN"), "PLN\u{a0}1,234.50");
            assert_eq!(date(&pl, d, DateStyle::Long), "7 grudnia 2026");
            assert_eq!(date(&pl, d, DateStyle::Short), "07.12.2026");
            assert_eq!(date(&en, d, DateStyle::Long), "December 7, 2026");
        }
        assert_eq!(date(&pl, jiff::civil::date(2026, 12, 8), DateStyle::Long), "8 grudnia 2026");
        // More values than the memos keep: they start over, every answer stays right.
        for amount in 0..(MONEY_MAX as u32 + 5) {
            let mut fresh = String::new();
            pl.common[0].write(&rust_decimal::Decimal::from(amount), &mut fresh);
            assert_eq!(money(&pl, &amount.to_string(), "PLN"), fresh);
        }
        for day in (0..(DATES_MAX as i64 / 2 + 40)).map(|n| jiff::civil::date(2020, 1, 1) + jiff::Span::new().days(n)) {
            for style in [DateStyle::Short, DateStyle::Long] {
                let mut fresh = String::new();
                pl.format_date(day, style, &mut fresh);
                assert_eq!(date(&pl, day, style), fresh);
            }
        }
        // Numbers: the memo keeps the scale apart and starts over when full.
        for round in 0..2 {
            assert_eq!(decimal(&pl, "12345.50"), "12\u{a0}345,50", "round {round}");
            assert_eq!(decimal(&pl, "12345.5"), "12\u{a0}345,5", "round {round}");
            assert_eq!(decimal(&en, "12345.5"), "12,345.5", "round {round}");
        }
        for n in 0..(DECIMALS_MAX as i64 + 40) {
            let value = rust_decimal::Decimal::new(n * 37 - 500, (n % 4) as u32);
            let mut fresh = String::new();
            pl.format_decimal(&value, &mut fresh);
            assert_eq!(decimal(&pl, &value.to_string()), fresh);
        }
        for day in 1..=28 {
            for style in [DateStyle::Short, DateStyle::Long] {
                let mut fresh = String::new();
                pl.format_date(jiff::civil::date(2026, 2, day), style, &mut fresh);
                assert_eq!(date(&pl, jiff::civil::date(2026, 2, day), style), fresh);
            }
        }
    }

    fn date(f: &Formats, d: jiff::civil::Date, style: DateStyle) -> String {
        let mut out = String::new();
        f.date(d, style, &mut out);
        out
    }

    fn decimal(f: &Formats, value: &str) -> String {
        let mut out = String::new();
        f.decimal(&dec(value), &mut out);
        out
    }

    #[test]
    fn polish_money_follows_cldr_minimum_grouping() {
        let f = pl();
        assert_eq!(money(&f, "1234.56", "PLN"), "1234,56\u{a0}zł");
        assert_eq!(money(&f, "12345.67", "PLN"), "12\u{a0}345,67\u{a0}zł");
        assert_eq!(money(&f, "999.99", "PLN"), "999,99\u{a0}zł");
        assert_eq!(money(&f, "1234567.8", "PLN"), "1\u{a0}234\u{a0}567,80\u{a0}zł");
    }

    #[test]
    fn polish_money_grouped_always() {
        let f = Formats::new("pl", Grouping::Always).unwrap();
        assert_eq!(f.grouping(), Grouping::Always);
        assert_eq!(money(&f, "1234.56", "PLN"), "1\u{a0}234,56\u{a0}zł");
        assert_eq!(money(&f, "12345.67", "PLN"), "12\u{a0}345,67\u{a0}zł");
        assert_eq!(money(&f, "999.99", "PLN"), "999,99\u{a0}zł");
        assert_eq!(money(&f, "-1234.56", "EUR"), "-1\u{a0}234,56\u{a0}€");
        assert_eq!(money(&f, "1234", "JPY"), "1\u{a0}234\u{a0}JP¥");
        // Lazily built currencies get the same grouping.
        assert_eq!(money(&f, "1234.5", "SEK"), "1\u{a0}234,50\u{a0}SEK");
    }

    #[test]
    fn english_money_uses_the_code_for_zloty() {
        for tag in ["en", "en-GB"] {
            let f = Formats::new(tag, Grouping::Cldr).unwrap();
            assert_eq!(money(&f, "1234.56", "PLN"), "PLN\u{a0}1,234.56", "{tag}");
            assert_eq!(money(&f, "-1234.56", "PLN"), "-PLN\u{a0}1,234.56", "{tag}");
            assert_eq!(money(&f, "1234.5", "EUR"), "€1,234.50", "{tag}");
            assert_eq!(money(&f, "1234.5", "GBP"), "£1,234.50", "{tag}");
            assert_eq!(money(&f, "1234.5", "CHF"), "CHF\u{a0}1,234.50", "{tag}");
        }
        let en = Formats::new("en", Grouping::Cldr).unwrap();
        assert_eq!(money(&en, "1234.5", "USD"), "$1,234.50");
        assert_eq!(money(&en, "1234.5", "JPY"), "¥1,235");
        let gb = Formats::new("en-GB", Grouping::Cldr).unwrap();
        assert_eq!(money(&gb, "1234.5", "USD"), "US$1,234.50");
        assert_eq!(money(&gb, "1234.5", "JPY"), "JP¥1,235");
        // English already groups from four digits: Always changes nothing.
        let always = Formats::new("en", Grouping::Always).unwrap();
        assert_eq!(money(&always, "1234.56", "PLN"), "PLN\u{a0}1,234.56");
    }

    #[test]
    fn polish_money_in_common_currencies() {
        let f = pl();
        assert_eq!(money(&f, "1234.5", "EUR"), "1234,50\u{a0}€");
        assert_eq!(money(&f, "1234.5", "USD"), "1234,50\u{a0}US$");
        assert_eq!(money(&f, "1234.5", "GBP"), "1234,50\u{a0}£");
        assert_eq!(money(&f, "1234.5", "CHF"), "1234,50\u{a0}CHF");
        assert_eq!(money(&f, "12345.5", "JPY"), "12\u{a0}346\u{a0}JP¥");
    }

    #[test]
    fn swiss_german() {
        let f = Formats::new("de-CH", Grouping::Cldr).unwrap();
        // CLDR's de-CH group separator is an ASCII apostrophe; its negative pattern puts the
        // minus sign after the symbol.
        assert_eq!(money(&f, "1234.5", "CHF"), "CHF\u{a0}1'234.50");
        assert_eq!(money(&f, "-1234.56", "EUR"), "€-1'234.56");
        assert_eq!(decimal(&f, "12345.5"), "12'345.5");
        let d = jiff::civil::date(2026, 11, 23);
        assert_eq!(date(&f, d, DateStyle::Long), "23. November 2026");
        assert_eq!(date(&f, d, DateStyle::Short), "23.11.26");
    }

    #[test]
    fn negative_and_zero_money() {
        let f = pl();
        assert_eq!(money(&f, "-1234.56", "PLN"), "-1234,56\u{a0}zł");
        assert_eq!(money(&f, "-12345.67", "PLN"), "-12\u{a0}345,67\u{a0}zł");
        assert_eq!(money(&f, "0", "PLN"), "0,00\u{a0}zł");
        assert_eq!(money(&f, "0.00", "PLN"), "0,00\u{a0}zł");
        assert_eq!(money(&f, "-0.00", "PLN"), "0,00\u{a0}zł");
        // Rounds to zero: no "-0,00 zł".
        assert_eq!(money(&f, "-0.001", "PLN"), "0,00\u{a0}zł");
        assert_eq!(money(&f, "-0.4", "JPY"), "0\u{a0}JP¥");
        assert_eq!(money(&f, "5", "PLN"), "5,00\u{a0}zł");
    }

    #[test]
    fn money_rounds_half_away_from_zero() {
        let f = pl();
        assert_eq!(money(&f, "0.125", "PLN"), "0,13\u{a0}zł");
        assert_eq!(money(&f, "2.675", "PLN"), "2,68\u{a0}zł");
        assert_eq!(money(&f, "2.665", "PLN"), "2,67\u{a0}zł"); // half-to-even: 2,66
        assert_eq!(money(&f, "-0.125", "PLN"), "-0,13\u{a0}zł");
        assert_eq!(money(&f, "-2.665", "PLN"), "-2,67\u{a0}zł");
        assert_eq!(money(&f, "0.005", "PLN"), "0,01\u{a0}zł");
        assert_eq!(money(&f, "0.00499999", "PLN"), "0,00\u{a0}zł");
        assert_eq!(money(&f, "9999.995", "PLN"), "10\u{a0}000,00\u{a0}zł");
    }

    #[test]
    fn yen_has_no_minor_digits() {
        let f = pl();
        assert_eq!(money(&f, "1234", "JPY"), "1234\u{a0}JP¥");
        assert_eq!(money(&f, "2.5", "JPY"), "3\u{a0}JP¥"); // half-to-even: 2
        assert_eq!(money(&f, "-2.5", "JPY"), "-3\u{a0}JP¥");
        assert_eq!(money(&f, "1.49", "JPY"), "1\u{a0}JP¥");
        let en = Formats::new("en", Grouping::Cldr).unwrap();
        assert_eq!(money(&en, "12345.67", "JPY"), "¥12,346");
    }

    #[test]
    fn huge_and_tiny_money() {
        let f = pl();
        assert_eq!(
            money(&f, "12345678901234567890.125", "PLN"),
            "12\u{a0}345\u{a0}678\u{a0}901\u{a0}234\u{a0}567\u{a0}890,13\u{a0}zł"
        );
        let max = rust_decimal::Decimal::MAX.to_string();
        assert_eq!(
            money(&f, &max, "PLN"),
            "79\u{a0}228\u{a0}162\u{a0}514\u{a0}264\u{a0}337\u{a0}593\u{a0}543\u{a0}950\u{a0}335,00\u{a0}zł"
        );
        let min = rust_decimal::Decimal::MIN.to_string();
        let en = Formats::new("en", Grouping::Cldr).unwrap();
        assert_eq!(money(&en, &min, "EUR"), "-€79,228,162,514,264,337,593,543,950,335.00");
        assert_eq!(money(&f, "0.0000000000000000000000000001", "PLN"), "0,00\u{a0}zł");
        assert_eq!(money(&f, "-0.0000000000000000000000000001", "PLN"), "0,00\u{a0}zł");
    }

    #[test]
    fn other_currencies_are_built_on_demand_and_cached() {
        let f = pl();
        assert_eq!(money(&f, "1234.5", "CZK"), "1234,50\u{a0}CZK");
        assert_eq!(money(&f, "1234.5", "CZK"), "1234,50\u{a0}CZK");
        // Minor digits as ICU4X's CLDR data has them: 3 for BHD, 0 for HUF.
        assert_eq!(money(&f, "1234.5", "BHD"), "1234,500\u{a0}BHD");
        assert_eq!(money(&f, "1234.5", "HUF"), "1235\u{a0}HUF");
        // A well-formed code CLDR does not know is shown as is, with 2 digits.
        assert_eq!(money(&f, "1234", "XYZ"), "1234,00\u{a0}XYZ");
        let en = Formats::new("en", Grouping::Cldr).unwrap();
        assert_eq!(money(&en, "1234", "XYZ"), "XYZ\u{a0}1,234.00");
        let cached = f.others.read().unwrap();
        assert_eq!(cached.len(), 4);
        assert!(cached.contains_key(b"CZK"));
    }

    #[test]
    fn invalid_currency_codes_are_errors() {
        let f = pl();
        for code in ["pln", "PL", "ZŁOTY", "", "PLNN", "P1N", " PLN", "Pln", "ŁÓD"] {
            let mut out = String::from("kept");
            let err = f.money(&dec("1"), code, &mut out).unwrap_err();
            assert_eq!(out, "kept", "{code}");
            assert!(err.0.contains(&format!("\"{code}\"")), "{err}");
            assert!(err.to_string().contains("three uppercase letters"), "{err}");
        }
    }

    #[test]
    fn the_data_provider_matches_icu4x_compiled_data() {
        // With Grouping::Cldr our provider must be a transparent wrapper of compiled data.
        for tag in ["pl", "en", "en-GB", "de-CH", "fr", "ar-EG", "hi", "pt-PT"] {
            let f = Formats::new(tag, Grouping::Cldr).unwrap();
            let locale = Locale::try_from_str(tag).unwrap();
            for code in ["PLN", "EUR", "USD", "GBP", "CHF", "JPY", "INR", "EGP", "XYZ"] {
                let currency = CurrencyType::try_from_str(code).unwrap();
                let icu = CurrencyFormatter::try_new_symbol((&locale).into(), currency, Default::default()).unwrap();
                for amount in ["1234.567", "-12345678.9", "0", "7"] {
                    let expected = icu.format_fixed_decimal(&to_fixed(&dec(amount))).to_string();
                    assert_eq!(money(&f, amount, code), expected, "{tag} {code} {amount}");
                }
            }
            let icu = DecimalFormatter::try_new((&locale).into(), Default::default()).unwrap();
            for value in ["1234.5", "-12345678.90", "0.001"] {
                let expected = icu.format(&to_fixed(&dec(value))).to_string();
                assert_eq!(decimal(&f, value), expected, "{tag} {value}");
            }
        }
    }

    #[test]
    fn decimals_keep_their_digits() {
        let f = pl();
        assert_eq!(decimal(&f, "1.5"), "1,5");
        assert_eq!(decimal(&f, "12345"), "12\u{a0}345");
        assert_eq!(decimal(&f, "1234"), "1234");
        assert_eq!(decimal(&f, "2.50"), "2,50");
        assert_eq!(decimal(&f, "-0.5"), "-0,5");
        assert_eq!(decimal(&f, "0"), "0");
        assert_eq!(decimal(&f, "0.000"), "0,000");
        assert_eq!(decimal(&f, "0.125"), "0,125");
        let always = Formats::new("pl", Grouping::Always).unwrap();
        assert_eq!(decimal(&always, "1234"), "1\u{a0}234");
        assert_eq!(decimal(&always, "123"), "123");
        let en = Formats::new("en", Grouping::Cldr).unwrap();
        assert_eq!(decimal(&en, "1.5"), "1.5");
        assert_eq!(decimal(&en, "12345"), "12,345");
        assert_eq!(decimal(&en, "2.50"), "2.50");
        assert_eq!(decimal(&en, &rust_decimal::Decimal::MIN.to_string()), "-79,228,162,514,264,337,593,543,950,335");
    }

    #[test]
    fn polish_dates() {
        let f = pl();
        let d = jiff::civil::date(2026, 11, 23);
        assert_eq!(date(&f, d, DateStyle::Short), "23.11.2026");
        assert_eq!(date(&f, d, DateStyle::Medium), "23 lis 2026");
        assert_eq!(date(&f, d, DateStyle::Long), "23 listopada 2026");
        assert_eq!(date(&f, d, DateStyle::Full), "poniedziałek, 23 listopada 2026");
        assert_eq!(date(&f, jiff::civil::date(2026, 1, 5), DateStyle::Short), "05.01.2026");
    }

    #[test]
    fn polish_long_dates_use_the_genitive() {
        let f = pl();
        let months = [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ];
        for (month, name) in (1..=12).zip(months) {
            let d = jiff::civil::date(2026, month, 1);
            assert_eq!(date(&f, d, DateStyle::Long), format!("1 {name} 2026"));
        }
    }

    #[test]
    fn english_dates() {
        let d = jiff::civil::date(2026, 11, 23);
        let gb = Formats::new("en-GB", Grouping::Cldr).unwrap();
        assert_eq!(date(&gb, d, DateStyle::Short), "23/11/2026");
        assert_eq!(date(&gb, d, DateStyle::Medium), "23 Nov 2026");
        assert_eq!(date(&gb, d, DateStyle::Long), "23 November 2026");
        assert_eq!(date(&gb, d, DateStyle::Full), "Monday, 23 November 2026");
        let us = Formats::new("en", Grouping::Cldr).unwrap();
        assert_eq!(date(&us, d, DateStyle::Short), "11/23/26");
        assert_eq!(date(&us, d, DateStyle::Medium), "Nov 23, 2026");
        assert_eq!(date(&us, d, DateStyle::Long), "November 23, 2026");
        assert_eq!(date(&us, d, DateStyle::Full), "Monday, November 23, 2026");
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let f = pl();
        let extremes = [jiff::civil::Date::MIN, jiff::civil::Date::MAX, jiff::civil::date(0, 2, 29)];
        for d in extremes {
            for style in DateStyle::NAMES.map(|n| DateStyle::parse(n).unwrap()) {
                assert!(!date(&f, d, style).is_empty());
            }
        }
        assert_eq!(date(&f, jiff::civil::Date::MAX, DateStyle::Long), "31 grudnia 9999");
        assert_eq!(date(&f, jiff::civil::Date::MIN, DateStyle::Long), "1 stycznia 10000 p.n.e.");
    }

    #[test]
    fn date_style_names_round_trip() {
        for name in DateStyle::NAMES {
            assert_eq!(DateStyle::parse(name).map(DateStyle::name), Some(name));
        }
        assert_eq!(DateStyle::parse("Long"), None);
        assert_eq!(DateStyle::parse(""), None);
    }

    #[test]
    fn locale_tags() {
        assert_eq!(pl().locale(), "pl");
        assert_eq!(Formats::new("en-gb", Grouping::Cldr).unwrap().locale(), "en-GB");
        for tag in ["", "not a tag", "pl_PL", "en-", "-pl"] {
            let err = Formats::new(tag, Grouping::Cldr).unwrap_err();
            assert!(err.0.starts_with(&format!("invalid locale tag \"{tag}\"")), "{err}");
            assert!(err.0.contains("BCP 47"), "{err}");
        }
        let err = Formats::new("pl_PL", Grouping::Cldr).unwrap_err();
        assert!(err.0.contains("not \"_\""), "{err}");
    }

    #[test]
    fn shared_between_threads() {
        let f = pl();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for code in ["SEK", "NOK", "DKK", "PLN"] {
                        let mut out = String::new();
                        f.money(&dec("1.5"), code, &mut out).unwrap();
                        assert!(out.starts_with("1,50\u{a0}"), "{out}");
                    }
                });
            }
        });
        assert_eq!(f.others.read().unwrap().len(), 3);
    }
}
