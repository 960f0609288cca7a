//! The text of attachments, for the confidentiality scan.
//!
//! - Plain text and CSV are read as they are (UTF-8, invalid bytes replaced).
//! - PDF through `pdf-extract`, which lays the text out by its position on the page, so
//!   that two numbers on separate lines stay apart (a reader that only joins the strings
//!   of the content stream glues them into one run, and the scan then sees neither).
//! - Office packages (DOCX, XLSX, PPTX, ODT, ODS) by reading their XML parts (`zip` +
//!   `quick-xml`, at most 64 MiB of markup per file): for DOCX the body, headers and
//!   footers, footnotes, endnotes and comments, and the text of tracked deletions too,
//!   since a file published with its revisions still carries it; for XLSX the shared
//!   strings, every sheet's values and comments; for PPTX the slides, notes and comments;
//!   for OpenDocument the content and styles. Runs of one paragraph are joined without a
//!   separator (Word splits a number into several runs freely); paragraphs, cells, tabs
//!   and breaks become white space.
//!
//! A PDF or package that cannot be read (corrupt, encrypted, or a PDF without a text layer,
//! such as a scan) is [`Extracted::Unreadable`] with the reason: the scan turns it into a
//! finding of kind `unreadable`, which blocks publication until a reviewer has looked at
//! the file and resolved it. It is not refused at upload: a scanned or password-protected
//! PDF is a normal thing for an agency to publish, and only a person can tell whether it
//! may be; refusing it would only push editors to wrap it in an archive the scan does not
//! read either.
//!
//! Other types (images, archives, anything else) are not read by the scan
//! ([`Extracted::NotScanned`]): each becomes an `unscanned` finding a reviewer resolves.
//!
//! The server never calls [`extract`] itself: it runs in a child process under a memory
//! and time budget (`super::sandbox`), entered through [`child_main`].

use std::io::{Cursor, Read, Write};

/// The first argument that makes the `gongkai` program an extractor child.
pub const CHILD_COMMAND: &str = "extract-text";

/// The extractor child: the file on standard input, its media type as the argument,
/// the [`Extracted`] result as JSON on standard output.
pub fn child_main(media_type: &str) -> std::process::ExitCode {
    let mut bytes = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    let out = serde_json::to_vec(&extract(media_type, &bytes)).expect("serialisable");
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&out).and_then(|()| stdout.flush()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::FAILURE,
    }
}

/// What the scan gets of one attachment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Extracted {
    /// The attachment's text.
    Text(String),
    /// A type the scan reads, but this file could not be read: why, for the reviewer.
    Unreadable(String),
    /// A type the scan does not read.
    NotScanned,
}

pub const PDF: &str = "application/pdf";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
pub const ODT: &str = "application/vnd.oasis.opendocument.text";
pub const ODS: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// The zip packages of XML whose text the scan reads, by media type.
const PACKAGES: &[&str] = &[DOCX, XLSX, PPTX, ODT, ODS];

/// At most this much XML is read out of one package (its parts decompressed, together),
/// so that a small archive that inflates to gigabytes is refused rather than read.
const PACKAGE_MAX_XML: u64 = 64 * 1024 * 1024;

/// The text of an attachment of type `media_type` (as sniffed at upload).
pub fn extract(media_type: &str, bytes: &[u8]) -> Extracted {
    match media_type {
        "text/plain" | "text/csv" => Extracted::Text(String::from_utf8_lossy(bytes).into_owned()),
        PDF => pdf_text(bytes),
        _ if PACKAGES.contains(&media_type) => match package_text(media_type, bytes) {
            Ok(text) => Extracted::Text(text),
            Err(reason) => Extracted::Unreadable(reason),
        },
        _ => Extracted::NotScanned,
    }
}

/// Whether attachments of this type are read by the scan (text, PDF, office packages).
pub fn is_scanned(media_type: &str) -> bool {
    matches!(media_type, "text/plain" | "text/csv" | PDF) || PACKAGES.contains(&media_type)
}

fn pdf_text(bytes: &[u8]) -> Extracted {
    // pdf-extract panics on some malformed files rather than returning an error.
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match result {
        Ok(Ok(text)) if text.trim().is_empty() => Extracted::Unreadable(
            "the PDF has no text layer (a scan, or images only): check it by eye".into(),
        ),
        Ok(Ok(text)) => Extracted::Text(text),
        Ok(Err(_)) if mentions(bytes, b"/Encrypt") => Extracted::Unreadable(
            "the PDF is encrypted with a password: its text cannot be read".into(),
        ),
        Ok(Err(e)) => Extracted::Unreadable(format!("the PDF cannot be read: {e}")),
        Err(_) => Extracted::Unreadable("the PDF cannot be read: it is malformed".into()),
    }
}

fn mentions(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The parts of a package of type `media_type` that hold text a reader sees, the main
/// part (rank 0) first.
fn part_rank(media_type: &str, name: &str) -> Option<u8> {
    let name = name.to_ascii_lowercase();
    let xml = name.ends_with(".xml");
    let under = |dir: &str| xml && name.starts_with(dir);
    match media_type {
        DOCX if name == "word/document.xml" => Some(0),
        DOCX if under("word/header") || under("word/footer") => Some(1),
        DOCX if matches!(
            name.as_str(),
            "word/footnotes.xml" | "word/endnotes.xml" | "word/comments.xml"
        ) =>
        {
            Some(2)
        }
        XLSX if name == "xl/workbook.xml" => Some(0),
        XLSX if name == "xl/sharedstrings.xml" || under("xl/worksheets/") => Some(1),
        XLSX if under("xl/comments") || under("xl/threadedcomments/") => Some(2),
        PPTX if name == "ppt/presentation.xml" => Some(0),
        PPTX if under("ppt/slides/") || under("ppt/notesslides/") => Some(1),
        PPTX if under("ppt/comments/") => Some(2),
        ODT | ODS if name == "content.xml" => Some(0),
        ODT | ODS if name == "styles.xml" => Some(1),
        _ => None,
    }
}

/// Elements whose text shows: WordprocessingML's `w:t`/`w:delText`, DrawingML's `a:t`,
/// SpreadsheetML's `t` (strings) and `v` (cell values); in OpenDocument all text does.
fn shows_text(media_type: &str, local_name: &[u8]) -> bool {
    match media_type {
        ODT | ODS => true,
        XLSX => matches!(local_name, b"t" | b"v"),
        _ => matches!(local_name, b"t" | b"delText"),
    }
}

/// The office package type of a zip archive, for the uploads whose type sniffing by
/// signature says only "zip": by its main part (OOXML) or its `mimetype` entry (ODF).
pub fn package_type(bytes: &[u8]) -> Option<&'static str> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |zip: &zip::ZipArchive<_>, part: &str| {
        zip.file_names()
            .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(part)))
    };
    for (part, media_type) in [
        ("word/document.xml", DOCX),
        ("xl/workbook.xml", XLSX),
        ("ppt/presentation.xml", PPTX),
    ] {
        if has(&zip, part) {
            return Some(media_type);
        }
    }
    let mut declared = String::new();
    zip.by_name("mimetype")
        .ok()?
        .take(100)
        .read_to_string(&mut declared)
        .ok()?;
    [ODT, ODS].into_iter().find(|t| declared.trim() == *t)
}

fn package_text(media_type: &str, bytes: &[u8]) -> Result<String, String> {
    let kind = media_type.rsplit('.').next().unwrap_or("package");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("the {kind} package cannot be opened: {e}"))?;
    let mut parts: Vec<(u8, String)> = Vec::new();
    for name in zip.file_names() {
        let name = name.map_err(|e| format!("the {kind} package cannot be read: {e}"))?;
        if let Some(rank) = part_rank(media_type, &name) {
            parts.push((rank, name.into_owned()));
        }
    }
    parts.sort();
    if parts.first().map(|(r, _)| *r) != Some(0) {
        return Err(format!("the {kind} package has no main part"));
    }
    let mut out = String::new();
    let mut budget = PACKAGE_MAX_XML;
    for (_, name) in parts {
        let part = zip
            .by_name(&name)
            .map_err(|e| format!("the part {name} cannot be read: {e}"))?;
        let mut xml = Vec::new();
        part.take(budget + 1)
            .read_to_end(&mut xml)
            .map_err(|e| format!("the part {name} cannot be read: {e}"))?;
        if xml.len() as u64 > budget {
            return Err(format!(
                "the {kind} package holds more than {} MiB of text markup",
                PACKAGE_MAX_XML / 1024 / 1024
            ));
        }
        budget -= xml.len() as u64;
        let xml =
            String::from_utf8(xml).map_err(|_| format!("the part {name} is not UTF-8 XML"))?;
        markup_text(media_type, &xml, &mut out)
            .map_err(|e| format!("the part {name} is broken: {e}"))?;
        out.push('\n');
    }
    Ok(out)
}

/// Appends the visible text of one XML part of a `media_type` package to `out`.
fn markup_text(media_type: &str, xml: &str, out: &mut String) -> Result<(), quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    // Inside an element whose text shows (OpenDocument: anywhere).
    let all = shows_text(media_type, b"");
    let mut in_text = all;
    loop {
        match reader.read_event()? {
            Event::Start(e) => in_text = all || shows_text(media_type, e.local_name().as_ref()),
            Event::End(e) => match e.local_name().as_ref() {
                // Paragraphs, headings, cells and rows end with white space.
                b"p" | b"h" | b"c" | b"row" | b"si" | b"table-cell" => out.push('\n'),
                name if !all && shows_text(media_type, name) => in_text = false,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => out.push('\t'),
                b"br" | b"cr" | b"p" | b"line-break" => out.push('\n'),
                b"s" if all => out.push(' '),
                _ => {}
            },
            Event::Text(e) if in_text => out.push_str(&e.decode()?),
            Event::CData(e) if in_text => out.push_str(&e.decode()?),
            Event::GeneralRef(e) if in_text => {
                if let Some(c) = e.resolve_char_ref()? {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&e.decode()?) {
                    out.push_str(s);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The PDF and package builders the integration tests use.
#[cfg(test)]
#[path = "../../tests/common/files.rs"]
mod test_files;

#[cfg(test)]
mod tests {
    use super::test_files::{pdf_with_lines as pdf, zip_package as package};
    use super::*;

    const ID: &str = "11010519491231002X";

    /// A DOCX package with `document` as the body XML. Only two parts: signature
    /// sniffing alone takes it for a plain zip archive.
    fn docx(document: &str) -> Vec<u8> {
        package(&[
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
            ),
            ("word/document.xml", document),
        ])
    }

    #[test]
    fn presentations_and_spreadsheets_are_read_too() {
        // PPTX: a slide's DrawingML text runs, and the speaker's notes.
        let a = "http://schemas.openxmlformats.org/drawingml/2006/main";
        let pptx = package(&[
            ("ppt/presentation.xml", "<p:presentation xmlns:p=\"p\"/>"),
            (
                "ppt/slides/slide1.xml",
                &format!(
                    r#"<p:sld xmlns:p="p" xmlns:a="{a}"><a:p><a:r><a:t>联系人身份证</a:t></a:r><a:r><a:t>{ID}</a:t></a:r></a:p></p:sld>"#
                ),
            ),
            (
                "ppt/notesSlides/notesSlide1.xml",
                &format!(
                    r#"<p:notes xmlns:p="p" xmlns:a="{a}"><a:p><a:r><a:t>电话13812345678</a:t></a:r></a:p></p:notes>"#
                ),
            ),
        ]);
        assert_eq!(package_type(&pptx), Some(PPTX));
        let Extracted::Text(text) = extract(PPTX, &pptx) else {
            panic!("the presentation reads");
        };
        assert!(text.contains(ID) && text.contains("13812345678"), "{text}");

        // ODS: every cell's text; its type is declared by the `mimetype` entry.
        let ods = package(&[
            ("mimetype", ODS),
            (
                "content.xml",
                &format!(
                    r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table><table:table-row><table:table-cell><text:p>王五</text:p></table:table-cell><table:table-cell><text:p>{ID}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
                ),
            ),
        ]);
        assert_eq!(package_type(&ods), Some(ODS));
        let Extracted::Text(text) = extract(ODS, &ods) else {
            panic!("the spreadsheet reads");
        };
        assert!(text.contains("王五") && text.contains(ID), "{text}");
        // Cells end with white space: two numbers in neighbouring cells stay apart.
        assert!(!text.contains(&format!("王五{ID}")), "{text}");
    }

    fn body(paragraphs: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>"#
        )
    }

    #[test]
    fn pdf_lines_stay_apart() {
        let bytes = pdf(&["Applicant: Zhang San", ID, "13812345678"]);
        assert_eq!(
            crate::disclosure::attachments::sniff(&bytes, "a.pdf"),
            Ok(PDF)
        );
        let Extracted::Text(text) = extract(PDF, &bytes) else {
            panic!("not read");
        };
        assert!(text.contains(ID), "{text:?}");
        assert!(!text.contains(&format!("{ID}1381")), "{text:?}");
    }

    #[test]
    fn unreadable_pdfs_say_why() {
        let corrupt = b"%PDF-1.7\n1 0 obj << /Type /Catalog broken".to_vec();
        assert!(matches!(extract(PDF, &corrupt), Extracted::Unreadable(_)));
        let Extracted::Unreadable(reason) = extract(PDF, &pdf(&[])) else {
            panic!("a PDF without text is not readable text");
        };
        assert!(reason.contains("no text layer"), "{reason}");
    }

    #[test]
    fn docx_runs_join_and_paragraphs_part() {
        // The ID split over three runs, as Word does after an edit; a tracked deletion;
        // an entity reference; two paragraphs.
        let xml = body(&format!(
            r#"<w:p><w:r><w:t xml:space="preserve">身份证号 </w:t></w:r><w:r><w:t>{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p><w:p><w:r><w:delText>13812345678</w:delText></w:r><w:r><w:tab/><w:t>A&amp;B</w:t></w:r></w:p>"#,
            &ID[..6],
            &ID[6..]
        ));
        let bytes = docx(&xml);
        assert_eq!(
            crate::disclosure::attachments::sniff(&bytes, "a.docx"),
            Ok(DOCX)
        );
        let Extracted::Text(text) = extract(DOCX, &bytes) else {
            panic!("not read");
        };
        assert!(text.contains(&format!("身份证号 {ID}\n")), "{text:?}");
        assert!(text.contains("13812345678\tA&B\n"), "{text:?}");
    }

    #[test]
    fn unreadable_docx_say_why() {
        let mut truncated = docx(&body("<w:p/>"));
        truncated.truncate(truncated.len() / 2);
        assert!(matches!(
            extract(DOCX, &truncated),
            Extracted::Unreadable(_)
        ));
        let broken = docx(&body("<w:p><w:r><w:t>x</w:r></w:p>"));
        let Extracted::Unreadable(reason) = extract(DOCX, &broken) else {
            panic!("broken XML was read");
        };
        assert!(reason.contains("word/document.xml"), "{reason}");
    }

    #[test]
    fn other_types_are_not_scanned() {
        assert_eq!(extract("image/png", b"\x89PNG"), Extracted::NotScanned);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("word.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"x").unwrap();
        let archive = zip.finish().unwrap().into_inner();
        assert_eq!(
            crate::disclosure::attachments::sniff(&archive, "a.docx"),
            Ok("application/zip")
        );
        assert!(!is_scanned("application/zip"));
        assert_eq!(
            extract("text/plain", "电话".as_bytes()),
            Extracted::Text("电话".into())
        );
    }
}
