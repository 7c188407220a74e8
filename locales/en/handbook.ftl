# The handbook's own words (`missive rules`): headings, labels and explanations, in English.
#
# Not letter messages: templates never see this file, and `missive check` does not count its
# messages as unused or untranslated. Reword any message here; one you delete comes back from
# missive's built-in English copy (never from another language). In a message, `code` prints
# as code and **words** stand out; values (names, phrases) are printed as written.

## The title page

kicker = The correspondence standard of { $company }
owner = Owner
review-by = Review by
languages = Languages
language-default = { $language } ({ $tag }, default)
language-tag-default = { $tag } (default)
language-other = { $language } ({ $tag })
rules = Rules
rules-summary = { $rules } in { $packs ->
    [one] 1 pack
   *[other] { $packs } packs
}, and `{ $review }` built in
intro = This handbook is the standard every letter of { $company } keeps, whoever writes it and whichever channel it goes by; it is printed from the standard's own files, so it says exactly what missive checks. Rules come in packs, each with an owner who answers for it and a date by which it is reviewed. Within a pack, **{ group-always }** lists what a letter must contain, **{ group-never }** lists phrasing that does not fit the brand with the wording to use instead, and **{ group-keep }** sets limits of tone and length. Each rule shows its id (findings name it), its severity — error: the letter is not sent until it is fixed; warning: fix it; info: advice — and the letters it covers. Matching ignores capitals and punctuation, and a phrase ending in * covers every word that begins that way.
contents = Contents
rule-count = { $count ->
    [one] 1 rule
   *[other] { $count } rules
}
footer = Printed by missive from the files of { $name }. The rule files are the standard; this page only shows them.

## A pack's groups of rules

group-always = Always write
group-always-blurb = What every letter a rule covers must contain.
group-never = Never write
group-never-blurb = Phrasing that never fits the brand, and the standard's wording to use instead.
group-keep = Keep it
group-keep-blurb = Limits of tone and length.

## A rule

severity-error = error
severity-warning = warning
severity-info = info
letters = Letters
letters-all = all letters
letters-none-yet = (no letter of this kind yet)
why = Why
never-write = Never write
write-instead = Write instead
no-set-wording = no set wording: say what we will do and by when
as-above = as above

## Where in a letter a rule looks

region-whole = anywhere in the letter
region-opening = in the opening (first { $n } paragraphs)
region-closing = in the closing (last { $n } paragraphs)
region-subject = in the subject line

## What each kind of rule asks, in words

require-lead = { $where }, write one of:
forbid-within = Checked { $where } only.
field-lead = The letter shows each of these values, as printed in its language:
structure-salutation = Open with one of these salutations, before anything else is said:
structure-closing = End with one of these closing formulas, followed by the signature of { $company }:
deadline = The date `{ $date }` is at most { $days } { $count ->
    [business] { $days ->
        [one] business day
       *[other] business days
    }
   *[calendar] { $days ->
        [one] calendar day
       *[other] calendar days
    }
} after `{ $from }`, and the letter states it.
deadline-business = Business days are Monday to Friday, without Polish public holidays.
promise-lead = { $fact ->
    [attachment] A promised attachment: where the letter{ $where } says one of these, it carries an attachment:
   *[date] A promised date: where the letter{ $where } says one of these, it carries a date after the phrase:
}
promise-instead = Write instead ({ $tag }): { $suggestion }
limit-not-counted = Not counted:
# A counted measure's noun, for { $n } of it.
metric-exclamation_marks = { $n ->
    [one] exclamation mark
   *[other] exclamation marks
}
metric-caps_words = { $n ->
    [one] word in capitals
   *[other] words in capitals
}
metric-sentences = { $n ->
    [one] sentence
   *[other] sentences
}
# { $place } is "per letter", "in a letter" or a region, with its space before it, or nothing.
limit-per-letter = per letter
limit-in-a-letter = in a letter
limit-none = No { $noun }{ $place }.
limit-between = Between { $min } and { $max } { $noun }{ $place }.
limit-at-least = At least { $min } { $noun }{ $place }.
limit-at-most = At most { $max } { $noun }{ $place }.
limit-any = Any number of { $noun }{ $place }.
# The longest sentence or paragraph.
limit-each = { $metric ->
    [sentence_words] Sentences
   *[paragraph_words] Paragraphs
} of { $bound }{ $place }.
words-between = { $min } to { $max } words
words-at-least = at least { $min } { $min ->
    [one] word
   *[other] words
}
words-at-most = at most { $max } { $max ->
    [one] word
   *[other] words
}
words-any = any number of words
limit-readability = A fog index (FOG-PL) of { $bound }{ $place }; about 9–12 reads easily.
bound-between = between { $min } and { $max }
bound-at-least = at least { $min }
bound-at-most = at most { $max }
bound-any = any

## Keeping it current: the built-in review rule and the calendar

reviews = Keeping it current
review-title = Every item is reviewed by its date.
then = then
letters-reviewed = all letters and packs
review-rule = The standard, every rule pack and every letter has an owner and a review date. From the day after that date, missive reports a warning; more than { $grace } { $grace ->
    [one] day
   *[other] days
} after it, an error — until the owner reviews the item and moves the date forward.
review-calendar = Review calendar
calendar-what = What
calendar-standard = The standard (missive.toml)
calendar-pack = Rule pack: { $name }
calendar-letter = Letter: { $title }

## The letters

letters-covered = Letters covered
no-letters = The standard has no letters yet.
letter = Letter
letter-id = Letter (id)
id = Id
kind = Kind
channels = Channels

## How the rules work: each kind of rule

how = How the rules work
what-it-checks = What it checks
why-it-matters = Why it matters
example = Example

kind-require-what = One of the listed phrases appears in the given part of the letter (the whole letter, the opening, the closing or the subject), in the letter's language. A phrase ending in * matches every inflected form (dziękuj* matches dziękujemy, dziękuję).
kind-require-why = The standard's fixed elements — a thank-you on every invoice, the case number in a complaint reply — are what customers recognise as the company's voice. A letter without them is off-standard even when every sentence is correct.
kind-require-instead = Add one of the listed phrases where the rule looks for it, usually through the shared partial that holds it.

kind-forbid-what = None of the listed phrases appears in the letter. `substitute` is the same check with a required suggestion: the brand's wording for the same thing.
kind-forbid-why = Customers remember the sentence that blamed the computer, a superior or the procedure, or that blamed them. Such phrases must never reach a letter, whoever typed them.
kind-forbid-instead = Rewrite the sentence in the brand's voice: say what the company will do and by when. The rule's suggestion shows the standard's wording.

kind-limit-what = A measure of the letter stays within `max` (and/or `min`): exclamation_marks, caps_words (words of four or more capital letters, `ignore` lists acronyms), sentence_words (the longest sentence), sentences, paragraph_words (the longest paragraph), readability (FOG-PL / Gunning fog: 0.4 × (words per sentence + 100 × share of long words), a long word having 4+ syllables in Polish, 3+ in English; about 9–12 reads easily).
kind-limit-why = Shouting (!!!, CAPITALS) and walls of text read as anger or indifference; the standard sets a calm, clear tone that every agent and template keeps.
kind-limit-instead = Split long sentences, drop exclamation marks and capitals; say it once, plainly.

kind-field-what = The value of each listed field appears in the letter as the letter prints it: a name as given, money and dates in the letter's language (a date in its long or short form). A field the record leaves out is not checked.
kind-field-why = A letter addresses the customer by name, and a complaint reply names the case and the dates it promises; a template that drops them reads like a form letter and leaves the customer guessing.
kind-field-instead = Print the field in the template (or pass it to the message that should mention it).

kind-structure-what = A salutation from the list stands in the opening (the first three paragraphs: address block, place and date, salutation) before anything else is said; a closing formula from the list stands in the last paragraph, and the sender's company signs below it.
kind-structure-why = Every letter of the company has the same frame; a reply that starts mid-sentence or ends without a closing and a signature looks unfinished and unofficial.
kind-structure-instead = Build letters on the shared partials: the salutation message first, partials/signature.tera last.

kind-deadline-what = The date field `date` lies at most `max_days` after the date field `from`, counted in calendar days or in business days (Monday to Friday without Polish public holidays), and the letter states that date.
kind-deadline-why = Time is part of the promise. Polish consumer law gives a trader 14 days to answer a complaint (else it is deemed accepted); financial institutions have 30 days, up to 60 in complex cases with the delay explained. A reply that promises a later date breaks the law and the customer's trust.
kind-deadline-instead = Promise an earlier date, or for a complex case say why more time is needed and by when the answer will come.

kind-promise-what = Where the letter says one of the listed phrases, it carries what the phrase promises. `promises = "attachment"`: the email carries at least one file (the record's `attachments`, or the letter's own PDF when the template says `attach_pdf = true`). `promises = "date"`: a date follows the phrase within the next 8 words of its paragraph, written as the letter's language writes dates (`7 grudnia 2026`, `December 7, 2026`, `7 gru 2026`) or in digits (`07.12.2026`, `7/12/2026`, `2026-12-07`).
kind-promise-why = A letter that says "please find attached" and attaches nothing, or asks for an answer "by" and names no day, sends the customer looking for what is not there, and brings a call or a second letter. A customer takes a letter at its word.
kind-promise-instead = Carry what the letter promises (attach the file; print the date right after the phrase), or reword the sentence so that it promises only what the letter carries.

kind-review-what = Built in, for every standard: the standard (missive.toml), each rule pack and each template carries an owner and a `review_by` date. Past that date it is a warning; past the grace period set in missive.toml ([rules] review_grace_days, 30 by default) it is an error.
kind-review-why = Standards that nobody reviews drift away from practice until every branch has its own unofficial variant, and then there is no standard.
kind-review-instead = Review the item with its owner, then move `review_by` forward.

## One rule explained (`missive rules <id>`)

rule-pack = Pack
rule-kind = Kind
rule-severity = Severity
rule-where = Where
rule-templates = Templates
rule-templates-none = none yet
rule-declared = Declared in
rule-suppress = Suppress it in a template, with the reason
rule-reason = the reason
rule-suppress-review = It cannot be suppressed: review the item with its owner and move `review_by` forward.
rule-handbook = Handbook
rule-handbook-none = not published: set [standard] handbook_url in missive.toml to link each rule
