#!/usr/bin/env python3
"""Writes invoice records as a real spreadsheet, the way a billing department's tools do, for
`missive batch --data FILE.xlsx|FILE.ods` tests: openpyxl for .xlsx, odfpy for .ods (both
installed by scripts/test.sh).

    make_workbook.py OUT.xlsx                 the test workbook (below)
    make_workbook.py OUT.xlsx --reversed      the same rows, the data rows in reverse order
    make_workbook.py OUT.xlsx --shared-strings  text in a shared-strings table, as Excel writes it
    make_workbook.py OUT.ods                  the test workbook as OpenDocument
    make_workbook.py OUT.ods --rows 20000     N good rows as OpenDocument (odfpy is slow)
    make_workbook.py OUT.xlsx --rows 100000   N good rows, for measuring memory: text in the
                                              shared-strings table, as Excel writes it
    make_workbook.py OUT.xlsx --rows 100000 --inline   the same, text in the cells (inline
                                              strings, as openpyxl and some exporters write it)

The test workbook: sheet "Faktury" (first) with typed cells — a whole-number key, dates and a
date-time, a number and a text amount, Polish text, an empty cell, a row whose e-mail is bad,
a row whose total is the error #DIV/0!, and a blank row before the last record — and a second
sheet "Inne" with one record.
"""

import datetime
import sys

HEADER = ["key", "locale", "_today", "customer.name", "customer.gender", "customer.email",
          "invoice.number", "invoice.total", "invoice.due", "customer.address.street",
          "customer.address.city"]

TODAY = datetime.date(2026, 11, 23)

# Row 2 onwards; None is an empty cell, ERROR a formula error cell.
ERROR = object()
ROWS = [
    [1001, "pl", TODAY, "Żaneta Gęś", "female", "zaneta@example.pl", "FV/2026/11/0001", 1234.5,
     datetime.date(2026, 12, 7), "ul. Piotrkowska 1", "90-001 Łódź"],
    ["K2", "en", TODAY, "Jan Nowak", None, "jan@example.pl", "FV/2026/11/0002", "99.99 PLN",
     datetime.datetime(2026, 12, 8, 10, 30), None, None],
    ["K3", "pl", TODAY, "Ewa Świątek", "female", "to nie jest adres", "FV/2026/11/0003", 10,
     datetime.date(2026, 12, 9), None, None],
    ["K4", "pl", TODAY, "Łucja Żak", "female", "lucja@example.pl", "FV/2026/11/0004", ERROR,
     datetime.date(2026, 12, 10), None, None],
    None,  # a blank row
    ["K5", "pl", TODAY, "Zenon Źdźbło", "male", "zenon@example.pl", "FV/2026/11/0005", 7,
     datetime.date(2026, 12, 11), None, None],
]
OTHER = [["K9", "pl", TODAY, "Maria Kowalska", "female", "maria@example.pl", "FV/2026/11/0009", 5.25,
          datetime.date(2026, 12, 14), None, None]]


def xlsx(path, rows):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Faktury"
    sheet.append(HEADER)
    for n, row in enumerate(rows, start=2):
        if row is None:
            continue
        for col, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=n, column=col)
            if value is ERROR:
                cell.value = "#DIV/0!"  # openpyxl stores it as an error cell (t="e")
                assert cell.data_type == "e", cell.data_type
            else:
                cell.value = value
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    other = book.create_sheet("Inne")
    other.append(HEADER)
    for row in OTHER:
        other.append(row)
    book.save(path)


def many_rows(n):
    for i in range(1, n + 1):
        yield [f"INV-{i:08d}", "pl", TODAY, f"Klient Łódzki {i}", "female", f"klient{i}@example.pl",
               f"FV/2026/11/{i % 10000:04d}", round(10 + (i * 37 % 100000) / 100, 2),
               datetime.date(2026, 12, 7), f"ul. Piotrkowska {i % 300 + 1}", "90-001 Łódź"]


def xlsx_many(path, n, inline):
    import openpyxl
    book = openpyxl.Workbook(write_only=inline)
    if inline:
        sheet = book.create_sheet("Faktury")
    else:
        sheet = book.active
        sheet.title = "Faktury"
    sheet.append(HEADER)
    for row in many_rows(n):
        sheet.append(row)
    book.save(path)


def to_shared_strings(path):
    """Moves every inline string of the workbook's sheets into a shared-strings table, as Excel
    writes a workbook (openpyxl writes inline strings)."""
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    table, index = [], {}
    cell = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)

    def shared(m):
        text = m.group(3)
        if text not in index:
            index[text] = len(table)
            table.append(text)
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (m.group(1), m.group(2), index[text])

    for name in list(parts):
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = cell.sub(shared, parts[name])
    items = b"".join(b'<si><t xml:space="preserve">' + t + b"</t></si>" for t in table)
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                     b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                     b'count="%d" uniqueCount="%d">' % (len(table), len(table)) + items + b"</sst>")
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdShared" /></Relationships>')
    types = "[Content_Types].xml"
    parts[types] = parts[types].replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def ods(path, rows):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    doc = OpenDocumentSpreadsheet()

    def cell(value):
        if value is None:
            return TableCell()
        if value is ERROR:
            raise ValueError("odfpy writes no error cells")
        if isinstance(value, datetime.datetime):
            c = TableCell(valuetype="date", datevalue=value.strftime("%Y-%m-%dT%H:%M:%S"))
        elif isinstance(value, datetime.date):
            c = TableCell(valuetype="date", datevalue=value.isoformat())
        elif isinstance(value, (int, float)):
            c = TableCell(valuetype="float", value=value)
        else:
            c = TableCell(valuetype="string")
        c.addElement(P(text=str(value)))
        return c

    for name, sheet_rows in [("Faktury", rows), ("Inne", OTHER)]:
        table = Table(name=name)
        for row in [HEADER] + sheet_rows:
            tr = TableRow()
            for value in (row or []):
                tr.addElement(cell(value))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(path)


def main():
    args = sys.argv[1:]
    path = args[0]
    if "--rows" in args and path.endswith(".ods"):
        ods(path, list(many_rows(int(args[args.index("--rows") + 1]))))
        return
    if "--rows" in args:
        xlsx_many(path, int(args[args.index("--rows") + 1]), True)
        if "--inline" not in args:
            to_shared_strings(path)
        return
    rows = list(ROWS)
    if "--reversed" in args:
        rows.reverse()
    if path.endswith(".ods"):
        # No error cell in .ods (odfpy cannot write one): that row's total is text instead.
        rows = [r if r is None or ERROR not in r else [("#DIV/0!" if v is ERROR else v) for v in r] for r in rows]
        ods(path, rows)
    else:
        xlsx(path, rows)
        if "--shared-strings" in args:
            to_shared_strings(path)


if __name__ == "__main__":
    main()
