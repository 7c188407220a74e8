//! What PDF/A-3b and PDF/UA-1 add to a letter: the XMP metadata stream that identifies the
//! file (and repeats the Info dictionary's title, author, subject, dates and producer), the
//! sRGB output intent with its ICC profile, and the associated files PDF/A-3 allows (a
//! structured e-invoice embedded beside the printed one). The clauses checked are listed in
//! `docs/pdf.md`; no validator (veraPDF) runs here.

use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::{Conformance, EmbeddedFile, Metadata, compressed, text_string};

/// The sRGB IEC 61966-2.1 profile of Debian's `icc-profiles-free` (zlib licence, in
/// `assets/pdf/LICENSE-sRGB-icc.txt`).
pub const SRGB_ICC: &[u8] = include_bytes!("../../../assets/pdf/sRGB.icc");

/// The producer, as the Info dictionary and the XMP both name it.
pub(crate) const PRODUCER: &str = concat!("missive ", env!("CARGO_PKG_VERSION"));

/// The output intent (an sRGB ICC profile, deflated once per process) added to `doc`.
pub(crate) fn output_intent(doc: &mut Document) -> Object {
    static PROFILE: OnceLock<Stream> = OnceLock::new();
    let profile = PROFILE.get_or_init(|| {
        use std::io::Write as _;
        let dict = Dictionary::from_iter(vec![("N", Object::Integer(3))]);
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        match encoder.write_all(SRGB_ICC).and_then(|()| encoder.finish()) {
            Ok(deflated) => {
                let mut stream = Stream::new(dict, deflated);
                stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream
            }
            // Deflating into memory does not fail; if it did, the plain profile is as valid.
            Err(_) => Stream::new(dict, SRGB_ICC.to_vec()),
        }
    });
    let profile_id = doc.add_object(profile.clone());
    Object::Dictionary(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", Object::string_literal("sRGB IEC61966-2.1")),
        ("RegistryName", Object::string_literal("http://www.color.org")),
        ("Info", Object::string_literal("sRGB IEC61966-2.1")),
        ("DestOutputProfile", Object::Reference(profile_id)),
    ]))
}

/// The associated files of the document, each an `/EmbeddedFile` stream (deflated; its MIME
/// type as `/Subtype`; `/Params` with its `/Size`, its MD5 `/CheckSum` and `date`, the
/// letter's, as `/ModDate`: never the clock) under a `/Filespec` with `/F` (ASCII), `/UF`,
/// `/Desc` when given and `/AFRelationship`. Returns the catalog's `/AF` array (in the order
/// given) and its `/Names` dictionary, whose `/EmbeddedFiles` name tree lists them sorted by
/// name as PDF requires.
pub(crate) fn embedded_files(doc: &mut Document, files: &[EmbeddedFile<'_>], date: Object) -> (Object, Object) {
    use md5::Digest as _;
    let mut associated = Vec::with_capacity(files.len());
    let mut names: Vec<(Vec<u8>, ObjectId)> = Vec::with_capacity(files.len());
    for file in files {
        let params = Dictionary::from_iter(vec![
            ("Size", Object::Integer(file.bytes.len() as i64)),
            ("CheckSum", Object::String(md5::Md5::digest(file.bytes).to_vec(), StringFormat::Hexadecimal)),
            ("ModDate", date.clone()),
        ]);
        let dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"EmbeddedFile".to_vec())),
            ("Subtype", Object::Name(file.mime.as_bytes().to_vec())),
            ("Params", Object::Dictionary(params)),
        ]);
        let stream_id = doc.add_object(compressed(Stream::new(dict, file.bytes.to_vec())));
        let mut spec = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Filespec".to_vec())),
            ("F", Object::String(ascii_name(file.name).into_bytes(), StringFormat::Literal)),
            ("UF", text_string(file.name)),
            ("AFRelationship", Object::Name(file.relationship.name().as_bytes().to_vec())),
            (
                "EF",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("F", Object::Reference(stream_id)),
                    ("UF", Object::Reference(stream_id)),
                ])),
            ),
        ]);
        if let Some(description) = file.description {
            spec.set("Desc", text_string(description));
        }
        let spec_id = doc.add_object(spec);
        associated.push(Object::Reference(spec_id));
        // The key as a text string: plain ASCII as it is, else UTF-16BE (as `/UF`).
        let key = if file.name.is_ascii() {
            file.name.as_bytes().to_vec()
        } else {
            match text_string(file.name) {
                Object::String(bytes, _) => bytes,
                _ => file.name.as_bytes().to_vec(),
            }
        };
        names.push((key, spec_id));
    }
    names.sort();
    let tree: Vec<Object> = names
        .into_iter()
        .flat_map(|(key, id)| [Object::String(key, StringFormat::Literal), Object::Reference(id)])
        .collect();
    let embedded = Dictionary::from_iter(vec![("Names", Object::Array(tree))]);
    let names = Dictionary::from_iter(vec![("EmbeddedFiles", Object::Dictionary(embedded))]);
    (Object::Array(associated), Object::Dictionary(names))
}

/// A file name in printable ASCII for `/F` (which predates Unicode names): every other
/// character becomes `_`; `/UF` holds the name as it is.
fn ascii_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect()
}

/// The XMP metadata stream (uncompressed, as PDF/A asks) added to `doc`.
pub(crate) fn metadata(doc: &mut Document, meta: &Metadata<'_>, conformance: Conformance) -> ObjectId {
    let xml = xmp(meta, conformance);
    let dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Metadata".to_vec())),
        ("Subtype", Object::Name(b"XML".to_vec())),
    ]);
    doc.add_object(Stream::new(dict, xml.into_bytes()).with_compression(false))
}

/// The XMP packet: Dublin Core title, creator, description and language, the XMP dates and
/// creator tool, the PDF producer, and the PDF/A and PDF/UA identification (with the PDF/A
/// extension schema that declares `pdfuaid`, which PDF/A does not predefine).
pub(crate) fn xmp(meta: &Metadata<'_>, conformance: Conformance) -> String {
    let date = format!("{:04}-{:02}-{:02}", meta.created.year(), meta.created.month(), meta.created.day());
    let mut x = String::with_capacity(3000);
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str(
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
    );
    x.push_str("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
    if conformance.archival() {
        x.push_str(" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    }
    if conformance.accessible() {
        x.push_str(" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    }
    x.push_str(">\n<dc:format>application/pdf</dc:format>\n");
    x.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        escape(meta.title)
    ));
    x.push_str(&format!("<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n", escape(meta.author)));
    x.push_str(&format!(
        "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
        escape(meta.subject)
    ));
    x.push_str(&format!("<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n", escape(meta.lang)));
    x.push_str(&format!("<xmp:CreateDate>{date}</xmp:CreateDate>\n<xmp:ModifyDate>{date}</xmp:ModifyDate>\n"));
    x.push_str("<xmp:CreatorTool>missive</xmp:CreatorTool>\n");
    x.push_str(&format!("<pdf:Producer>{}</pdf:Producer>\n", escape(PRODUCER)));
    if conformance.archival() {
        x.push_str("<pdfaid:part>3</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n");
    }
    if conformance.accessible() {
        x.push_str("<pdfuaid:part>1</pdfuaid:part>\n");
    }
    x.push_str("</rdf:Description>\n");
    if conformance.archival() && conformance.accessible() {
        x.push_str(PDFUA_EXTENSION);
    }
    x.push_str("</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x
}

/// The PDF/A extension schema describing `pdfuaid:part`.
const PDFUA_EXTENSION: &str = "<rdf:Description rdf:about=\"\" \
xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
";

/// `text` safe inside XML character data and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta<'a>(title: &'a str) -> Metadata<'a> {
        Metadata { title, author: "ACME", subject: title, lang: "pl-PL", created: jiff::civil::date(2026, 11, 23) }
    }

    #[test]
    fn identification_follows_the_conformance() {
        let both = xmp(&meta("Wezwanie"), Conformance::Both);
        assert!(both.contains("<pdfaid:part>3</pdfaid:part>") && both.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(both.contains("<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"));
        let archival = xmp(&meta("Wezwanie"), Conformance::PdfA3b);
        assert!(archival.contains("<pdfaid:conformance>B</pdfaid:conformance>") && !archival.contains("pdfuaid"));
        let accessible = xmp(&meta("Wezwanie"), Conformance::PdfUa1);
        assert!(accessible.contains("pdfuaid:part") && !accessible.contains("pdfaid"));
        assert!(both.contains("<xmp:CreateDate>2026-11-23</xmp:CreateDate>"));
    }

    #[test]
    fn embedded_files_are_listed_by_name_and_associated_in_order() {
        use crate::render::Relationship;
        let file = |name: &'static str| EmbeddedFile {
            name,
            bytes: b"<a/>",
            mime: "application/xml",
            description: None,
            relationship: Relationship::Supplement,
        };
        let mut doc = Document::with_version("1.7");
        let date = Object::string_literal("D:20261123");
        let (af, names) = embedded_files(&mut doc, &[file("b.xml"), file("a.xml"), file("Łódź.xml")], date);
        let Object::Array(af) = af else { panic!("/AF is an array") };
        assert_eq!(af.len(), 3);
        let spec = |o: &Object| doc.get_dictionary(o.as_reference().unwrap()).unwrap().clone();
        assert_eq!(spec(&af[0]).get(b"UF").unwrap(), &text_string("b.xml"), "/AF keeps the record's order");
        assert_eq!(spec(&af[2]).get(b"F").unwrap().as_str().unwrap(), b"__d_.xml", "ASCII /F");
        assert_eq!(spec(&af[0]).get(b"AFRelationship").unwrap().as_name().unwrap(), b"Supplement");
        let tree = names.as_dict().unwrap().get(b"EmbeddedFiles").unwrap().as_dict().unwrap();
        let keys: Vec<&[u8]> =
            tree.get(b"Names").unwrap().as_array().unwrap().iter().step_by(2).map(|k| k.as_str().unwrap()).collect();
        assert_eq!(&keys[..2], [b"a.xml".as_slice(), b"b.xml"], "sorted by name");
        assert!(keys[2].starts_with(&[0xFE, 0xFF]), "a non-ASCII name as UTF-16");
        let stream = doc
            .get_object(spec(&af[1]).get(b"EF").unwrap().as_dict().unwrap().get(b"F").unwrap().as_reference().unwrap())
            .unwrap();
        let params = stream.as_stream().unwrap().dict.get(b"Params").unwrap().as_dict().unwrap();
        assert_eq!(params.get(b"Size").unwrap().as_i64().unwrap(), 4);
        // MD5 of "<a/>".
        let sum = params.get(b"CheckSum").unwrap().as_str().unwrap();
        assert_eq!(sum.iter().map(|b| format!("{b:02x}")).collect::<String>(), "f019ee9a03978aff9f9b78d0ddf3edb7");
    }

    #[test]
    fn values_cannot_break_the_xml() {
        let x = xmp(&meta("</rdf:li><x & \"y\" \u{1}"), Conformance::Both);
        assert!(x.contains("&lt;/rdf:li&gt;&lt;x &amp; &quot;y&quot;  </rdf:li>"), "{x}");
    }
}
