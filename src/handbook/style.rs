//! The HTML handbook's styles.

/// The page's styles: a quiet handbook on screen, one pack per page on paper.
pub(super) const CSS: &str = r#"
:root {
  --ink: #1d232b; --muted: #5b6573; --line: #d5dbe3; --soft: #f3f5f8; --accent: #1f4e79;
  --always: #2e7d32; --never: #b3261e; --keep: #a05a00;
  --never-bg: #fdecea; --never-head: #f6d2cd; --instead-bg: #e9f6ec; --instead-head: #cdeacf;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: #eef1f5; color: var(--ink);
  font: 16px/1.55 "Segoe UI", "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
}
.page {
  max-width: 58rem; margin: 2rem auto; padding: 2.75rem 3.25rem 3rem; background: #fff;
  border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 1px 3px rgba(0, 0, 0, .06);
}
a { color: var(--accent); }
h1, h2, h3, h4 { line-height: 1.25; color: #111820; }
h1 { font-size: 2rem; margin: .2rem 0 1.1rem; }
h2 { font-size: 1.5rem; margin: 2.75rem 0 .6rem; padding-bottom: .35rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: .95rem; margin: 1.9rem 0 .2rem; text-transform: uppercase; letter-spacing: .07em; }
h4 { font-size: 1.05rem; margin: 0 0 .3rem; }
p { margin: .45rem 0; }
.kicker { margin: 0; color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .09em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0 0 1.25rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
.intro { max-width: 46rem; color: #2c3440; }
nav.toc { margin: 1.75rem 0 0; padding: 1rem 1.4rem; background: var(--soft); border-radius: 6px; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .4rem; border: 0; padding: 0; text-transform: uppercase; letter-spacing: .07em; }
nav.toc ol { margin: 0; padding-left: 1.4rem; columns: 2; column-gap: 2.5rem; }
nav.toc li { break-inside: avoid; padding: .1rem 0; }
nav.toc .count { color: var(--muted); font-size: .85rem; }
.pack-meta { color: var(--muted); font-size: .9rem; margin: 0 0 .5rem; }
.pack-meta strong { color: var(--ink); font-weight: 600; }
.description { font-size: 1.02rem; max-width: 46rem; }
.group > .blurb { margin: 0 0 .8rem; color: var(--muted); font-size: .9rem; font-style: italic; }
.always > h3 { color: var(--always); }
.never > h3 { color: var(--never); }
.keep > h3 { color: var(--keep); }
.rule {
  margin: 0 0 .9rem; padding: .85rem 1.1rem .8rem; border: 1px solid var(--line);
  border-left: 4px solid var(--accent); border-radius: 4px; break-inside: avoid;
}
.always .rule { border-left-color: var(--always); }
.never .rule { border-left-color: var(--never); }
.keep .rule { border-left-color: var(--keep); }
.rule-meta { margin: 0 0 .55rem; color: var(--muted); font-size: .82rem; display: flex; flex-wrap: wrap; gap: .2rem .55rem; align-items: baseline; }
.rule-meta .kind { color: var(--muted); text-decoration: none; border-bottom: 1px dotted #9aa4b1; }
.rule-meta .kind:hover { color: var(--accent); }
code, pre { font-family: "SFMono-Regular", Consolas, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; }
code { font-size: .86em; background: var(--soft); padding: .05em .3em; border-radius: 3px; }
code.id { font-size: .76rem; color: #3a4350; border: 1px solid var(--line); background: #fafbfc; }
.sev { font-size: .68rem; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; padding: .1rem .5rem; border-radius: 999px; }
.sev-error { background: #fde2df; color: #8c1d18; }
.sev-warning { background: #fff0c2; color: #6d4500; }
.sev-info { background: #e2edf9; color: #1f4e79; }
.lead { margin: .4rem 0 .25rem; }
ul.langs { list-style: none; margin: 0 0 .4rem; padding: 0; }
ul.langs li { margin: .2rem 0; }
.lang { display: inline-block; min-width: 5.5rem; color: var(--muted); font-size: .88rem; }
.phrase { display: inline-block; margin: .1rem .15rem; padding: 0 .4rem; background: #f4f6f9; border: 1px solid var(--line); border-radius: 3px; }
ul.fields { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
.limit { display: inline-block; margin: .2rem 0 .3rem; padding: .2rem .65rem; background: #fff3dc; border: 1px solid #f0d9a8; border-radius: 4px; color: #4d3300; font-weight: 600; }
.why { margin-top: .55rem; color: #37404c; }
.why strong { color: var(--ink); }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 .9rem; font-size: .94rem; }
th, td { border: 1px solid var(--line); padding: .4rem .65rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; }
table.swap { table-layout: fixed; }
table.swap caption { caption-side: top; text-align: left; font-size: .85rem; font-weight: 600; color: var(--muted); padding: .2rem 0; }
table.swap th.never { background: var(--never-head); color: #7f1d17; width: 42%; }
table.swap th.instead { background: var(--instead-head); color: #1b5e20; }
table.swap td.never { background: var(--never-bg); color: #5f1611; }
table.swap td.instead { background: var(--instead-bg); }
table.swap .phrase { display: inline; margin: 0; padding: 0; background: none; border: 0; }
.same { color: var(--muted); font-style: italic; font-size: .88rem; }
table.letters td:nth-child(n+2):nth-child(-n+4), table.calendar td:nth-child(n+2) { white-space: nowrap; }
table.letters .template-id { display: block; margin-top: .15rem; font-size: .78rem; color: var(--muted); background: none; padding: 0; }
table.letters, table.calendar { font-size: .9rem; }
.appendix section { break-inside: avoid; margin-top: 1.4rem; padding-top: .2rem; border-top: 1px solid var(--line); }
.appendix h3 { text-transform: none; letter-spacing: 0; font-size: 1.15rem; margin: .6rem 0 .2rem; }
.appendix h3 code { font-size: 1em; background: none; padding: 0; color: var(--accent); }
.appendix dl { margin: 0; }
.appendix dt { font-weight: 600; margin-top: .5rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.appendix dd { margin: .1rem 0 .3rem; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: .6rem .8rem; font-size: .85rem; overflow-x: auto; }
pre code { background: none; padding: 0; font-size: inherit; }
footer { margin-top: 2.5rem; padding-top: .8rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .8rem; }
@media (max-width: 40rem) {
  .page { margin: 0; padding: 1.25rem; border: 0; border-radius: 0; }
  nav.toc ol { columns: 1; }
}
@media print {
  @page { size: A4; margin: 16mm 15mm 18mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 10.5pt; }
  .page { max-width: none; margin: 0; padding: 0; border: 0; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
  .pack, #reviews, #letters, #how { break-before: page; }
  h2, h3, h4, .group > .blurb, .pack-meta, .rule-meta, .lead { break-after: avoid; }
  tr, .rule, table.swap { break-inside: avoid; }
  nav.toc { background: none; border: 1px solid var(--line); }
}
"#;
