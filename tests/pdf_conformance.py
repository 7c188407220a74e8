#!/usr/bin/env python3
"""The machine-checkable clauses of PDF/A-3b and PDF/UA-1 that missive's letters must meet,
checked with pikepdf (docs/pdf.md lists them). This is not veraPDF: it checks these clauses
and no others. Prints one line per clause, PASS or FAIL with why; exits 1 if any failed.

A letter with embedded files gets the associated-file clauses too (PDF/A-3 6.8, PDF/UA-1
7.11); with --attachments DIR each embedded file's bytes are compared with DIR's file of the same
name, read through pikepdf's attachments API and through the raw objects.

Usage: tests/pdf_conformance.py LETTER.pdf [--expect pdf/a-3b|pdf/ua-1|both] [--attachments DIR]"""
import hashlib
import os
import re
import sys
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Dictionary, Name, Stream

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
PAINTING = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI", "INLINE IMAGE"}
FORBIDDEN_ACTIONS = {"JavaScript", "Launch", "Sound", "Movie", "ResetForm", "ImportData", "Hide",
                     "SetOCGState", "Rendition", "Trans", "GoTo3DView"}

results = []


def clause(name, ok, why=""):
    results.append((name, bool(ok), why))


def xmp_value(root, path):
    """Text of the first element at `path` (an ElementTree path) in any rdf:Description."""
    for desc in root.iter("{%s}Description" % NS["rdf"]):
        found = desc.find(path, NS)
        if found is not None:
            return "".join(found.itertext()).strip()
    return None


def info_date(value):
    """`D:YYYYMMDD…` as `YYYY-MM-DD…` for comparing with XMP."""
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", str(value))
    return "-".join(g for g in m.groups() if g) if m else None


def walk(obj, seen, visit):
    """Every dictionary and stream reachable from obj, once."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (Dictionary, Stream)) or isinstance(o, pikepdf.Array):
            key = o.objgen if o.is_indirect else None
            if key is not None and key != (0, 0):
                if key in seen:
                    continue
                seen.add(key)
            if isinstance(o, pikepdf.Array):
                stack.extend(o)
                continue
            visit(o)
            for k in list(o.keys()):
                if k in ("/Parent", "/P", "/Pg"):
                    continue
                stack.append(o[k])


def main():
    path = sys.argv[1]
    expect = sys.argv[sys.argv.index("--expect") + 1] if "--expect" in sys.argv else "both"
    archival = expect in ("pdf/a-3b", "both")
    accessible = expect in ("pdf/ua-1", "both")
    with open(path, "rb") as f:
        head = f.read(32)
    pdf = pikepdf.open(path)
    root = pdf.Root
    info = pdf.trailer.get("/Info", Dictionary())

    clause("header: %PDF-1.x followed by a comment of four bytes above 127",
           re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", head), repr(head[:16]))
    clause("no encryption", "/Encrypt" not in pdf.trailer and not pdf.is_encrypted)
    clause("trailer /ID", "/ID" in pdf.trailer and len(pdf.trailer.ID) == 2)

    # XMP identification and its agreement with the Info dictionary.
    meta = root.get("/Metadata")
    xmp = None
    if isinstance(meta, Stream):
        clause("XMP metadata stream is not filtered", "/Filter" not in meta, str(meta.get("/Filter")))
        try:
            xmp = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", meta.read_bytes()).strip())
        except ET.ParseError as e:
            clause("XMP parses as XML", False, str(e))
    clause("catalog /Metadata holds XMP", xmp is not None)
    if xmp is not None:
        part = xmp_value(xmp, "pdfaid:part")
        conf = xmp_value(xmp, "pdfaid:conformance")
        ua = xmp_value(xmp, "pdfuaid:part")
        if archival:
            clause("XMP pdfaid:part 3, conformance B", (part, conf) == ("3", "B"), f"{part}/{conf}")
        if accessible:
            clause("XMP pdfuaid:part 1", ua == "1", str(ua))
        if archival and accessible:
            schemas = meta.read_bytes().decode("utf-8")
            clause("XMP declares the pdfuaid extension schema for PDF/A",
                   "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in schemas)
        title = xmp_value(xmp, "dc:title/rdf:Alt/rdf:li")
        clause("dc:title present and equal to Info /Title", title and title == str(info.get("/Title", "")),
               f"{title!r} vs {str(info.get('/Title', ''))!r}")
        creator = xmp_value(xmp, "dc:creator/rdf:Seq/rdf:li")
        clause("dc:creator equals Info /Author", creator == str(info.get("/Author", "")), repr(creator))
        desc = xmp_value(xmp, "dc:description/rdf:Alt/rdf:li")
        clause("dc:description equals Info /Subject", desc == str(info.get("/Subject", "")), repr(desc))
        lang = xmp_value(xmp, "dc:language/rdf:Bag/rdf:li")
        clause("dc:language equals the catalog's /Lang", lang and lang == str(root.get("/Lang", "")), repr(lang))
        clause("xmp:CreatorTool equals Info /Creator",
               xmp_value(xmp, "xmp:CreatorTool") == str(info.get("/Creator", "")))
        clause("pdf:Producer equals Info /Producer", xmp_value(xmp, "pdf:Producer") == str(info.get("/Producer", "")))
        for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            clause(f"{prop} equals Info {key}",
                   xmp_value(xmp, prop) == info_date(info.get(key, "")),
                   f"{xmp_value(xmp, prop)} vs {info.get(key)}")

    # Output intent with an embedded ICC profile.
    if archival:
        intents = root.get("/OutputIntents", pikepdf.Array())
        pdfa = [i for i in intents if i.get("/S") == Name.GTS_PDFA1]
        clause("one GTS_PDFA1 output intent", len(pdfa) == 1, f"{len(pdfa)} found")
        if pdfa:
            profile = pdfa[0].get("/DestOutputProfile")
            icc = profile.read_bytes() if isinstance(profile, Stream) else b""
            clause("output intent's ICC profile is embedded, RGB, /N 3, version 2 or 4",
                   len(icc) > 128 and icc[36:40] == b"acsp" and icc[16:20] == b"RGB "
                   and int(profile.get("/N", 0)) == 3 and icc[8] in (2, 4),
                   f"{len(icc)} bytes")
            clause("output intent names its condition", "/OutputConditionIdentifier" in pdfa[0])

    # Fonts embedded, with ToUnicode; no transparency groups; no forbidden actions.
    fonts, problems, forbidden, groups, images = [], [], [], [], []

    def visit(o):
        t = o.get("/Type")
        if t == Name.Font or o.get("/Subtype") in (Name.Type0, Name.TrueType, Name.Type1, Name.Type3):
            if o.get("/Subtype") == Name.Type0 or "/FontDescriptor" in o or o.get("/Subtype") == Name.Type3:
                fonts.append(o)
        if o.get("/S") is not None and str(o.get("/S"))[1:] in FORBIDDEN_ACTIONS:
            forbidden.append(str(o.get("/S")))
        for key in ("/JS", "/AA"):
            if key in o:
                forbidden.append(key)
        g = o.get("/Group")
        if isinstance(g, Dictionary) and g.get("/S") == Name.Transparency:
            groups.append(o.objgen if o.is_indirect else "direct")
        if o.get("/Subtype") == Name.Image:
            images.append(o)

    walk(root, set(), visit)
    names = root.get("/Names", Dictionary())
    if "/JavaScript" in names:
        forbidden.append("/Names /JavaScript")
    top = [f for f in fonts if f.get("/Subtype") != Name.CIDFontType2 and f.get("/Subtype") != Name.CIDFontType0]
    for f in top:
        base = str(f.get("/BaseFont", "?"))
        described = f.DescendantFonts[0] if f.get("/Subtype") == Name.Type0 else f
        fd = described.get("/FontDescriptor", Dictionary())
        if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"{base} is not embedded")
        if "/ToUnicode" not in f:
            problems.append(f"{base} has no ToUnicode")
        if described.get("/Subtype") == Name.CIDFontType2 and "/CIDToGIDMap" not in described:
            problems.append(f"{base} has no CIDToGIDMap")
        if not re.match(r"/[A-Z]{6}\+", base):
            problems.append(f"{base} is not a subset")
    clause("every font embedded, subset, with ToUnicode", top and not problems, "; ".join(problems) or f"{len(top)} fonts")
    clause("no JavaScript, Launch or other forbidden actions, no additional actions", not forbidden, ", ".join(forbidden))
    clause("no transparency groups", not groups, str(groups))
    bad_images = [i.objgen for i in images if i.get("/Interpolate") is True or "/Alternates" in i or "/OPI" in i]
    clause("images: no /Interpolate true, /Alternates or /OPI (an /SMask is allowed)", not bad_images, str(bad_images))

    # Tagging: structure tree, mark info, role map, language, title shown.
    str_root = root.get("/StructTreeRoot")
    clause("catalog /MarkInfo /Marked true", root.get("/MarkInfo", {}).get("/Marked") is True)
    clause("catalog /StructTreeRoot with /ParentTree", isinstance(str_root, Dictionary) and "/ParentTree" in str_root)
    clause("structure tree /RoleMap", isinstance(str_root, Dictionary) and isinstance(str_root.get("/RoleMap"), Dictionary))
    clause("catalog /Lang", len(str(root.get("/Lang", ""))) >= 2, str(root.get("/Lang")))
    clause("/ViewerPreferences /DisplayDocTitle true",
           root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is True)

    # Structure elements: MCIDs they own, figures with /Alt.
    owned = set()
    figures, no_alt = 0, 0
    page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
    if isinstance(str_root, Dictionary):
        stack = [(str_root.get("/K"), None)]
        while stack:
            k, pg = stack.pop()
            if k is None:
                continue
            if isinstance(k, pikepdf.Array):
                stack.extend((x, pg) for x in k)
            elif isinstance(k, int):
                owned.add((page_index.get(pg), int(k)))
            elif isinstance(k, Dictionary):
                if k.get("/Type") == Name.MCR:
                    owned.add((page_index.get(k.Pg.objgen), int(k.MCID)))
                elif "/S" in k:
                    mine = k.Pg.objgen if "/Pg" in k else pg
                    if k.S == Name.Figure:
                        figures += 1
                        no_alt += not str(k.get("/Alt", "")).strip()
                    stack.append((k.get("/K"), mine))
    clause("every Figure has non-empty /Alt", no_alt == 0, f"{figures} figures, {no_alt} without")

    # Content: every painting operator inside a tagged sequence (with an MCID) or an artifact,
    # every MCID owned by a structure element and every owned MCID on its page.
    untagged, seen = [], set()
    for index, page in enumerate(pdf.pages):
        if "/StructParents" not in page:
            untagged.append(f"page {index + 1} has no /StructParents")
        stack = []
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = None
                if op == "BDC" and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                    seen.add((index, mcid))
                stack.append((tag, mcid))
            elif op == "EMC":
                if not stack:
                    untagged.append(f"page {index + 1}: EMC without BDC")
                else:
                    stack.pop()
            elif op in PAINTING:
                if not any(t == "/Artifact" or m is not None for t, m in stack):
                    untagged.append(f"page {index + 1}: {op} outside tagged content and artifacts")
        if stack:
            untagged.append(f"page {index + 1}: unclosed marked content")
    clause("every painting operator is tagged content or an artifact", not untagged, "; ".join(untagged[:5]))
    clause("every MCID in the content belongs to a structure element, and back",
           seen == owned and seen, f"{len(seen)} in content, {len(owned)} in the tree")

    associated_files(pdf, root)

    failed = [r for r in results if not r[1]]
    for name, ok, why in results:
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f" ({why})" if why and not ok else ""))
    print(f"{len(results) - len(failed)} of {len(results)} clauses pass")
    sys.exit(1 if failed else 0)


RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"}


def name_tree(node, out, depth=0):
    """(key, value) pairs of a name tree, in the order its leaves list them."""
    if depth > 32:
        return
    names = node.get("/Names")
    if names is not None:
        out.extend((bytes(names[i]), names[i + 1]) for i in range(0, len(names) - 1, 2))
    for kid in node.get("/Kids", []):
        name_tree(kid, out, depth + 1)


def associated_files(pdf, root):
    """The clauses for embedded files, when the letter has any: each is a PDF/A-3 associated
    file of the document with its MIME type, size and relationship, named in the name tree."""
    specs = [o for o in pdf.objects if isinstance(o, Dictionary) and o.get("/Type") == Name.Filespec
             and "/EF" in o]
    tree = []
    name_tree(root.get("/Names", Dictionary()).get("/EmbeddedFiles", Dictionary()), tree)
    if not specs and not tree:
        return
    folder = sys.argv[sys.argv.index("--attachments") + 1] if "--attachments" in sys.argv else None
    af = [f.objgen for f in root.get("/AF", [])]
    no_name, no_rel, no_mime, bad_size, bad_sum, not_af, differ = [], [], [], [], [], [], []
    for spec in specs:
        name = str(spec.get("/UF", spec.get("/F", "?")))
        if "/F" not in spec or "/UF" not in spec:
            no_name.append(name)
        if str(spec.get("/AFRelationship")) not in RELATIONSHIPS:
            no_rel.append(f"{name}: {spec.get('/AFRelationship')}")
        stream = spec.EF.get("/F")
        data = stream.read_bytes() if isinstance(stream, Stream) else b""
        if not isinstance(stream, Stream) or not re.fullmatch(r"/[a-z]+/[a-z0-9.+-]+", str(stream.get("/Subtype", ""))):
            no_mime.append(f"{name}: {stream.get('/Subtype') if isinstance(stream, Stream) else 'no stream'}")
        params = stream.get("/Params", Dictionary()) if isinstance(stream, Stream) else Dictionary()
        if params.get("/Size") is None or int(params.get("/Size")) != len(data):
            bad_size.append(f"{name}: /Size {params.get('/Size')}, {len(data)} bytes")
        if "/CheckSum" in params and bytes(params.CheckSum) != hashlib.md5(data).digest():
            bad_sum.append(name)
        if spec.objgen not in af:
            not_af.append(name)
        if folder is not None:
            with open(os.path.join(folder, name), "rb") as f:
                if f.read() != data:
                    differ.append(name)
    clause("every embedded file's Filespec has /F and /UF", not no_name, ", ".join(no_name))
    clause("every embedded file has an /AFRelationship PDF/A-3 names", not no_rel, "; ".join(no_rel))
    clause("every embedded file stream has its MIME type as /Subtype", not no_mime, "; ".join(no_mime))
    clause("every embedded file's /Params /Size is its length (and its /CheckSum its MD5)",
           not bad_size and not bad_sum, "; ".join(bad_size + bad_sum))
    clause("every embedded file is in the catalog's /AF", not_af == [] and len(af) == len(specs),
           f"{len(af)} in /AF, {len(specs)} embedded; missing: {', '.join(not_af)}")
    keys = [k for k, _ in tree]
    clause("the /EmbeddedFiles name tree lists every embedded file, sorted by name",
           keys == sorted(keys) and sorted(v.objgen for _, v in tree) == sorted(s.objgen for s in specs),
           f"{len(tree)} names, {len(specs)} files")
    if folder is not None:
        clause("every embedded file's bytes are the attachment's", not differ, ", ".join(differ))
        api = {name: a.get_file().read_bytes() for name, a in pdf.attachments.items()}
        wrong = [n for n, data in api.items() if open(os.path.join(folder, n), "rb").read() != data]
        clause("pikepdf's attachments API returns each file with its bytes",
               len(api) == len(specs) and not wrong, f"{sorted(api)}; differ: {wrong}")


if __name__ == "__main__":
    main()
