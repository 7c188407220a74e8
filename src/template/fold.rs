//! Folding `{{ t(id="…") }}` into the text of one language at load.
//!
//! A call of `t()` with nothing but a literal message id prints the same text in every letter
//! of a language: a column header, a closing. Through Tera it still costs a call each time (its
//! argument map, the function, the output): about 2,500 instructions, 4% of an invoice with
//! five such calls. So each language gets its own copy of the templates in which those calls
//! are replaced by the message's text, and letters render from it.
//!
//! The copy prints exactly what the original prints: only a whole `{{ t(id="…") }}` tag in
//! template text is replaced, never one inside a comment, a `{% raw %}` block or another tag,
//! nor one with whitespace control (`{{-`, `-}}`); only by a message that takes no arguments;
//! and only when the text cannot start a tag itself (no `{`). Errors are not reported from the
//! copy, whose lines may have moved, but from the original (see `Engine::render`).

/// `source` with every foldable `t()` call replaced by `fixed(id)`'s text, or `None` when
/// nothing in it can be folded.
pub fn fold<'f>(source: &str, fixed: impl Fn(&str) -> Option<&'f str>) -> Option<String> {
    rewrite(source, |kind, content| {
        if kind != b'}' {
            return None;
        }
        if let Some(id) = message_id(content) {
            let text = fixed(id)?;
            return (!text.contains('{')).then(|| text.to_string());
        }
        // A message that takes no arguments, called with some: its text whenever every
        // argument is a string (which `t()` always takes); else the call, which then fails or
        // prints as it does in the templates as written.
        let (id, paths) = message_call(content)?;
        let text = fixed(id)?;
        if text.contains('{') {
            return None;
        }
        let guard: Vec<String> = paths.iter().map(|path| format!("{path} is string")).collect();
        Some(format!("{{% if {} %}}{text}{{% else %}}{{{{{content}}}}}{{% endif %}}", guard.join(" and ")))
    })
}

/// The id and argument values of an expression tag's content that is exactly
/// `t(id="…", name=path, …)` with at least one argument besides the id, every one a plain
/// variable path (`customer.gender`; no filter, literal or expression).
fn message_call(content: &str) -> Option<(&str, Vec<&str>)> {
    if content.starts_with('-') || content.ends_with('-') {
        return None;
    }
    let inner = content.trim().strip_prefix('t')?.trim_start().strip_prefix('(')?.trim_end().strip_suffix(')')?;
    let mut id = None;
    let mut paths = Vec::new();
    for argument in inner.split(',') {
        let (key, value) = argument.split_once('=')?;
        let (key, value) = (key.trim(), value.trim());
        if key == "id" {
            let literal = value.strip_prefix('"')?.strip_suffix('"')?;
            if literal.is_empty() || literal.contains(['"', '\\']) || id.is_some() {
                return None;
            }
            id = Some(literal);
        } else {
            let ident = |s: &str| {
                s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            if !ident(key) || !value.split('.').all(ident) {
                return None;
            }
            paths.push(value);
        }
    }
    (!paths.is_empty()).then_some((id?, paths))
}

/// `source` with every `{% include "…" %}` of a partial that [`inlinable`] accepts replaced by
/// the partial's text (its own includes inlined first, at most [`MAX_DEPTH`] deep), or `None`
/// when no include is replaced. `partial(name)` gives a partial's text by the name templates
/// use for it.
///
/// An include costs Tera a template lookup, a new state and, for every variable the partial
/// reads, a lookup that starts in the partial's state and goes on in the includer's. The text in
/// place reads the same variables in the same order of scopes (loops, then `set` variables, then
/// the context) and escapes the same way, as long as the partial sets no variable of its own
/// (those would stay set after it) and trims no whitespace (which would reach into the
/// includer's text): only such partials are inlined, and only by a whole include tag without
/// whitespace control or `ignore missing`.
///
/// A partial that sets variables is inlined only where it runs once and nothing else can read
/// what it sets: `named_elsewhere(variable, partial)` says whether any template or partial other
/// than that partial names the variable (a partial included after it would otherwise read its
/// value instead of the context's, the letter's own text too).
pub fn inline<'p>(
    source: &str,
    partial: &impl Fn(&str) -> Option<&'p str>,
    named_elsewhere: &impl Fn(&str, &str) -> bool,
) -> Option<String> {
    inline_at(source, partial, named_elsewhere, 0)
}

/// How deep includes are inlined (a partial including itself is Tera's error to report).
const MAX_DEPTH: usize = 8;

fn inline_at<'p>(
    source: &str,
    partial: &impl Fn(&str) -> Option<&'p str>,
    named_elsewhere: &impl Fn(&str, &str) -> bool,
    depth: usize,
) -> Option<String> {
    if depth >= MAX_DEPTH {
        return None;
    }
    let simple = only_allowed(source, &ALLOWED_WITH_SET);
    let mut level = 0usize;
    rewrite(source, |kind, content| {
        if kind != b'%' {
            return None;
        }
        let word = statement(content);
        match word {
            "if" | "for" => level += 1,
            "endif" | "endfor" => level = level.saturating_sub(1),
            _ => {}
        }
        let name = included(content)?;
        let text = partial(name)?;
        let sets = inlinable(text)?;
        // A partial that sets variables is inlined only into a letter's own text (not into
        // another partial), by its one include there, outside any `if` or `for` (so it runs at
        // most once), and only if no other text names what it sets (so nothing but the
        // partial can read them, and nothing of the letter's is shadowed).
        if !sets.is_empty() {
            // Once: its name nowhere else in the text (not in another include, however quoted),
            // and no other include reaching it (its second run would read what the first set).
            let once = source.matches(name).count() == 1 && !reached_again(source, name, partial);
            let unused =
                !source.contains(DUMP) && sets.iter().all(|set| !has_word(source, set) && !named_elsewhere(set, name));
            if depth > 0 || level > 0 || !simple || !once || !unused {
                return None;
            }
        }
        Some(inline_at(text, partial, named_elsewhere, depth + 1).unwrap_or_else(|| text.to_string()))
    })
}

/// Whether an include in `source` other than of `name` reaches the partial `name` through the
/// partials it includes (any include it cannot follow is taken to reach it).
fn reached_again<'p>(source: &str, name: &str, partial: &impl Fn(&str) -> Option<&'p str>) -> bool {
    fn reaches<'p>(text: &str, name: &str, partial: &impl Fn(&str) -> Option<&'p str>, depth: usize) -> bool {
        let mut found = false;
        walk(text, |_, _, kind, content| {
            if found || kind != b'%' || statement(content) != "include" {
                return;
            }
            found = match any_included(content) {
                Some(other) if other == name => depth > 0,
                Some(other) => {
                    depth >= MAX_DEPTH || partial(other).is_none_or(|t| reaches(t, name, partial, depth + 1))
                }
                None => true,
            };
        });
        found
    }
    reaches(source, name, partial, 0)
}

/// The name a `{% include … %}` tag's content names, in any of Tera's quotes; `None` if it
/// cannot be read plainly (an escape in it).
fn any_included(content: &str) -> Option<&str> {
    let rest = content.trim_matches('-').trim().strip_prefix("include")?.trim_start();
    let quote = rest.chars().next().filter(|c| ['"', '\'', '`'].contains(c))?;
    let (name, _) = rest.get(1..)?.split_once(quote)?;
    (!name.contains('\\')).then_some(name)
}

/// The variable that prints Tera's whole context, set variables included: a partial that
/// names it is not inlined, nor one that sets variables into a text that names it.
pub const DUMP: &str = "__tera_context";

/// The statements a partial may hold to be inlined, and that a letter may hold for one that
/// sets variables to be inlined into it: `set` is allowed only as [`inlinable`] says.
const ALLOWED: [&str; 7] = ["if", "elif", "else", "endif", "for", "endfor", "include"];
const ALLOWED_WITH_SET: [&str; 8] = ["if", "elif", "else", "endif", "for", "endfor", "include", "set"];

/// The first word of a `{% … %}` tag's content (`if`, `endfor`, `set`).
fn statement(content: &str) -> &str {
    let content = content.trim_matches('-').trim_start();
    content.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("")
}

/// Whether every statement of `text` is one of `allowed` (and no tag is left open).
fn only_allowed(text: &str, allowed: &[&str]) -> bool {
    let mut ok = true;
    let complete = walk(text, |_, _, kind, content| {
        if kind == b'%' {
            ok &= allowed.contains(&statement(content));
        }
    });
    ok && complete
}

/// Whether `word` occurs in `text` as a whole identifier (not inside a longer one).
pub fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    text.match_indices(word).any(|(at, _)| {
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(at + word.len()..).and_then(|t| t.chars().next());
        !ident(before) && !ident(after)
    })
}

/// The name in a `{% … %}` tag's content that is exactly `include "…"` (no whitespace control).
fn included(content: &str) -> Option<&str> {
    if content.starts_with('-') || content.ends_with('-') {
        return None;
    }
    let rest = content.trim().strip_prefix("include")?;
    let rest = rest.strip_prefix(|c: char| c.is_ascii_whitespace())?.trim_start().strip_prefix('"')?;
    let (name, rest) = rest.split_once('"')?;
    (!name.is_empty() && !name.contains('\\') && rest.trim().is_empty()).then_some(name)
}

/// A tag's content with its string literals (quoted as Tera quotes them) made empty.
fn outside_strings(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, '"' | '\'' | '`') {
            while let Some(inner) = chars.next() {
                match inner {
                    '\\' => {
                        chars.next();
                    }
                    _ if inner == c => {
                        out.push(c);
                        break;
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// The variables a partial sets, if it can stand in place of its include: no whitespace
/// control anywhere, no statement but `if`, `elif`, `else`, `endif`, `for`, `endfor`, `include`
/// and `{% set name = … %}` (no `set_global`, block `set`, `break`, `continue`, blocks, macros
/// or filter sections), no dump of the context; `None` if it cannot. Raw blocks and comments are left as they are.
fn inlinable(text: &str) -> Option<Vec<String>> {
    if ["{%-", "-%}", "{{-", "-}}", "{#-", "-#}", DUMP].iter().any(|mark| text.contains(mark)) {
        return None;
    }
    let mut ok = true;
    let mut sets = Vec::new();
    // Tera reads `loop.index` as the loop's only inside the body of a `for` of the same text
    // (not its `else`): in a partial outside its own loops it is an undefined variable, in
    // place inside the includer's loop it would not be. The blocks open, each `true` while in
    // a loop's body.
    let mut blocks: Vec<bool> = Vec::new();
    let complete = walk(text, |_, _, kind, content| {
        if !blocks.contains(&true) && has_word(&outside_strings(content), "loop") {
            ok = false;
        }
        if kind != b'%' {
            return;
        }
        let word = statement(content);
        match word {
            "for" => blocks.push(true),
            "if" => blocks.push(false),
            "else" => {
                if let Some(top) = blocks.last_mut() {
                    *top = false;
                }
            }
            "endfor" | "endif" => {
                blocks.pop();
            }
            _ => {}
        }
        if word == "set" {
            match set_name(content) {
                Some(name) => sets.push(name.to_string()),
                None => ok = false,
            }
        } else {
            ok &= ALLOWED.contains(&word);
        }
    });
    (ok && complete).then_some(sets)
}

/// The name a `{% set name = … %}` tag sets (`None` for a block `set` or anything else).
fn set_name(content: &str) -> Option<&str> {
    let rest = content.trim().strip_prefix("set")?;
    let rest = rest.strip_prefix(|c: char| c.is_ascii_whitespace())?.trim_start();
    let end = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(rest.len());
    let (name, rest) = rest.split_at(end);
    let first = name.chars().next()?;
    (!first.is_ascii_digit() && rest.trim_start().starts_with('=') && !rest.trim_start().starts_with("=="))
        .then_some(name)
}

/// `source` with `{{ t(id=name) }}` made `{{ t(id="literal") }}` after a `{% set name =
/// "literal" %}` outside any `if` or `for` (so it always runs, and before those calls), when
/// the text names `name` nowhere else (no other `set`, loop variable, or reading of it that a
/// partial's include could hide): the id is then the literal in every letter, and [`fold`]
/// can fold the call. `None` when nothing changes.
pub fn propagate(source: &str) -> Option<String> {
    if !only_allowed(source, &ALLOWED_WITH_SET) {
        return None;
    }
    let mut level = 0usize;
    let mut constants: Vec<(String, String, usize, usize)> = Vec::new();
    walk(source, |open, end, kind, content| {
        if kind != b'%' {
            return;
        }
        match statement(content) {
            "if" | "for" => level += 1,
            "endif" | "endfor" => level = level.saturating_sub(1),
            "set" if level == 0 && !content.starts_with('-') && !content.ends_with('-') => {
                if let Some(name) = set_name(content) {
                    let value = content.trim().split_once('=').map(|(_, v)| v.trim());
                    if let Some(literal) = value.and_then(|v| v.strip_prefix('"')).and_then(|v| v.strip_suffix('"'))
                        && !literal.contains(['"', '\\'])
                    {
                        constants.push((name.to_string(), literal.to_string(), open, end));
                    }
                }
            }
            _ => {}
        }
    });
    let mut replaced = None::<String>;
    // The last first: replacing calls after a set leaves the places of the sets before it.
    for (name, literal, open, end) in constants.into_iter().rev() {
        let text = replaced.as_deref().unwrap_or(source);
        // Every other mention of the name must be one of the calls replaced.
        // The calls are tags as Tera reads them (not text in a raw block, a comment or a
        // string, which the mentions below still count, so that such text keeps the name).
        let call = format!(" t(id={name}) ");
        let outside = format!("{}{}", text.get(..open).unwrap_or_default(), text.get(end..).unwrap_or_default());
        let mut calls = Vec::new();
        walk(text, |at, after, kind, content| {
            if kind == b'}' && at >= end && content == call {
                calls.push((at, after));
            }
        });
        let calls_after = calls.len();
        let mentions = outside.match_indices(name.as_str()).filter(|(at, _)| {
            let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            !ident(outside.get(..*at).and_then(|t| t.chars().next_back()))
                && !ident(outside.get(at + name.len()..).and_then(|t| t.chars().next()))
        });
        if calls_after == 0 || mentions.count() != calls_after {
            continue;
        }
        let mut out = String::with_capacity(text.len() + calls_after * literal.len());
        let mut copied = 0;
        for (at, after) in calls {
            out.push_str(text.get(copied..at).unwrap_or_default());
            out.push_str(&format!("{{{{ t(id=\"{literal}\") }}}}"));
            copied = after;
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        replaced = Some(out);
    }
    replaced
}

/// `source` with the tags `replace` gives text for replaced by it, or `None` when it replaced
/// none. `replace(kind, content)` is asked about every `{{ … }}` (`kind` `}`) and `{% … %}`
/// (`%`) tag in template text, never one inside a comment or a raw block.
fn rewrite(source: &str, mut replace: impl FnMut(u8, &str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    // `source[copied..]` is not in `out` yet.
    let mut copied = 0;
    walk(source, |open, end, kind, content| {
        if let Some(text) = replace(kind, content).filter(|text| fits(source, open, end, text)) {
            out.push_str(source.get(copied..open).unwrap_or_default());
            out.push_str(&text);
            copied = end;
        }
    });
    if copied == 0 {
        return None;
    }
    out.push_str(source.get(copied..).unwrap_or_default());
    Some(out)
}

/// Whether `text` can stand in place of the tag at `open..end` of `source` and print what the
/// tag printed. Tera trims whitespace at the lexer: a tag ending `-}}`, `-%}` or `-#}` trims the
/// text after it up to the next tag (across comments), one starting `{{-`, `{%-` or `{#-` the
/// text right before it. The tag stopped that; `text` in its place stops it only where it
/// starts (or ends) with something that is neither whitespace nor a comment or raw block
/// (whose content is trimmed as text is). A comment before the tag could hide a trimming tag:
/// it is taken as one. And `text` must not end in `{`, which would open a tag with what follows.
fn fits(source: &str, open: usize, end: usize, text: &str) -> bool {
    if text.ends_with('{') {
        return false;
    }
    let before = source.get(..open).unwrap_or_default().trim_end();
    let trims_after = ["-}}", "-%}", "#}"].iter().any(|mark| before.ends_with(mark));
    let after = source.get(end..).unwrap_or_default().trim_start();
    let trims_before = ["{{-", "{%-", "{#-"].iter().any(|mark| after.starts_with(mark));
    let starts_firm = match text.chars().next() {
        None => false,
        Some(c) if c.is_whitespace() => false,
        Some('{') => match text.as_bytes().get(1) {
            Some(b'{') => true,
            Some(b'%') => tag(text, 0, b'%').is_some_and(|(content, _)| !is_raw(content)),
            Some(b'#') => false,
            _ => true,
        },
        Some(_) => true,
    };
    let ends_firm = match text.chars().next_back() {
        None => false,
        Some(c) if c.is_whitespace() => false,
        // A raw block's content is trimmed as text is; the last tag is looked up plainly (a
        // `{%` inside a string there only makes the answer more careful).
        Some('}') if text.ends_with("%}") => text.rfind("{%").is_none_or(|at| {
            let content = text.get(at + 2..text.len() - 2).unwrap_or_default();
            content.trim_matches(|c: char| c == '-' || c.is_whitespace()) != "endraw"
        }),
        Some(_) => true,
    };
    (!trims_after || starts_firm) && (!trims_before || ends_firm)
}

/// Calls `visit(open, end, kind, content)` for every `{{ … }}` (`kind` `}`) and `{% … %}`
/// (`%`) tag in template text, in order, with where it opens and the byte after it; never for
/// one inside a comment or a raw block. `false` if the text ends inside a tag that never
/// closes (the tags after it are not visited).
fn walk(source: &str, mut visit: impl FnMut(usize, usize, u8, &str)) -> bool {
    let bytes = source.as_bytes();
    let mut at = 0;
    while let Some(found) = source.get(at..).and_then(|rest| rest.find('{')) {
        let open = at + found;
        let kind = match bytes.get(open + 1) {
            Some(b'#') => {
                at = after(source, open + 2, "#}");
                continue;
            }
            Some(b'%') => b'%',
            Some(b'{') => b'}',
            _ => {
                at = open + 1;
                continue;
            }
        };
        let Some((content, end)) = tag(source, open, kind) else { return false };
        if kind == b'%' && is_raw(content) {
            at = end_of_raw(source, end);
            continue;
        }
        visit(open, end, kind, content);
        at = end;
    }
    true
}

/// The byte after the first `close` at or after `from`, or the end of `source`.
fn after(source: &str, from: usize, close: &str) -> usize {
    source.get(from..).and_then(|rest| rest.find(close)).map_or(source.len(), |i| from + i + close.len())
}

/// The tag opening at `open` (`{%` or `{{`; `kind` is `%` or `}`): its content between the
/// delimiters and the byte after its `%}` or `}}`; `None` if it never closes. String literals
/// are skipped as Tera's lexer reads them: quoted by `"`, `'` or `` ` ``, a backslash escaping
/// the byte after it.
fn tag(source: &str, open: usize, kind: u8) -> Option<(&str, usize)> {
    let bytes = source.as_bytes();
    let mut i = open + 2;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'' | b'`') => {
                i += 1;
                loop {
                    match *bytes.get(i)? {
                        b'\\' => i += 2,
                        b if b == quote => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            // The delimiters are ASCII, so both ends of the content are char boundaries.
            b if b == kind && bytes.get(i + 1) == Some(&b'}') => return Some((source.get(open + 2..i)?, i + 2)),
            _ => i += 1,
        }
    }
    None
}

/// Whether a `{% … %}` tag's content (between the delimiters) opens a raw block.
fn is_raw(content: &str) -> bool {
    content.trim_matches('-').trim() == "raw"
}

/// The byte after the `{% endraw %}` that closes a raw block whose content starts at `from`:
/// as Tera finds it, the first `{%` followed by `endraw` (spaces and `-` around it) and `%}`,
/// whatever the content holds.
fn end_of_raw(source: &str, from: usize) -> usize {
    let mut at = from;
    while let Some(found) = source.get(at..).and_then(|rest| rest.find("{%")) {
        let after_open = at + found + 2;
        let rest = &source[after_open..];
        let body = rest.strip_prefix('-').unwrap_or(rest).trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(body) = body.strip_prefix("endraw") {
            let body = body.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let body = body.strip_prefix('-').unwrap_or(body);
            if let Some(after) = body.strip_prefix("%}") {
                return source.len() - after.len();
            }
        }
        at = after_open;
    }
    source.len()
}

/// The id in an expression tag's content that is exactly `t(id="…")` (spaces allowed between
/// the parts, none of `-` whitespace control).
fn message_id(content: &str) -> Option<&str> {
    if content.starts_with('-') || content.ends_with('-') {
        return None;
    }
    let rest = content.trim().strip_prefix('t')?.trim_start().strip_prefix('(')?.trim_start();
    let rest = rest.strip_prefix("id")?.trim_start().strip_prefix('=')?.trim_start().strip_prefix('"')?;
    let (id, rest) = rest.split_once('"')?;
    // An escape would make Tera's id differ from the text (and no Fluent id has a backslash).
    let ok = !id.is_empty() && !id.contains('\\') && rest.trim_start().strip_prefix(')')?.trim().is_empty();
    ok.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(id: &str) -> Option<&'static str> {
        match id {
            // Any id starting so, to show that an id with an escape is never looked up.
            id if id.starts_with("thanks") || id.starts_with("than\\") => Some("Dziękujemy."),
            "two-lines" => Some("Line one\nline two"),
            "brace" => Some("a {b}"),
            "spaced" => Some(", "),
            "lead" => Some(" x"),
            "empty" => Some(""),
            _ => None,
        }
    }

    #[test]
    fn whole_calls_with_a_literal_id_become_text() {
        let folded = fold("A {{ t(id=\"thanks\") }} B {{t( id = \"two-lines\" )}}.\n", fixed);
        assert_eq!(folded.as_deref(), Some("A Dziękujemy. B Line one\nline two.\n"));
    }

    #[test]
    fn calls_that_may_differ_or_sit_elsewhere_stay() {
        for source in [
            "{{ t(id=\"thanks\", name=customer.name | upper) }}",
            "{{ t(id=\"thanks\", name=\"Anna\") }}",
            "{{ t(id=\"thanks\", name=a + b) }}",
            "{{ t(id=\"thanks\", name=customer.name, id=\"two-lines\") }}",
            "{{ t(id=\"unknown\", name=customer.name) }}",
            "{{ t(id=\"brace\", name=customer.name) }}",
            "{{ t(id=signature, name=customer.name) }}",
            "{{- t(id=\"thanks\", name=customer.name) }}",
            "{{ t(id=\"unknown\") }}",
            "{{ t(id=\"brace\") }}",
            "{{- t(id=\"thanks\") }}",
            "{{ t(id=\"thanks\") -}}",
            "{{ t(id=\"thanks\") | upper }}",
            "{{ t(id='thanks') }}",
            "{{ t(id=signature) }}",
            "{# {{ t(id=\"thanks\") }} #}",
            "{% raw %}{{ t(id=\"thanks\") }}{% endraw %}",
            "{%- raw -%} x {{ t(id=\"thanks\") }} {%- endraw %}",
            "{% set x = \"{{ t(id=\\\"thanks\\\") }}\" %}",
            "{{ \"}}{{ t(id=\" }}",
            "{{ \"\\\"}} {{ t(id=\\\"thanks\\\") }}\" }}",
            "{% raw %}{% it's %}{{ t(id=\"thanks\") }}{% endraw %}",
            "{{ '\\'}} {{ t(id=\"thanks\") }}' }}",
            "{{ t(id=\"than\\ks\") }}",
            "{{ t(id=\"thanks\")",
            "",
        ] {
            assert_eq!(fold(source, fixed), None, "{source}");
        }
    }

    #[test]
    fn calls_of_fixed_messages_with_string_arguments_become_guarded_text() {
        let folded = fold("A {{ t(id=\"thanks\", gender=closing_gender, name = customer.name) }}.", fixed);
        let call = " t(id=\"thanks\", gender=closing_gender, name = customer.name) ";
        let guarded = format!(
            "A {{% if closing_gender is string and customer.name is string %}}Dziękujemy.{{% else %}}{{{{{call}}}}}{{% endif %}}."
        );
        assert_eq!(folded, Some(guarded));
    }

    #[test]
    fn a_literal_id_set_once_at_the_top_reaches_the_calls_after_it() {
        let source = "{{ x }}{% set sig = \"thanks\" %}{% if a %}{{ t(id=sig) }}{% endif %} {{ t(id=sig) }}";
        let propagated =
            "{{ x }}{% set sig = \"thanks\" %}{% if a %}{{ t(id=\"thanks\") }}{% endif %} {{ t(id=\"thanks\") }}";
        assert_eq!(propagate(source).as_deref(), Some(propagated));
        let two = "{% set a = \"thanks\" %}{{ t(id=a) }}{% set b = \"two-lines\" %}{{ t(id=a) }}{{ t(id=b) }}";
        let both = "{% set a = \"thanks\" %}{{ t(id=\"thanks\") }}{% set b = \"two-lines\" %}{{ t(id=\"thanks\") }}{{ t(id=\"two-lines\") }}";
        assert_eq!(propagate(two).as_deref(), Some(both));
        for source in [
            // Set inside a block: it may not run.
            "{% if a %}{% set sig = \"thanks\" %}{% endif %}{{ t(id=sig) }}",
            "{% for x in xs %}{% set sig = \"thanks\" %}{% endfor %}{{ t(id=sig) }}",
            // Named elsewhere: read, set again, a loop variable, a call before the set.
            "{% set sig = \"thanks\" %}{{ t(id=sig) }}{{ sig }}",
            "{% set sig = \"thanks\" %}{{ t(id=sig) }}{% set sig = \"other\" %}{{ t(id=sig) }}",
            "{% set sig = \"thanks\" %}{% for sig in xs %}{{ t(id=sig) }}{% endfor %}",
            "{{ t(id=sig) }}{% set sig = \"thanks\" %}",
            // Not a plain literal, or statements whose blocks are not followed.
            "{% set sig = \"thanks\" | upper %}{{ t(id=sig) }}",
            "{% set sig = other %}{{ t(id=sig) }}",
            "{% set sig = \"tha\\\"nks\" %}{{ t(id=sig) }}",
            "{% set sig %}thanks{% endset %}{{ t(id=sig) }}",
            "{% macro m() %}{% endmacro %}{% set sig = \"thanks\" %}{{ t(id=sig) }}",
            "{%- set sig = \"thanks\" %}{{ t(id=sig) }}",
            // The call's text in a raw block or a string is printed as it is.
            "{% set sig = \"thanks\" %}{{ t(id=sig) }}{% raw %}{{ t(id=sig) }}{% endraw %}",
            "{% set sig = \"thanks\" %}{{ t(id=sig) }}{{ '{{ t(id=sig) }}' }}",
        ] {
            assert_eq!(propagate(source), None, "{source}");
        }
    }

    #[test]
    fn text_around_skipped_parts_is_kept() {
        let source = "{% raw %}{{ t(id=\"thanks\") }}{% endraw %}\n{# c #}{% if a %}{{ t(id=\"thanks\") }}{% endif %}";
        let folded = fold(source, fixed);
        assert_eq!(
            folded.as_deref(),
            Some("{% raw %}{{ t(id=\"thanks\") }}{% endraw %}\n{# c #}{% if a %}Dziękujemy.{% endif %}")
        );
    }

    fn partial(name: &str) -> Option<&'static str> {
        match name {
            "plain" => Some("**{{ name }}**\n{% if a %}{{ b }}{% else %}c{% endif %}\n"),
            "nested" => Some("<{% include \"plain\" %}>{% for x in xs %}{{ x }}{% endfor %}"),
            "sets" => Some("{% set s = 1 %}{{ s }}"),
            "sets-nested" => Some("x{% include \"sets\" %}"),
            "block-set" => Some("{% set s %}1{% endset %}"),
            "dumps" => Some("{{ __tera_context }}"),
            "global" => Some("{% set_global s = 1 %}"),
            "trims" => Some("{%- if a %}x{% endif %}"),
            "breaks" => Some("{% for x in xs %}{% break %}{% endfor %}"),
            "loop" => Some("{% include \"loop\" %}"),
            "unclosed" => Some("{{ a"),
            "raw" => Some("{% raw %}{% set s = 1 %}{% endraw %}"),
            "empty" => Some(""),
            "lead" => Some("  x"),
            "comment" => Some("{# c #} x"),
            "brace" => Some("a {"),
            "index" => Some("{{ loop.index }}"),
            "own-loop" => Some("{% for x in xs %}{{ loop.index }}{% endfor %}"),
            "for-else" => Some("{% for x in xs %}{% else %}{{ loop.index }}{% endfor %}"),
            "reaches-sets" => Some("y{% include \"sets\" %}"),
            _ => None,
        }
    }

    /// No other template names anything.
    fn nowhere(_: &str, _: &str) -> bool {
        false
    }

    #[test]
    fn partials_that_set_nothing_and_trim_nothing_are_inlined() {
        let inlined = inline("A {% include \"plain\" %} B {%include   \"nested\"%}.", &partial, &nowhere);
        let plain = "**{{ name }}**\n{% if a %}{{ b }}{% else %}c{% endif %}\n";
        let nested = format!("<{plain}>{{% for x in xs %}}{{{{ x }}}}{{% endfor %}}");
        assert_eq!(inlined, Some(format!("A {plain} B {nested}.")));
        assert_eq!(
            inline("{% include \"raw\" %}", &partial, &nowhere).as_deref(),
            Some("{% raw %}{% set s = 1 %}{% endraw %}")
        );
        // One that sets a variable: once, outside any block, its variable unnamed elsewhere.
        assert_eq!(
            inline("{% if a %}x{% endif %}{% include \"sets\" %}", &partial, &nowhere).as_deref(),
            Some("{% if a %}x{% endif %}{% set s = 1 %}{{ s }}")
        );
    }

    #[test]
    fn includes_that_could_differ_stay() {
        for source in [
            "{% include \"sets\" %}{% include \"sets\" %}",
            "{% if a %}{% include \"sets\" %}{% endif %}",
            "{% for x in xs %}{% include \"sets\" %}{% endfor %}",
            "{% include \"sets\" %}{{ s }}",
            "{% set s = 2 %}{% include \"sets\" %}",
            "{% include \"block-set\" %}",
            "{% include \"global\" %}",
            "{% macro m() %}{% endmacro %}{% include \"sets\" %}",
            "{% include \"trims\" %}",
            "{% include \"dumps\" %}",
            "{{ __tera_context }}{% include \"sets\" %}",
            "{% include \"breaks\" %}",
            "{% include \"unclosed\" %}",
            "{% include \"unknown\" %}",
            "{%- include \"plain\" %}",
            "{% include \"plain\" -%}",
            "{% include \"plain\" ignore missing %}",
            "{% include 'plain' %}",
            "{% include \"pla\\in\" %}",
            "{# {% include \"plain\" %} #}",
            "{% raw %}{% include \"plain\" %}{% endraw %}",
            "{{ \"{% include \\\"plain\\\" %}\" }}",
            "{% includes \"plain\" %}",
        ] {
            assert_eq!(inline(source, &partial, &nowhere), None, "{source}");
        }
        // Nor when another template names what it sets (a later include could read it).
        let elsewhere = |variable: &str, partial: &str| variable == "s" && partial == "sets";
        assert_eq!(
            inline("{% include \"sets\" %}{% include \"plain\" %}", &partial, &elsewhere).as_deref(),
            Some("{% include \"sets\" %}**{{ name }}**\n{% if a %}{{ b }}{% else %}c{% endif %}\n")
        );
        // Into another partial, one that sets a variable stays an include.
        assert_eq!(
            inline("{% include \"sets-nested\" %}", &partial, &nowhere).as_deref(),
            Some("x{% include \"sets\" %}")
        );
        // A partial including itself is inlined a few levels deep, then left to Tera.
        let deep = inline("{% include \"loop\" %}", &partial, &nowhere).unwrap();
        assert_eq!(deep, "{% include \"loop\" %}");
    }

    /// Tera trims whitespace at the lexer, across what was a tag: text in its place must not
    /// let whitespace control reach into it, or past it, nor open a tag with what follows.
    #[test]
    fn tags_next_to_whitespace_control_stay_unless_their_text_stops_it() {
        for source in [
            "{% include \"plain\" %}{%- if a %}x{% endif %}",
            "{% include \"plain\" %}\n {{- a }}",
            "{% include \"plain\" %}{#- c #}",
            "{% if a -%}\n{% include \"lead\" %}{% endif %}",
            "{{ a -}}{% include \"empty\" %}  b",
            "{{ a -}}\n{% include \"comment\" %}",
            "{{ a -}}{# c #}{% include \"lead\" %}",
            "{% include \"brace\" %}# c #}",
        ] {
            assert_eq!(inline(source, &partial, &nowhere), None, "{source}");
        }
        for source in [
            "{{ t(id=\"spaced\") }}{{- a }}",
            "{{ a -}} {{ t(id=\"lead\") }}",
            "{{ a -}}{{ t(id=\"empty\") }} b",
            "{{ t(id=\"empty\") }}\n{%- if a %}{% endif %}",
        ] {
            assert_eq!(fold(source, fixed), None, "{source}");
        }
        // Text that starts (ends) with a word stops the trimming as the tag did; so does the
        // guard of a call with arguments.
        assert_eq!(fold("{{ a -}}\n{{ t(id=\"thanks\") }}", fixed).as_deref(), Some("{{ a -}}\nDziękujemy."));
        assert_eq!(
            inline("{{ a -}}{% include \"nested\" %}{{- b }}", &partial, &nowhere)
                .map(|t| t.starts_with("{{ a -}}<**")),
            Some(true)
        );
        let guarded = fold("{{ a -}}{{ t(id=\"spaced\", n=a) }}{{- a }}", fixed).unwrap();
        assert!(guarded.starts_with("{{ a -}}{% if a is string %}, {% else %}"), "{guarded}");
    }

    #[test]
    fn partials_that_would_read_or_run_otherwise_in_place_stay() {
        // `loop` outside the partial's own loops is undefined there, not the includer's loop.
        assert_eq!(inline("{% for x in xs %}{% include \"index\" %}{% endfor %}", &partial, &nowhere), None);
        assert_eq!(inline("{% for x in xs %}{% include \"for-else\" %}{% endfor %}", &partial, &nowhere), None);
        assert_eq!(
            inline("{% for y in ys %}{% include \"own-loop\" %}{% endfor %}", &partial, &nowhere).as_deref(),
            Some("{% for y in ys %}{% for x in xs %}{{ loop.index }}{% endfor %}{% endfor %}")
        );
        // A partial that sets a variable, run again after its text in place set it: included
        // under another quote, or through another partial.
        for source in [
            "{% include \"sets\" %}{% include 'sets' %}",
            "{% include \"sets\" %}{% include `sets` %}",
            "{% include \"sets\" %}{% for x in xs %}{% include \"reaches-sets\" %}{% endfor %}",
        ] {
            assert!(inline(source, &partial, &nowhere).is_none_or(|t| !t.contains("{% set s")), "{source}");
        }
    }

    #[test]
    fn unclosed_tags_and_braces_in_text_end_the_scan_without_panicking() {
        for source in
            ["{", "{{", "{%", "{#", "a { b", "{{ t(id=\"thanks\") }} {% raw %}", "{{ '", "x}}{{ t(id=\"thanks\") }}"]
        {
            let _ = fold(source, fixed);
        }
        assert_eq!(fold("x}}{{ t(id=\"thanks\") }}", fixed).as_deref(), Some("x}}Dziękujemy."));
    }
}
