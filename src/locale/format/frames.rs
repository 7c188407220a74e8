//! Money's printed forms, worked out once per currency and locale from what ICU4X prints.
//!
//! ICU4X formats an amount in about 3,000 instructions (a fixed decimal, the grouping, the
//! currency pattern through `fmt`). What it prints for one currency in one locale depends only on
//! the rounded amount's sign, how many integer digits it has (the grouping) and the digits
//! themselves: `-12 345,67 zł` is the negative frame of five integer digits with `1234567` in
//! its slots. So a frame is learned for each sign and integer length the first time an amount
//! needs it, from what ICU4X prints for two probes of that shape (every digit 1, every digit 2:
//! the slots are where they differ), and kept only if it also gives ICU4X's form of a third
//! probe with other digits. An amount is then rounded by rust_decimal (half away from zero, as
//! ICU4X is asked to) and its digits are written into the frame. The tests hold every printed
//! form to ICU4X's over generated amounts in many locales and currencies.

use std::sync::OnceLock;

use fixed_decimal::RoundingIncrement;
use rust_decimal::{Decimal, RoundingStrategy};

use super::Money;

/// The most digits (integer and fraction) a probe, and so an amount written from a frame, has:
/// 28 twos or nines still fit rust_decimal's 96-bit mantissa. Longer amounts go through ICU4X.
const MAX_DIGITS: usize = 28;

/// A currency's printed forms in one locale.
pub(super) struct Frames {
    /// Fraction digits every amount shows (2 for PLN, 0 for JPY).
    fraction: u32,
    /// The locale's digits, zero to nine.
    digits: [char; 10],
    /// By sign (positive, negative) and integer digit count less one, each frame once learned;
    /// `None` inside when ICU4X's forms of that shape did not fit one.
    frames: [[OnceLock<Option<Frame>>; MAX_DIGITS]; 2],
}

/// One printed shape: literal text and runs of digit slots, in order.
struct Frame {
    parts: Vec<Part>,
    /// About how many bytes it prints (reserved at once).
    bytes: usize,
}

enum Part {
    Text(Box<str>),
    /// This many of the amount's digits, the next ones from the left.
    Digits(usize),
}

impl Frames {
    /// The frames of `money`, or `None` when its forms cannot come from frames: a rounding
    /// increment other than 1 (CHF cash rounding) or digits that the probes do not tell apart.
    pub(super) fn learn(money: &Money) -> Option<Frames> {
        if money.increment != RoundingIncrement::MultiplesOf1 || money.position > 0 {
            return None;
        }
        let fraction = u32::try_from(-i32::from(money.position)).ok()?;
        let int_digits = 10;
        if int_digits + fraction as usize > MAX_DIGITS {
            return None;
        }
        // The digits: ICU4X's form of 1234567890 (fraction zeros) read at a frame's slots.
        let frame = Frame::probed(money, false, int_digits, fraction)?;
        let mut digits = ['0'; 10];
        let shown = icu(money, probe(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0], fraction as usize, false, |_| 0));
        let mut chars = shown.chars();
        let mut slot = 0;
        for part in &frame.parts {
            match part {
                Part::Text(text) => {
                    for expected in text.chars() {
                        (chars.next()? == expected).then_some(())?;
                    }
                }
                Part::Digits(n) => {
                    for _ in 0..*n {
                        let c = chars.next()?;
                        let value = if slot < int_digits { (slot + 1) % 10 } else { 0 };
                        digits[value] = c;
                        slot += 1;
                    }
                }
            }
        }
        let frames =
            Frames { fraction, digits, frames: std::array::from_fn(|_| std::array::from_fn(|_| OnceLock::new())) };
        let checked = frames.checked(money, frame, false, int_digits);
        frames.frames[0][int_digits - 1].set(checked).ok()?;
        Some(frames)
    }

    /// Appends `amount` as ICU4X prints it with `money`, if a frame fits it; `false` (nothing
    /// written) when none does.
    pub(super) fn write(&self, amount: &Decimal, money: &Money, out: &mut String) -> bool {
        let rounded = if amount.scale() > self.fraction {
            amount.round_dp_with_strategy(self.fraction, RoundingStrategy::MidpointAwayFromZero)
        } else {
            *amount
        };
        let mantissa = rounded.mantissa();
        // A zero never carries the minus sign (see `Money::write_icu`).
        let negative = mantissa < 0;
        let mut buffer = [0u8; 40];
        let written = decimal_digits(mantissa.unsigned_abs(), &mut buffer);
        let scale = rounded.scale() as usize;
        let fraction = self.fraction as usize;
        // The digits left of the scale's, at least one ("0,50").
        let int_digits = written.len().saturating_sub(scale).max(1);
        if int_digits + fraction > MAX_DIGITS {
            return false;
        }
        let Some(Some(frame)) = self.frames[usize::from(negative)]
            .get(int_digits - 1)
            .map(|cell| cell.get_or_init(|| self.learn_frame(money, negative, int_digits)))
        else {
            return false;
        };
        // The amount's digits: leading zeros up to one integer digit, then the mantissa's,
        // then zeros to the currency's fraction (within MAX_DIGITS, checked above).
        let mut digits = [0u8; MAX_DIGITS];
        let leading = int_digits + scale - written.len();
        if let Some(place) = digits.get_mut(leading..leading + written.len()) {
            place.copy_from_slice(written);
        }
        let mut next = digits.iter();
        out.reserve(frame.bytes);
        for part in &frame.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Digits(n) => {
                    for digit in next.by_ref().take(*n) {
                        out.push(self.digits[usize::from(*digit)]);
                    }
                }
            }
        }
        true
    }

    fn learn_frame(&self, money: &Money, negative: bool, int_digits: usize) -> Option<Frame> {
        let frame = Frame::probed(money, negative, int_digits, self.fraction)?;
        self.checked(money, frame, negative, int_digits)
    }

    /// `frame` if it gives ICU4X's form of a probe with other digits in every slot.
    fn checked(&self, money: &Money, frame: Frame, negative: bool, int_digits: usize) -> Option<Frame> {
        let fraction = self.fraction as usize;
        let pattern = [9, 8, 7, 6, 5, 4, 3, 0, 2, 1];
        let int: Vec<u8> = (0..int_digits).map(|i| pattern[i % 10]).collect();
        let amount = probe(&int, fraction, negative, |i| pattern[(i + 3) % 10]);
        let mut ours = String::new();
        let mut digits = int.iter().copied().chain((0..fraction).map(|i| pattern[(i + 3) % 10]));
        for part in &frame.parts {
            match part {
                Part::Text(text) => ours.push_str(text),
                Part::Digits(n) => {
                    for digit in digits.by_ref().take(*n) {
                        ours.push(self.digits[usize::from(digit)]);
                    }
                }
            }
        }
        (ours == icu(money, amount)).then_some(frame)
    }
}

impl Frame {
    /// The frame of ICU4X's forms of two amounts of `int_digits` integer and `fraction`
    /// fraction digits, every digit 1 in one and 2 in the other: text where they agree, a slot
    /// where they differ. `None` unless the forms have the same length and exactly one slot
    /// for each digit.
    fn probed(money: &Money, negative: bool, int_digits: usize, fraction: u32) -> Option<Frame> {
        let fraction = fraction as usize;
        let ones = icu(money, probe(&vec![1; int_digits], fraction, negative, |_| 1));
        let twos = icu(money, probe(&vec![2; int_digits], fraction, negative, |_| 2));
        if ones.chars().count() != twos.chars().count() {
            return None;
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut slots = 0;
        for (a, b) in ones.chars().zip(twos.chars()) {
            if a == b {
                text.push(a);
                continue;
            }
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text).into_boxed_str()));
            }
            match parts.last_mut() {
                Some(Part::Digits(n)) => *n += 1,
                _ => parts.push(Part::Digits(1)),
            }
            slots += 1;
        }
        if !text.is_empty() {
            parts.push(Part::Text(text.into_boxed_str()));
        }
        (slots == int_digits + fraction).then_some(Frame { parts, bytes: twos.len() })
    }
}

/// The amount with integer digits `int` and `fraction` fraction digits (`frac(i)` the i-th),
/// negative if asked: a probe for ICU4X. Probes have at most [`MAX_DIGITS`] digits, so they fit.
fn probe(int: &[u8], fraction: usize, negative: bool, frac: impl Fn(usize) -> u8) -> Decimal {
    let digits = int.iter().copied().chain((0..fraction).map(frac));
    let mantissa = digits.fold(0i128, |m, d| m * 10 + i128::from(d));
    let mantissa = if negative { -mantissa } else { mantissa };
    // Within MAX_DIGITS digits and a scale below 28: from_i128_with_scale cannot fail.
    Decimal::try_from_i128_with_scale(mantissa, fraction as u32).unwrap_or_default()
}

/// What ICU4X prints for `amount` with `money` (the reference path).
fn icu(money: &Money, amount: Decimal) -> String {
    let mut out = String::new();
    money.write_icu(&amount, &mut out);
    out
}

/// `value`'s decimal digits (0–9, most significant first) at the end of `buffer`; "0" for zero.
fn decimal_digits(mut value: u128, buffer: &mut [u8; 40]) -> &[u8] {
    let mut at = buffer.len();
    // u64 division is much cheaper than u128's, and amounts fit it.
    if let Ok(mut small) = u64::try_from(value) {
        loop {
            at -= 1;
            buffer[at] = (small % 10) as u8;
            small /= 10;
            if small == 0 {
                break;
            }
        }
        return &buffer[at..];
    }
    while value > 0 {
        at -= 1;
        buffer[at] = (value % 10) as u8;
        value /= 10;
    }
    &buffer[at..]
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::{Formats, Grouping};
    use super::*;

    #[test]
    fn digits_of_zero_and_the_largest_mantissa() {
        let mut buffer = [0; 40];
        assert_eq!(decimal_digits(0, &mut buffer), &[0]);
        assert_eq!(decimal_digits(907, &mut buffer), &[9, 0, 7]);
        let max = Decimal::MAX.mantissa().unsigned_abs();
        let text: String = decimal_digits(max, &mut buffer).iter().map(|d| char::from(b'0' + d)).collect();
        assert_eq!(text, max.to_string());
    }

    /// Locales of different shapes: minimum grouping (pl), symbol first (en), a sign after the
    /// symbol and an apostrophe (de-CH), Arabic digits and marks (ar-EG), Indian grouping (hi),
    /// a narrow no-break space (fr), no fraction digits for the yen (ja).
    const LOCALES: [&str; 9] = ["pl", "en", "en-GB", "de-CH", "ar-EG", "hi", "fr", "pt-PT", "ja"];
    /// The common currencies, and others: no minor digits (JPY, HUF), three (BHD), one CLDR does
    /// not know (XYZ), and CHF, whose cash rounding is not used here.
    const CURRENCIES: [&str; 10] = ["PLN", "EUR", "USD", "GBP", "CHF", "JPY", "HUF", "BHD", "CZK", "XYZ"];

    /// Every currency's formatter in every locale, both groupings: built once for all cases.
    fn moneys() -> &'static [(String, Vec<Money>)] {
        static MONEYS: OnceLock<Vec<(String, Vec<Money>)>> = OnceLock::new();
        MONEYS.get_or_init(|| {
            let mut all = Vec::new();
            for tag in LOCALES {
                for grouping in [Grouping::Cldr, Grouping::Always] {
                    let f = Formats::new(tag, grouping).unwrap();
                    let moneys =
                        CURRENCIES.iter().map(|c| f.build_money(super::super::currency_code(c).unwrap()).unwrap());
                    all.push((format!("{tag} {grouping:?}"), moneys.collect()));
                }
            }
            all
        })
    }

    /// Amounts as records carry them and beyond: cents, whole units, many decimals, the largest
    /// mantissas, zero and values that round to zero, either sign.
    fn amount() -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![
            0i128..1_000,
            0i128..100_000_000,
            0i128..i128::from(i64::MAX),
            0i128..=Decimal::MAX.mantissa(),
            (0u32..29).prop_map(|n| 10i128.pow(n) - 1),
            (0u32..29).prop_map(|n| 5 * 10i128.pow(n)),
        ];
        (mantissa, 0u32..=28, any::<bool>()).prop_map(|(m, scale, negative)| {
            let m = if negative { -m } else { m };
            Decimal::try_from_i128_with_scale(m, scale).unwrap()
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// The frames print what ICU4X prints, in every locale, grouping and currency.
        #[test]
        fn frames_print_what_icu4x_prints(amount in amount()) {
            for (name, moneys) in moneys() {
                for money in moneys {
                    let code = String::from_utf8_lossy(&money.code);
                    let mut ours = String::new();
                    let framed = money.frames.as_ref().is_some_and(|f| f.write(&amount, money, &mut ours));
                    // Every currency here has frames, and every amount below 10^20 fits one.
                    proptest::prop_assert!(framed || amount.abs() >= Decimal::from(10u128.pow(20)), "{} {} {}", name, code, amount);
                    if framed {
                        proptest::prop_assert_eq!(&ours, &icu(money, amount), "{} {} {}", name, code, amount);
                    }
                    let mut written = String::new();
                    money.write(&amount, &mut written);
                    proptest::prop_assert_eq!(&written, &icu(money, amount), "{} {} {}", name, code, amount);
                }
            }
        }
    }

    #[test]
    fn common_currencies_have_frames_and_cash_rounding_has_none() {
        for tag in ["pl", "en", "en-GB", "de-CH", "ar-EG", "hi"] {
            let f = Formats::new(tag, Grouping::Cldr).unwrap();
            for money in &f.common {
                assert!(money.frames.is_some(), "{tag} {}", String::from_utf8_lossy(&money.code));
            }
        }
    }

    /// Amounts the generated ones miss (a negative zero, halves at the last digit and the
    /// largest mantissas) in locales and currencies the standard could also use: other digits
    /// and marks (Persian, Bengali, Burmese, Hebrew), four minor digits (CLF, UYW), three
    /// (KWD), none (ISK) and a code CLDR names without a symbol (XXX).
    #[test]
    fn edge_amounts_in_more_locales_print_what_icu4x_prints() {
        let locales = ["de", "fr-CH", "cs", "uk", "ar", "fa", "bn", "my", "he", "th", "es", "sv"];
        let currencies = ["EUR", "CHF", "JPY", "BHD", "KWD", "ISK", "CLF", "UYW", "IRR", "XXX"];
        let amounts = [
            "0",
            "-0",
            "-0.00",
            "0.005",
            "-0.005",
            "-0.0049",
            "999.995",
            "-999.995",
            "2.5",
            "-2.5",
            "0.00005",
            "1234567.891",
            "99999999999999999999.995",
            "-123456789012345678901.5",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
        ];
        for tag in locales {
            let f = Formats::new(tag, Grouping::Cldr).unwrap();
            for c in currencies {
                let money = f.build_money(super::super::currency_code(c).unwrap()).unwrap();
                assert!(money.frames.is_some(), "{tag} {c}");
                for a in amounts {
                    let amount: Decimal = a.parse().unwrap();
                    let mut written = String::new();
                    money.write(&amount, &mut written);
                    assert_eq!(written, icu(&money, amount), "{tag} {c} {a}");
                }
            }
        }
    }
}
