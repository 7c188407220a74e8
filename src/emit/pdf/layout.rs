//! The letter on A4 pages: letterhead, return address and recipient in the envelope window,
//! the place-and-date line, the bold subject, the body's paragraphs, lists and tables, then
//! pagination (widows and orphans, table headers repeated) with page numbers, a continuation
//! header on later pages and the footer with the company's registration data.
//!
//! The body arrives read ([`crate::markup::Page`]): the recipient's block goes into the envelope
//! window, the place-and-date line on the date line, the rest flows.

use pulldown_cmark::Alignment;

use super::Element;
use super::font::{Face, Faces, Font};
use super::text::{Line, break_lines};
use crate::error::{Error, ErrorKind, Result};
use crate::markup::Page;
use crate::markup::page::{Block, Span};
use crate::standard::layout::Layout;

/// A4 width in millimetres.
const PAGE_WIDTH: f32 = 210.0;
/// Space between table columns, in millimetres.
const COLUMN_GAP: f32 = 4.0;
/// Indent per list level, in millimetres.
const LIST_INDENT: f32 = 6.0;

/// Points to millimetres.
fn pt_to_mm(pt: f32) -> f32 {
    pt * 25.4 / 72.0
}

/// What the letter gives the layout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame<'a> {
    /// The sender's company name.
    pub company: &'a str,
    /// The sender's postal address lines.
    pub address: &'a [String],
    /// Contact lines for the letterhead (phone, e-mail, web site).
    pub contacts: &'a [&'a str],
    /// Registration data for the footer.
    pub registration: Option<&'a str>,
    /// The subject line.
    pub subject: &'a str,
    /// The body, read for the page.
    pub page: &'a Page,
    /// The logo's box on the first page: left, top, width, height (mm).
    pub logo: Option<[f32; 4]>,
}

/// A run of text placed on a page (millimetres from the top-left corner; `y` is the baseline).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    /// The face it is set in (resolved: one the writer has).
    pub face: Face,
    pub text: String,
    /// The structure element it belongs to; `None` for page furniture.
    pub element: Option<usize>,
}

/// A straight line on a page, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    /// Line width in points.
    pub width: f32,
}

/// One laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Sheet {
    pub runs: Vec<Placed>,
    pub rules: Vec<Rule>,
    /// The logo's box (left, top, width, height in mm) and its `Figure` element.
    pub figure: Option<([f32; 4], Option<usize>)>,
}

/// The body's column: fonts, left edge and width (mm), type size (pt), line height (mm).
#[derive(Clone, Copy)]
struct Column<'a> {
    fonts: Faces<'a>,
    left: f32,
    width: f32,
    size: f32,
    line_height: f32,
}

/// One slice of the flow: a line of text or a table row, placed relative to its own top.
#[derive(Debug, Clone)]
struct Item {
    height: f32,
    /// Space above it, dropped at the top of a page.
    space: f32,
    runs: Vec<Placed>,
    rules: Vec<Rule>,
    /// Must stay on the same page as the next item.
    glue: bool,
    /// The table it belongs to (its header is repeated on a new page), and whether it is
    /// that header.
    table: Option<(usize, bool)>,
}

/// The measures every part of a page is placed by, from the layout settings (mm; sizes pt).
#[derive(Clone, Copy)]
struct Measures {
    left: f32,
    right: f32,
    width: f32,
    size: f32,
    line_height: f32,
    small: f32,
    small_line: f32,
}

impl Measures {
    fn of(layout: &Layout) -> Measures {
        let left = layout.page.left;
        let right = PAGE_WIDTH - layout.page.right;
        let size = layout.text.body;
        let small = layout.text.small;
        Measures {
            left,
            right,
            width: right - left,
            size,
            line_height: pt_to_mm(size * layout.text.leading),
            small,
            small_line: pt_to_mm(small * 1.3),
        }
    }
}

/// A new element of the structure tree under `parent`; its index.
fn element(tree: &mut Vec<Element>, role: &'static str, parent: usize) -> Option<usize> {
    tree.push(Element { role, parent: Some(parent) });
    Some(tree.len() - 1)
}

/// Lays out a letter: the first page's letterhead, window, date and subject, the body flowed
/// over pages, then each page's furniture. Fails if the address does not fit in the window.
pub(crate) fn compose(fonts: Faces<'_>, layout: &Layout, frame: &Frame<'_>) -> Result<(Vec<Sheet>, Vec<Element>)> {
    let body = frame.page;
    let mut tree = vec![Element { role: "Document", parent: None }];
    let m = Measures::of(layout);
    let mut first = Sheet::default();
    letterhead(&mut first, &mut tree, fonts, layout, &m, frame);
    window(&mut first, &mut tree, fonts, layout, &m, frame, &body.recipient)?;
    // The addressee's name (the window block's first line before a hard break), for the
    // continuation header.
    let recipient: String = body.recipient.iter().map(|s| s.text.as_str()).collect();
    let recipient_name = recipient.split('\n').next().unwrap_or("").trim().to_string();
    let place_date: String = body.place_date.iter().map(|s| s.text.as_str()).collect::<String>().replace('\n', " ");
    let place_date = place_date.trim();
    let body_top = date_and_subject(&mut first, &mut tree, fonts, layout, &m, frame.subject, place_date);
    if layout.fold_marks {
        for (at, length) in [(105.0, 4.0), (148.5, 6.0), (210.0, 4.0)] {
            first.rules.push(Rule { x1: 4.0, y1: at, x2: 4.0 + length, y2: at, width: 0.3 });
        }
    }
    let mut headers: Vec<Vec<Item>> = Vec::new();
    let column = Column { fonts, left: m.left, width: m.width, size: m.size, line_height: m.line_height };
    let items = flow(&column, &body.blocks, &mut headers, &mut tree);
    let mut sheets = paginate(first, &items, &headers, layout, body_top);
    let continuation = Continuation { recipient_name: &recipient_name, place_date };
    furniture(&mut sheets, &mut tree, fonts, layout, &m, frame, &continuation);
    Ok((sheets, tree))
}

/// The letterhead: the company on the left, address and contacts right-aligned, a rule below.
fn letterhead(
    first: &mut Sheet,
    tree: &mut Vec<Element>,
    fonts: Faces<'_>,
    layout: &Layout,
    m: &Measures,
    frame: &Frame<'_>,
) {
    // The logo comes first in reading order; a logo at the left margin pushes the company's
    // name to its right.
    let mut x = m.left;
    if let Some(logo) = frame.logo {
        first.figure = Some((logo, element(tree, "Figure", 0)));
        let [left, top, width, height] = logo;
        let cap = pt_to_mm(layout.text.company) * 0.75;
        let beside = top < layout.page.top && top + height > layout.page.top - cap;
        if beside && left <= m.left + 1.0 {
            x = left + width + 4.0;
        }
    }
    let letterhead = element(tree, "P", 0);
    first.runs.push(Placed {
        x,
        y: layout.page.top,
        size: layout.text.company,
        face: Face::Bold,
        text: frame.company.to_string(),
        element: letterhead,
    });
    let mut contact_lines: Vec<&str> = frame.address.iter().map(String::as_str).collect();
    contact_lines.extend(frame.contacts.iter().copied());
    let mut y = layout.page.top - pt_to_mm(layout.text.company) * 0.6;
    for line in contact_lines.iter().filter(|l| !l.trim().is_empty()) {
        let w = pt_to_mm(fonts.regular.width(line, m.small));
        first.runs.push(Placed {
            x: m.right - w,
            y,
            size: m.small,
            face: Face::Regular,
            text: line.to_string(),
            element: letterhead,
        });
        y += m.small_line;
    }
    let head_rule = (y - m.small_line + 3.0).max(layout.page.top + 4.0);
    first.rules.push(Rule { x1: m.left, y1: head_rule, x2: m.right, y2: head_rule, width: 0.5 });
}

/// The envelope window: the return address in its zone, underlined, then the recipient. Fails
/// if the recipient takes more lines than the window holds.
fn window(
    first: &mut Sheet,
    tree: &mut Vec<Element>,
    fonts: Faces<'_>,
    layout: &Layout,
    m: &Measures,
    frame: &Frame<'_>,
    recipient: &[Span],
) -> Result<()> {
    let window = &layout.window;
    let inner_left = window.left + window.inset;
    let inner_width = window.width - 2.0 * window.inset;
    let mut sender_line = vec![frame.company.to_string()];
    sender_line.extend(frame.address.iter().filter(|l| !l.trim().is_empty()).cloned());
    let sender_line = sender_line.join(", ");
    let natural = pt_to_mm(fonts.regular.width(&sender_line, m.small));
    let return_size = if natural > inner_width { (m.small * inner_width / natural).max(4.0) } else { m.small };
    let return_y = window.top + window.return_zone * 0.45;
    first.runs.push(Placed {
        x: inner_left,
        y: return_y,
        size: return_size,
        face: Face::Regular,
        text: sender_line,
        element: None,
    });
    let underline = return_y + 1.2;
    first.rules.push(Rule {
        x1: inner_left,
        y1: underline,
        x2: inner_left + natural.min(inner_width),
        y2: underline,
        width: 0.3,
    });

    let address_size = layout.text.address;
    let address_line = pt_to_mm(address_size * 1.2);
    let address_lines = break_lines(fonts, recipient, address_size, inner_width * 72.0 / 25.4);
    let room = ((window.height - window.return_zone) / address_line).floor().max(1.0) as usize;
    if address_lines.len() > room {
        return Err(Error::new(
            ErrorKind::Render,
            format!("the address takes {} lines, but the envelope window holds {room}", address_lines.len()),
        )
        .with_help(
            "shorten the recipient's name or address, or make the window in templates/layouts/letter.toml taller",
        ));
    }
    // The first baseline sits one type size below the zone's top, so the ascenders stay inside.
    let mut y = window.top + window.return_zone + pt_to_mm(address_size);
    let address = element(tree, "P", 0);
    for line in &address_lines {
        place_line(first, line, inner_left, y, address_size, address);
        y += address_line;
    }
    Ok(())
}

/// The place-and-date line, right-aligned below the window, then the subject; where the body
/// starts.
fn date_and_subject(
    first: &mut Sheet,
    tree: &mut Vec<Element>,
    fonts: Faces<'_>,
    layout: &Layout,
    m: &Measures,
    subject: &str,
    place_date: &str,
) -> f32 {
    let date_y = layout.window.top + layout.window.height + 8.0;
    if !place_date.is_empty() {
        let w = pt_to_mm(fonts.regular.width(place_date, m.size));
        let date = element(tree, "P", 0);
        first.runs.push(Placed {
            x: m.right - w,
            y: date_y,
            size: m.size,
            face: Face::Regular,
            text: place_date.to_string(),
            element: date,
        });
    }
    let subject_size = layout.text.subject;
    let subject_line = pt_to_mm(subject_size * layout.text.leading);
    let mut y = date_y + 9.0;
    let subject = [Span { text: subject.to_string(), bold: true, italic: false }];
    let heading = element(tree, "H1", 0);
    for line in break_lines(fonts, &subject, subject_size, m.width * 72.0 / 25.4) {
        place_line(first, &line, m.left, y, subject_size, heading);
        y += subject_line;
    }
    (y + m.line_height * 0.5).max(layout.page.body_top)
}

/// The flow's items onto pages from `body_top` of the first: glued items stay together, a
/// table's header is repeated at the top of a page it continues on.
fn paginate(first: Sheet, items: &[Item], headers: &[Vec<Item>], layout: &Layout, body_top: f32) -> Vec<Sheet> {
    let mut sheets = vec![first];
    let mut y = body_top;
    let mut empty = true;
    let bottom = layout.page.body_bottom;
    let mut i = 0;
    while i < items.len() {
        // The group of items glued together from i.
        let mut end = i;
        while end + 1 < items.len() && items[end].glue {
            end += 1;
        }
        let group: f32 = items[i..=end].iter().map(|it| it.height + it.space).sum::<f32>()
            - if empty { items[i].space } else { 0.0 };
        if !empty && y + group > bottom {
            new_page(&mut sheets, &mut y, &mut empty, layout);
        }
        for item in &items[i..=end] {
            let space = if empty { 0.0 } else { item.space };
            if !empty && y + space + item.height > bottom {
                new_page(&mut sheets, &mut y, &mut empty, layout);
            }
            if empty
                && sheets.len() > 1
                && let Some((table, false)) = item.table
                && let Some(header) = headers.get(table)
            {
                for h in header {
                    // The repeated header is page furniture: the tree has it once.
                    let mut repeat = h.clone();
                    repeat.runs.iter_mut().for_each(|r| r.element = None);
                    put(&mut sheets, &repeat, y);
                    y += h.height;
                }
            }
            let space = if empty { 0.0 } else { item.space };
            y += space;
            put(&mut sheets, item, y);
            y += item.height;
            empty = false;
        }
        i = end + 1;
    }
    sheets
}

/// What a later page's header repeats: the addressee's name and the place-and-date line.
struct Continuation<'a> {
    recipient_name: &'a str,
    place_date: &'a str,
}

/// Each page's furniture: its number, on later pages the continuation header, and the footer
/// (read once, after the letter; on later pages it is furniture).
fn furniture(
    sheets: &mut [Sheet],
    tree: &mut Vec<Element>,
    fonts: Faces<'_>,
    layout: &Layout,
    m: &Measures,
    frame: &Frame<'_>,
    continuation: &Continuation<'_>,
) {
    let (left, right, width, small, small_line) = (m.left, m.right, m.width, m.small, m.small_line);
    let count = sheets.len();
    let footer_text = match frame.registration {
        Some(r) if !r.trim().is_empty() => r.to_string(),
        _ => sender_text(frame),
    };
    let footer_lines =
        break_lines(fonts, &[Span { text: footer_text, bold: false, italic: false }], small, width * 72.0 / 25.4);
    let footer_rule = layout.page.body_bottom + 9.0;
    let footer = element(tree, "P", 0);
    for (n, sheet) in sheets.iter_mut().enumerate() {
        let number = format!("{}/{count}", n + 1);
        let w = pt_to_mm(fonts.regular.width(&number, small + 0.5));
        sheet.runs.push(Placed {
            x: right - w,
            y: layout.page.body_bottom + 5.5,
            size: small + 0.5,
            face: Face::Regular,
            text: number,
            element: None,
        });
        if n > 0 {
            let top = layout.page.continuation_top - 12.0;
            let mut head = String::new();
            if !continuation.recipient_name.is_empty() {
                head.push_str(&fit(fonts.regular, continuation.recipient_name, small, width * 0.3));
                head.push_str(" · ");
            }
            head.push_str(frame.subject);
            let head = fit(fonts.regular, &head, small, width * 0.7);
            sheet
                .runs
                .insert(0, Placed { x: left, y: top, size: small, face: Face::Regular, text: head, element: None });
            sheet.runs.insert(
                0,
                Placed {
                    x: left,
                    y: top - small_line,
                    size: small,
                    face: Face::Bold,
                    text: frame.company.to_string(),
                    element: None,
                },
            );
            if !continuation.place_date.is_empty() {
                let w = pt_to_mm(fonts.regular.width(continuation.place_date, small));
                sheet.runs.insert(
                    2,
                    Placed {
                        x: right - w,
                        y: top,
                        size: small,
                        face: Face::Regular,
                        text: continuation.place_date.to_string(),
                        element: None,
                    },
                );
            }
            sheet.rules.push(Rule { x1: left, y1: top + 2.0, x2: right, y2: top + 2.0, width: 0.4 });
        }
        sheet.rules.push(Rule { x1: left, y1: footer_rule, x2: right, y2: footer_rule, width: 0.4 });
        let mut y = footer_rule + small_line + 0.3;
        for line in &footer_lines {
            place_line(sheet, line, left, y, small, if n == 0 { footer } else { None });
            y += small_line;
        }
    }
}

/// The sender's name and address on one line.
fn sender_text(frame: &Frame<'_>) -> String {
    let mut parts = vec![frame.company.to_string()];
    parts.extend(frame.address.iter().cloned());
    parts.join(", ")
}

/// `text` cut with an ellipsis to at most `width_mm`.
fn fit(font: &Font, text: &str, size: f32, width_mm: f32) -> String {
    if pt_to_mm(font.width(text, size)) <= width_mm {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if pt_to_mm(font.width(&out, size)) > width_mm - 3.0 {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// Starts a new page.
fn new_page(sheets: &mut Vec<Sheet>, y: &mut f32, empty: &mut bool, layout: &Layout) {
    sheets.push(Sheet::default());
    *y = layout.page.continuation_top;
    *empty = true;
}

/// Puts an item on the last page with its top at `y`.
fn put(sheets: &mut [Sheet], item: &Item, y: f32) {
    if let Some(sheet) = sheets.last_mut() {
        sheet.runs.extend(item.runs.iter().map(|r| Placed { y: r.y + y, ..r.clone() }));
        sheet.rules.extend(item.rules.iter().map(|r| Rule { y1: r.y1 + y, y2: r.y2 + y, ..*r }));
    }
}

/// Places a laid-out line with its start at `x` and baseline at `y`.
fn place_line(sheet: &mut Sheet, line: &Line, x: f32, y: f32, size: f32, element: Option<usize>) {
    for (text, face, offset) in &line.runs {
        sheet.runs.push(Placed { x: x + pt_to_mm(*offset), y, size, face: *face, text: text.clone(), element });
    }
}

/// The blocks as items: lines of paragraphs and rows of tables, with the glue that keeps
/// widows, orphans, headings and the signature from standing alone.
fn flow(column: &Column<'_>, blocks: &[Block], headers: &mut Vec<Vec<Item>>, tree: &mut Vec<Element>) -> Vec<Item> {
    let Column { fonts, left, width, size, line_height } = *column;
    let baseline = line_height * 0.72;
    let mut items: Vec<Item> = Vec::new();
    let count = blocks.len();
    let add = |tree: &mut Vec<Element>, role: &'static str, parent: usize| {
        tree.push(Element { role, parent: Some(parent) });
        tree.len() - 1
    };
    // The list the previous list item belongs to.
    let mut list: Option<usize> = None;
    for (index, block) in blocks.iter().enumerate() {
        if !matches!(block, Block::Para { marker: Some(_), .. }) {
            list = None;
        }
        match block {
            Block::Para { spans, level, marker, keep_together, keep_with_next, space } => {
                let indent = *level as f32 * LIST_INDENT;
                let (label, body) = match marker {
                    Some(_) => {
                        let l = *list.get_or_insert_with(|| add(tree, "L", 0));
                        let item = add(tree, "LI", l);
                        (Some(add(tree, "Lbl", item)), add(tree, "LBody", item))
                    }
                    None => (None, add(tree, if *keep_with_next { "H2" } else { "P" }, 0)),
                };
                let lines = break_lines(fonts, spans, size, (width - indent) * 72.0 / 25.4);
                let n = lines.len();
                // The closing block (signature) stays with the end of the paragraph before it.
                if index + 1 == count
                    && *keep_together
                    && let Some(last) = items.last_mut()
                {
                    last.glue = true;
                }
                for (i, line) in lines.iter().enumerate() {
                    let mut sheet = Sheet::default();
                    place_line(&mut sheet, line, left + indent, baseline, size, Some(body));
                    if i == 0
                        && let Some(m) = marker
                    {
                        sheet.runs.insert(
                            0,
                            Placed {
                                x: left + indent - LIST_INDENT * 0.75,
                                y: baseline,
                                size,
                                face: Face::Regular,
                                text: m.clone(),
                                element: label,
                            },
                        );
                    }
                    let last = i + 1 == n;
                    let glue = if last { *keep_with_next } else { *keep_together || n <= 3 || i == 0 || i + 2 == n };
                    items.push(Item {
                        height: line_height,
                        space: if i == 0 { space * line_height } else { 0.0 },
                        runs: sheet.runs,
                        rules: Vec::new(),
                        glue,
                        table: None,
                    });
                }
            }
            Block::Rule => items.push(Item {
                height: line_height,
                space: 0.3 * line_height,
                runs: Vec::new(),
                rules: vec![Rule {
                    x1: left,
                    y1: line_height * 0.5,
                    x2: left + width,
                    y2: line_height * 0.5,
                    width: 0.4,
                }],
                glue: false,
                table: None,
            }),
            Block::Table { aligns, head, rows } => {
                let table = headers.len();
                let columns = aligns.len().max(head.len()).max(rows.iter().map(Vec::len).max().unwrap_or(0));
                if columns == 0 {
                    continue;
                }
                let widths = column_widths(fonts, head, rows, columns, width, size);
                let table_element = add(tree, "Table", 0);
                let mut header = Vec::new();
                if head.iter().any(|c| c.iter().any(|s| !s.text.trim().is_empty())) {
                    let bold_head: Vec<Vec<Span>> = head
                        .iter()
                        .map(|c| {
                            c.iter().map(|s| Span { text: s.text.clone(), bold: true, italic: s.italic }).collect()
                        })
                        .collect();
                    let row = add(tree, "TR", table_element);
                    let cells: Vec<usize> = (0..widths.len()).map(|_| add(tree, "TH", row)).collect();
                    let mut item = row_item(column, &bold_head, aligns, &widths, &cells);
                    item.rules.push(Rule { x1: left, y1: item.height, x2: left + width, y2: item.height, width: 0.5 });
                    item.space = 0.7 * line_height;
                    item.glue = true;
                    item.table = Some((table, true));
                    header.push(item);
                }
                items.extend(header.iter().cloned());
                for (r, row) in rows.iter().enumerate() {
                    let tr = add(tree, "TR", table_element);
                    let cells: Vec<usize> = (0..widths.len()).map(|_| add(tree, "TD", tr)).collect();
                    let mut item = row_item(column, row, aligns, &widths, &cells);
                    let cells: Vec<&Vec<Span>> =
                        row.iter().filter(|c| c.iter().any(|s| !s.text.trim().is_empty())).collect();
                    let total =
                        !cells.is_empty() && cells.iter().all(|c| c.iter().all(|s| s.bold || s.text.trim().is_empty()));
                    if total {
                        item.rules.push(Rule { x1: left, y1: 0.0, x2: left + width, y2: 0.0, width: 0.5 });
                    }
                    if header.is_empty() && r == 0 {
                        item.space = 0.7 * line_height;
                    }
                    // The last two rows stay together, so a total never stands alone.
                    item.glue = r + 2 == rows.len();
                    item.table = Some((table, false));
                    items.push(item);
                }
                headers.push(header);
            }
        }
    }
    items
}

/// Column widths in millimetres: the columns after the first get their natural width (at most
/// a third of the line each); the first takes the rest, so amounts line up at the right margin.
fn column_widths(
    fonts: Faces<'_>,
    head: &[Vec<Span>],
    rows: &[Vec<Vec<Span>>],
    columns: usize,
    width: f32,
    size: f32,
) -> Vec<f32> {
    let mut natural = vec![0.0f32; columns];
    for (j, cell) in head.iter().enumerate().take(columns) {
        let w: f32 = cell.iter().map(|s| fonts.get(Face::of(true, s.italic)).width(s.text.trim(), size)).sum();
        natural[j] = natural[j].max(pt_to_mm(w));
    }
    for row in rows {
        for (j, cell) in row.iter().enumerate().take(columns) {
            let w: f32 = cell.iter().map(|s| fonts.get(Face::of(s.bold, s.italic)).width(s.text.trim(), size)).sum();
            natural[j] = natural[j].max(pt_to_mm(w));
        }
    }
    if columns == 1 {
        return vec![width];
    }
    let gaps = COLUMN_GAP * (columns - 1) as f32;
    let mut widths: Vec<f32> = natural.iter().map(|w| (w + 0.5).min(width / 3.0)).collect();
    let rest: f32 = widths[1..].iter().sum();
    widths[0] = (width - gaps - rest).max(width * 0.25);
    // Squeeze the others if the first could not get its share.
    let over = widths.iter().sum::<f32>() + gaps - width;
    if over > 0.0 {
        let others = columns as f32 - 1.0;
        for w in &mut widths[1..] {
            *w = (*w - over / others).max(5.0);
        }
    }
    widths
}

/// One table row as an item: each cell wrapped in its column and aligned.
fn row_item(column: &Column<'_>, row: &[Vec<Span>], aligns: &[Alignment], widths: &[f32], cells: &[usize]) -> Item {
    let Column { fonts, left, size, line_height, .. } = *column;
    let baseline = line_height * 0.72;
    let mut sheet = Sheet::default();
    let mut x = left;
    let mut lines_max = 1usize;
    for (j, width) in widths.iter().enumerate() {
        let Some(cell) = row.get(j) else { break };
        let lines = break_lines(fonts, cell, size, width * 72.0 / 25.4);
        lines_max = lines_max.max(lines.len());
        for (k, line) in lines.iter().enumerate() {
            let w = pt_to_mm(line.width);
            let at = match aligns.get(j) {
                Some(Alignment::Right) => x + width - w,
                Some(Alignment::Center) => x + (width - w) / 2.0,
                _ => x,
            };
            place_line(&mut sheet, line, at, baseline + k as f32 * line_height, size, cells.get(j).copied());
        }
        x += width + COLUMN_GAP;
    }
    Item {
        height: lines_max as f32 * line_height + 0.3 * line_height,
        space: 0.0,
        runs: sheet.runs,
        rules: Vec::new(),
        glue: false,
        table: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::pdf::{DEJAVU_SANS, DEJAVU_SANS_BOLD};

    fn fonts() -> [Font; 2] {
        [Font::from_bytes(DEJAVU_SANS.to_vec()).unwrap(), Font::from_bytes(DEJAVU_SANS_BOLD.to_vec()).unwrap()]
    }

    fn faces<'a>(regular: &'a Font, bold: &'a Font) -> Faces<'a> {
        Faces { regular, bold, italic: None, bold_italic: None }
    }

    const BODY: &str = "**Anna Kowalska**\\\nul. Długa 5\\\n00-950 Łódź\n\n\
                        [//]: # (place-date)\nWarszawa, 23 listopada 2026 r.\n\nSzanowna Pani,\n\n\
                        - jeden\n- dwa\n\n| Pozycja | Kwota |\n|:--|--:|\n| A | 1,00 zł |\n| **Razem** | **1,00 zł** |\n\n\
                        Z poważaniem\\\nDział\n";

    #[test]
    fn the_address_sits_in_the_window_and_amounts_align_right() {
        let [r, b] = fonts();
        let layout = Layout::default();
        let frame = Frame {
            company: "Firma",
            address: &["ul. Prosta 1".into()],
            contacts: &[],
            registration: None,
            subject: "Temat",
            page: &crate::markup::page(BODY),
            logo: None,
        };
        let (sheets, tree) = compose(faces(&r, &b), &layout, &frame).unwrap();
        assert_eq!(tree[0].role, "Document");
        let roles: Vec<&str> = tree.iter().map(|e| e.role).collect();
        for role in ["H1", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD"] {
            assert!(roles.contains(&role), "{role} in {roles:?}");
        }
        for sheet in &sheets {
            for run in sheet.runs.iter().filter_map(|r| r.element) {
                assert!(run < tree.len());
            }
        }
        assert_eq!(sheets.len(), 1);
        let run = |t: &str| sheets[0].runs.iter().find(|p| p.text == t).unwrap_or_else(|| panic!("{t}"));
        let name = run("Anna Kowalska");
        let w = &layout.window;
        assert!(name.x >= w.left && name.y > w.top + w.return_zone && name.y < w.top + w.height);
        let amounts: Vec<&Placed> = sheets[0].runs.iter().filter(|p| p.text == "1,00 zł").collect();
        assert_eq!(amounts.len(), 2);
        let end = |p: &Placed| p.x + pt_to_mm(if p.face.is_bold() { &b } else { &r }.width(&p.text, p.size));
        assert!((end(amounts[0]) - end(amounts[1])).abs() < 0.01);
        assert!((end(amounts[0]) - 190.0).abs() < 0.01);
        assert!(sheets[0].runs.iter().any(|p| p.text == "1/1"));
    }

    #[test]
    fn a_long_table_paginates_with_headers_and_numbers() {
        let [r, b] = fonts();
        let mut md = String::from("Wstęp.\n\n| Pozycja | Kwota |\n|:--|--:|\n");
        for i in 0..200 {
            md.push_str(&format!("| Pozycja {i} | {i},00 zł |\n"));
        }
        md.push_str("\nZ poważaniem\\\nDział\n");
        let page = crate::markup::page(&md);
        let frame = Frame {
            company: "F",
            address: &[],
            contacts: &[],
            registration: None,
            subject: "S",
            page: &page,
            logo: None,
        };
        let (sheets, _) = compose(faces(&r, &b), &Layout::default(), &frame).unwrap();
        assert!(sheets.len() >= 4, "{}", sheets.len());
        let n = sheets.len();
        for (i, sheet) in sheets.iter().enumerate() {
            assert!(sheet.runs.iter().any(|p| p.text == format!("{}/{n}", i + 1)));
            if i > 0 {
                assert!(
                    sheet.runs.iter().any(|p| p.text == "Pozycja" && p.face == Face::Bold),
                    "header repeated on {i}"
                );
            }
            for p in &sheet.runs {
                assert!(p.y < 297.0 && p.y > 0.0);
            }
        }
        let last = &sheets[n - 1];
        assert!(last.runs.iter().any(|p| p.text == "Dział"));
    }

    #[test]
    fn an_address_too_long_for_the_window_is_an_error() {
        let [r, b] = fonts();
        let md = format!(
            "{}\n\n{}\nWarszawa, 1 stycznia 2026 r.\n",
            "Linia\\\n".repeat(12),
            crate::markup::page::PLACE_DATE_MARK
        );
        let page = crate::markup::page(&md);
        let frame = Frame {
            company: "F",
            address: &[],
            contacts: &[],
            registration: None,
            subject: "S",
            page: &page,
            logo: None,
        };
        let err = compose(faces(&r, &b), &Layout::default(), &frame).unwrap_err().to_string();
        assert!(err.contains("window"), "{err}");
    }

    #[test]
    fn no_paragraph_leaves_a_single_line_at_a_page_break() {
        let [r, b] = fonts();
        let sentence = "Uprzejmie informujemy, że sprawa została rozpatrzona zgodnie z regulaminem. ";
        let mut md = String::new();
        for i in 0..60 {
            md.push_str(&sentence.repeat(2 + i % 5));
            md.push_str("\n\n");
        }
        md.push_str("Z poważaniem\\\nDział Obsługi\\\nFirma\n");
        let page = crate::markup::page(&md);
        let frame = Frame {
            company: "F",
            address: &[],
            contacts: &[],
            registration: None,
            subject: "S",
            page: &page,
            logo: None,
        };
        let (sheets, tree) = compose(faces(&r, &b), &Layout::default(), &frame).unwrap();
        assert!(sheets.len() >= 3, "{} pages", sheets.len());
        // Lines per body paragraph on each page (one run per line here: one face, no lists).
        let lines = |sheet: &Sheet, element: usize| {
            let mut ys: Vec<i64> =
                sheet.runs.iter().filter(|p| p.element == Some(element)).map(|p| (p.y * 10.0) as i64).collect();
            ys.dedup();
            ys.len()
        };
        for pair in sheets.windows(2) {
            // The footer is the tree's last element; the body's last paragraph on the page is
            // the highest one below it.
            let footer = tree.len() - 1;
            let last = pair[0]
                .runs
                .iter()
                .filter_map(|p| p.element)
                .filter(|&e| tree[e].role == "P" && e != footer)
                .max()
                .unwrap();
            let (before, after) = (lines(&pair[0], last), lines(&pair[1], last));
            if after > 0 {
                assert!(before >= 2 && after >= 2, "paragraph split {before} / {after}");
            }
        }
        let signature = sheets.last().unwrap();
        assert!(signature.runs.iter().any(|p| p.text == "Dział Obsługi"));
        // The signature never opens a page: some paragraph text comes before it there.
        let first_body = signature.runs.iter().find(|p| p.element.is_some_and(|e| tree[e].role == "P")).unwrap();
        assert!(first_body.text != "Z poważaniem", "the signature stands alone");
    }
}
