//! Real attachment files built in code: a PDF (lopdf) and a DOCX (zip). Kept apart from
//! `common`, which the black-box tests include too, without these dependencies.

#![allow(dead_code)]

/// A real one-page PDF showing `lines` in Helvetica, one line each, as a word processor
/// writes them (one text object, line moves with `Td`).
pub fn pdf_with_lines(lines: &[&str]) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Td", vec![72.into(), 720.into()]),
    ];
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            ops.push(Operation::new("Td", vec![0.into(), (-16).into()]));
        }
        ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode().unwrap();
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A real DOCX package (deflated, its parts in Word's order) whose body has one paragraph per
/// entry of `paragraphs`, each entry its runs.
pub fn docx_with_runs(paragraphs: &[&[&str]]) -> Vec<u8> {
    use std::io::Write;
    let body: String = paragraphs
        .iter()
        .map(|runs| {
            let runs: String = runs
                .iter()
                .map(|r| format!("<w:r><w:t xml:space=\"preserve\">{r}</w:t></w:r>"))
                .collect();
            format!("<w:p>{runs}</w:p>")
        })
        .collect();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        </Types>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    // In the order Word writes them.
    for (name, text) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Raw deflate of `mib` MiB of zeros, built in milliseconds: one sync-flushed MiB repeated
/// (each copy refers only to zeros), then an empty final block. About 1 KiB per MiB.
fn deflated_zeros(mib: usize) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut chunk = Vec::with_capacity(1 << 16);
    c.compress_vec(&[0u8; 1 << 20], &mut chunk, flate2::FlushCompress::Sync)
        .unwrap();
    let mut out = chunk.repeat(mib);
    out.extend_from_slice(&[0x03, 0x00]);
    out
}

/// A real one-page PDF whose page content is a FlateDecode stream of `mib` MiB of
/// zeros, a few KiB on disk: a decompression bomb.
pub fn pdf_bomb(mib: usize) -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let len = (mib as u64) << 20;
    let mut zlib = vec![0x78, 0xda];
    zlib.extend(deflated_zeros(mib));
    // Adler-32 of zeros: a stays 1, b grows by 1 a byte.
    zlib.extend((((len % 65521) << 16) as u32 | 1).to_be_bytes());
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib);
    stream.allows_compression = false;
    let content_id = doc.add_object(stream);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A DOCX package whose body (`word/document.xml`) inflates to `mib` MiB: a
/// decompression bomb. Written by the zip writer (a second or so per GiB).
pub fn docx_bomb(mib: usize) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(mib >= 4096);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>")
        .unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..mib {
        zip.write_all(&spaces).unwrap();
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    zip.finish().unwrap().into_inner()
}

/// A zip package of `(name, content)` entries, deflated except a first `mimetype` (ODF).
pub fn zip_package(entries: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A real XLSX workbook whose first sheet has `cells` in column A, as inline strings.
pub fn xlsx_with_cells(cells: &[&str]) -> Vec<u8> {
    let rows: String = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "<row r=\"{n}\"><c r=\"A{n}\" t=\"inlineStr\"><is><t>{c}</t></is></c></row>",
                n = i + 1
            )
        })
        .collect();
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    zip_package(&[
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"),
        ("xl/workbook.xml", &format!("<?xml version=\"1.0\"?><workbook xmlns=\"{ns}\"><sheets><sheet name=\"1\" sheetId=\"1\"/></sheets></workbook>")),
        ("xl/worksheets/sheet1.xml", &format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{ns}\"><sheetData>{rows}</sheetData></worksheet>")),
    ])
}

/// A real ODT text document with one paragraph per entry of `paragraphs`.
pub fn odt_with_paragraphs(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<text:p>{p}</text:p>"))
        .collect();
    zip_package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", &format!("<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>{body}</office:text></office:body></office:document-content>")),
    ])
}
