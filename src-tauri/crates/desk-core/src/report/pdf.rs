//! The report as a readable PDF (US Letter, base-14 Helvetica, no embedded fonts), laid out from
//! the schema so it shows the same sections and labels as the form. Written with `pdf-writer`
//! (typst's low-level writer: tiny, no C dependencies). Text outside the Windows-1252 range that
//! base-14 fonts can show is printed as `?`; the JSON export keeps every character.

use super::deadline::deadlines;
use super::doc::pointer;
use super::schema::{self, Need};
use super::summary::{category_label, tasks, timeframe_text};
use super::validate::{self, parse_time};
use super::Report;
use crate::error::{Error, Result};
use crate::form::FieldKind;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde_json::Value;
use std::io::Write;

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const MARGIN: f32 = 54.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
const BODY: f32 = 10.0;
const LEADING: f32 = 13.0;

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126, from the Adobe AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' .. '/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' .. '?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' .. 'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' .. '_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' .. 'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p' .. '~'
];

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }
}

/// Width of a line in points. Bold is wider than regular by roughly 5-10%: measured generously.
fn width(text: &str, font: Font, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c as u32 {
            code @ 32..=126 => u32::from(HELVETICA[(code - 32) as usize]),
            _ => 600,
        })
        .sum();
    let scale = match font {
        Font::Regular => 1.0,
        Font::Bold => 1.1,
    };
    units as f32 * size / 1000.0 * scale
}

/// Windows-1252 bytes for the base-14 fonts' WinAnsiEncoding.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2022}' => 0x95,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2026}' => 0x85,
            '\u{20ac}' => 0x80,
            '\t' => b' ',
            _ => b'?',
        })
        .collect()
}

/// Greedy word wrap; words longer than a line are cut.
fn wrap(text: &str, font: Font, size: f32, max_w: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(&candidate, font, size) <= max_w {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if width(&piece, font, size) > max_w {
                    piece.pop();
                    out.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        out.push(line);
    }
    out
}

struct Layout {
    pages: Vec<Content>,
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: vec![Content::new()], y: PAGE_H - MARGIN }
    }

    fn room(&mut self, needed: f32) {
        if self.y - needed < MARGIN + LEADING {
            self.pages.push(Content::new());
            self.y = PAGE_H - MARGIN;
        }
    }

    fn text_at(&mut self, x: f32, text: &str, font: Font, size: f32) {
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.begin_text().set_font(font.name(), size).next_line(x, y).show(Str(&win_ansi(text))).end_text();
        }
    }

    fn paragraph(&mut self, text: &str, font: Font, size: f32, indent: f32) {
        let leading = size * 1.3;
        for line in wrap(text, font, size, TEXT_W - indent) {
            self.room(leading);
            self.y -= leading;
            self.text_at(MARGIN + indent, &line, font, size);
        }
    }

    fn heading(&mut self, text: &str, size: f32) {
        self.room(size * 1.3 + LEADING * 3.0);
        self.y -= size * 0.6;
        self.paragraph(text, Font::Bold, size, 0.0);
    }

    fn field(&mut self, label: &str, value: &str) {
        self.room(LEADING * 2.0);
        self.paragraph(label, Font::Bold, BODY - 1.0, 0.0);
        self.paragraph(if value.trim().is_empty() { "\u{2014}" } else { value }, Font::Regular, BODY, 12.0);
    }

    fn gap(&mut self) {
        self.y -= LEADING / 2.0;
    }
}

fn shown(value: &Value, kind: &FieldKind) -> String {
    match (kind, value) {
        (FieldKind::Checkbox, Value::Bool(true)) => "Yes".into(),
        (FieldKind::Checkbox, _) => "No".into(),
        (FieldKind::Phones, Value::Array(items)) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; ")
        }
        (FieldKind::DateTime, Value::String(s)) => match parse_time(s) {
            Some(t) => t.format("%Y-%m-%d %H:%M %:z").to_string(),
            None => s.clone(),
        },
        (FieldKind::Choice { options }, Value::String(s)) => {
            options.iter().find(|o| o.value == s).map(|o| o.label.to_string()).unwrap_or_else(|| s.clone())
        }
        (_, Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

fn lay_out(report: &Report) -> Result<Layout> {
    let doc = &report.doc;
    let tree = doc.to_value()?;
    let mut l = Layout::new();
    l.paragraph("Incident report (Cal-CSIRS)", Font::Bold, 18.0, 0.0);
    l.gap();
    let mut facts = vec![
        format!("Report id: {}", report.report_id),
        format!("State: {}, revision {}", report.state.as_str(), report.revision),
    ];
    if let Some(n) = &report.incident_number {
        facts.push(format!("Incident number: {n}"));
    }
    facts.push(format!("Last saved: {}", report.updated_at.format("%Y-%m-%d %H:%M UTC")));
    for fact in facts {
        l.paragraph(&fact, Font::Regular, BODY, 0.0);
    }

    let d = deadlines(doc);
    let discovered = doc.incident.discovered_at.as_deref();
    l.heading("Deadlines", 13.0);
    l.field(
        "Cal-CSIRS (CA-CND)",
        &format!("{} \u{2014} \u{201c}{}\u{201d}", timeframe_text(&d.cal_csirs, discovered), d.cal_csirs.words),
    );
    if let (Some(label), Some(f)) = (category_label(&doc.federal.category), &d.federal) {
        l.field(label, &format!("{} \u{2014} \u{201c}{}\u{201d}", timeframe_text(f, discovered), f.words));
    }

    for section in &schema::schema().sections {
        if section.shown_when.as_ref().is_some_and(|c| !c.holds(&tree)) {
            continue;
        }
        let fields: Vec<_> =
            section.fields.iter().filter(|f| f.shown_when.as_ref().is_none_or(|c| c.holds(&tree))).collect();
        l.heading(section.title, 13.0);
        match &section.repeat {
            Some(repeat) => {
                if doc.computers.is_empty() {
                    l.paragraph("None listed.", Font::Regular, BODY, 0.0);
                }
                for i in 0..doc.computers.len() {
                    l.heading(&format!("{} {}", repeat.row_label, i + 1), 11.0);
                    for f in &fields {
                        let path = f.field.id.replace('*', &i.to_string());
                        let value = tree.pointer(&pointer(&path)).unwrap_or(&Value::Null);
                        l.field(f.field.label, &shown(value, &f.field.kind));
                    }
                }
            }
            None => {
                for f in fields {
                    // Unticked sub-options and empty optional fields would only add noise.
                    let value = tree.pointer(&pointer(&f.field.id)).unwrap_or(&Value::Null);
                    let text = shown(value, &f.field.kind);
                    let quiet = f.need == Need::Optional && (text.is_empty() || text == "No");
                    if !quiet {
                        l.field(f.field.label, &text);
                    }
                }
            }
        }
    }

    let check = validate::missing(doc);
    if !check.missing_required.is_empty() || !check.missing_recommended.is_empty() {
        l.heading("Not known yet", 13.0);
        for m in check.missing_required.iter() {
            l.paragraph(&format!("\u{2022} {} ({}) \u{2014} required", m.label, m.field), Font::Regular, BODY, 0.0);
        }
        for m in check.missing_recommended.iter() {
            l.paragraph(&format!("\u{2022} {} ({})", m.label, m.field), Font::Regular, BODY, 0.0);
        }
    }
    let tasks = tasks(doc);
    if !tasks.is_empty() {
        l.heading("Tasks", 13.0);
        for t in tasks {
            l.paragraph(&format!("\u{2022} {}", t.text), Font::Regular, BODY, 0.0);
        }
    }
    Ok(l)
}

/// Writes the report as a PDF.
pub fn write_pdf(report: &Report, out: &mut impl Write) -> Result<()> {
    let layout = lay_out(report)?;
    let page_count = layout.pages.len();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..page_count).map(|i| Ref::new(first_page + 2 * i as i32)).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(i32::try_from(page_count).map_err(|_| Error::Internal("too many pages".into()))?);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let title = format!("Incident report {}", report.incident_number.as_deref().unwrap_or(report.report_id.as_str()));
    pdf.document_info(info).title(TextStr(&title)).producer(TextStr("Incident Desk"));

    for (i, mut content) in layout.pages.into_iter().enumerate() {
        let footer = format!("Report {}, page {} of {page_count}", report.report_id, i + 1);
        content
            .begin_text()
            .set_font(Font::Regular.name(), 8.0)
            .next_line(MARGIN, MARGIN / 2.0)
            .show(Str(&win_ansi(&footer)))
            .end_text();
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.parent(tree).media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(Font::Regular.name(), regular);
        fonts.pair(Font::Bold.name(), bold);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    out.write_all(&pdf.finish())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_within_the_text_width() {
        let text = "word ".repeat(200);
        let lines = wrap(&text, Font::Regular, BODY, TEXT_W);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| width(l, Font::Regular, BODY) <= TEXT_W));
        let long = "x".repeat(500);
        assert!(wrap(&long, Font::Regular, BODY, TEXT_W).iter().all(|l| width(l, Font::Regular, BODY) <= TEXT_W));
    }

    #[test]
    fn encodes_for_win_ansi() {
        assert_eq!(win_ansi("a\u{201c}b\u{201d}\u{e9}\u{4e2d}"), vec![b'a', 0x93, b'b', 0x94, 0xe9, b'?']);
    }
}
