//! SEN intake from e-mail: the notification Cal-CSIRS sends (SIMM 5335-A III.E), as an .eml file, an
//! Outlook .msg file (`msg.rs`) or a pasted subject line. [`parse_mail`] takes a file's bytes and
//! decides which it is.
//!
//! Subject format: `Cal-CSIRS Notification: A Security Event Notification – SOC-[0123] requires your
//! attention. The SEN Level is: [CRITICAL]`. Real mail arrives RFC 2047-encoded, with `RE:`/`FW:`
//! prefixes, with or without brackets, with any dash; a forwarded SEN may be an attached message.

use crate::error::{Error, Result};
use crate::sen::store::{NewSen, Source};
use chrono::{DateTime, NaiveDate, Utc};
use mail_parser::{Message, MessageParser};
use serde::Serialize;

mod msg;

const SUMMARY_CHARS: usize = 300;
/// Attached messages are searched this deep (a forward of a forward of the SEN).
const MAX_NESTING: usize = 4;

/// What the subject says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectInfo {
    /// Normalized, e.g. "SOC-0123".
    pub sen_number: String,
    /// Lower-case, e.g. "critical" (any word is kept: levels are data).
    pub level: String,
    /// True when the subject carried reply / forward prefixes.
    pub reply_or_forward: bool,
}

/// A SEN read from a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenNotice {
    pub sen_number: String,
    pub level: String,
    pub sent_at: DateTime<Utc>,
    pub summary: Option<String>,
    /// Who sent the message the SEN was read from ("Name <address>"), when it says.
    pub sender: Option<String>,
    /// Things the ISO should check (e.g. the sent time came from a forward, not the original).
    pub warnings: Vec<String>,
}

impl SenNotice {
    pub fn into_new_sen(self, source: Source) -> NewSen {
        NewSen {
            sen_number: self.sen_number,
            level: self.level,
            sent_at: self.sent_at,
            summary: self.summary.unwrap_or_default(),
            source,
        }
    }
}

/// A pasted subject line with the sent time given separately (or `now` when unknown).
pub fn notice_from_subject(subject: &str, sent_at: DateTime<Utc>) -> Result<SenNotice> {
    let info = parse_subject(subject)?;
    Ok(SenNotice {
        sen_number: info.sen_number,
        level: info.level,
        sent_at,
        summary: None,
        sender: None,
        warnings: Vec::new(),
    })
}

/// Reads the SEN number and level from a subject line.
pub fn parse_subject(subject: &str) -> Result<SubjectInfo> {
    subject_info(subject).map_err(not_a_sen)
}

/// A mail's subject read as a SEN subject; the refusal quotes the subject, so the ISO sees which
/// mail it was ("not a SEN notification: “Lunch on Friday?”: the subject does not name …").
fn mail_subject(subject: &str) -> Result<SubjectInfo> {
    subject_info(subject).map_err(|why| {
        let shown = collapse_whitespace(subject);
        if shown.is_empty() {
            return not_a_sen(why);
        }
        let mut quoted: String = shown.chars().take(160).collect();
        if shown.chars().count() > 160 {
            quoted.push('\u{2026}');
        }
        not_a_sen(&format!("\u{201c}{quoted}\u{201d}: the {why}"))
    })
}

fn subject_info(subject: &str) -> std::result::Result<SubjectInfo, &'static str> {
    let normalized = collapse_whitespace(subject);
    if normalized.is_empty() {
        return Err("the subject is empty");
    }
    let (rest, reply_or_forward) = strip_prefixes(&normalized);
    let sen_number = find_soc_number(rest).ok_or(
        "subject does not name a SOC number (expected \u{201c}\u{2026} SOC-0123 requires your attention\u{201d})",
    )?;
    let level = find_level(rest)
        .ok_or("subject does not give the SEN level (expected \u{201c}The SEN Level is: CRITICAL\u{201d})")?;
    Ok(SubjectInfo { sen_number, level, reply_or_forward })
}

/// The compound-file signature every Outlook .msg starts with (MS-CFB 2.2).
const CFB_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a SEN notification from a mail file, whichever kind it is: an Outlook .msg is known by its
/// content (the compound-file signature), or by a `.msg` name when the content is broken (so the
/// refusal says it is not a readable Outlook message); anything else is read as an RFC 5322 .eml.
pub fn parse_mail(bytes: &[u8], file_name: Option<&str>) -> Result<SenNotice> {
    let named_msg = file_name.is_some_and(|n| n.rsplit('.').next().is_some_and(|ext| ext.eq_ignore_ascii_case("msg")));
    if bytes.starts_with(&CFB_SIGNATURE) || named_msg {
        parse_msg(bytes)
    } else {
        parse_eml(bytes)
    }
}

/// Reads a SEN notification from an Outlook .msg file (MS-OXMSG): the message itself, or a SEN
/// forwarded as an embedded message or as an attached .eml / .msg file.
pub fn parse_msg(bytes: &[u8]) -> Result<SenNotice> {
    crate::limits::check_len(bytes.len(), crate::limits::MSG_MAX, crate::limits::MSG_WHAT, "the file")?;
    msg::parse(bytes, 0)
}

/// Reads a SEN notification from a raw RFC 5322 message (.eml). A SEN forwarded as an attached
/// message (message/rfc822) is read from the attachment, with its own Date.
pub fn parse_eml(bytes: &[u8]) -> Result<SenNotice> {
    crate::limits::check_len(bytes.len(), crate::limits::EML_MAX, crate::limits::EML_WHAT, "the file")?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Unreadable("the file is empty".into()));
    }
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| Error::Unreadable("not an e-mail message: no headers could be read".into()))?;
    if message.parts.first().is_none_or(|p| p.headers.is_empty()) {
        return Err(Error::Unreadable("not an e-mail message: no headers could be read".into()));
    }
    if let Some(inner) = find_attached_sen(&message, 0) {
        let (info, inner_message) = inner;
        let mut notice = notice_from_message(inner_message, info, "attached SEN message")?;
        notice.warnings.retain(|w| !w.is_empty());
        return Ok(notice);
    }
    // A SEN forwarded from Outlook as an attached .msg (application/vnd.ms-outlook).
    for part in message.attachments() {
        if part.contents().starts_with(&CFB_SIGNATURE) {
            if let Ok(notice) = msg::parse(part.contents(), 1) {
                return Ok(notice);
            }
        }
    }
    let subject = message.subject().ok_or_else(|| not_a_sen("the message has no Subject header"))?;
    let info = mail_subject(subject)?;
    let forwarded_inline = info.reply_or_forward;
    let mut notice = notice_from_message(&message, info, "message")?;
    if forwarded_inline {
        let body = message.body_text(0);
        use_quoted_date(&mut notice, body.as_deref().unwrap_or_default());
    }
    Ok(notice)
}

/// A reply or inline forward: the sent time is the quoted original's when it gives one, else the
/// forward's, with a warning either way.
fn use_quoted_date(notice: &mut SenNotice, body: &str) {
    match forwarded_date(body) {
        Some(original) => {
            notice.warnings.push(format!(
                "this is a reply or forward: the sent time was taken from the quoted original ({})",
                original.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ));
            notice.sent_at = original;
        }
        None => notice.warnings.push(
            "this is a reply or forward: the sent time is when it was forwarded or replied to, not when the SOC sent the SEN; correct it if needed"
                .into(),
        ),
    }
}

fn notice_from_message(message: &Message<'_>, info: SubjectInfo, what: &str) -> Result<SenNotice> {
    let sent_at = message_date(message).map_err(|why| {
        Error::Unreadable(format!("{} found, but the {what} {why}: enter the time the SEN was sent", info.sen_number))
    })?;
    Ok(SenNotice {
        sen_number: info.sen_number,
        level: info.level,
        sent_at,
        summary: message.body_text(0).and_then(|text| summary(&text)),
        sender: message.from().and_then(|from| from.first()).and_then(|a| match (a.name(), a.address()) {
            (Some(name), Some(address)) => Some(format!("{name} <{address}>")),
            (name, address) => name.or(address).map(str::to_string),
        }),
        warnings: Vec::new(),
    })
}

/// The first attached message (searched depth-first) whose subject is a SEN subject.
fn find_attached_sen<'a>(message: &'a Message<'a>, depth: usize) -> Option<(SubjectInfo, &'a Message<'a>)> {
    if depth >= MAX_NESTING {
        return None;
    }
    for part in message.parts.iter().skip(1) {
        let Some(inner) = part.message() else {
            continue;
        };
        if let Some(found) = find_attached_sen(inner, depth + 1) {
            return Some(found);
        }
        if let Some(info) = inner.subject().and_then(|s| parse_subject(s).ok()) {
            return Some((info, inner));
        }
    }
    None
}

fn message_date(message: &Message<'_>) -> std::result::Result<DateTime<Utc>, String> {
    match message.date() {
        Some(date) if date.is_valid() && calendar_date_ok(date) => {
            DateTime::from_timestamp(date.to_timestamp(), 0).ok_or_else(|| "has a Date header out of range".to_string())
        }
        Some(_) | None => match message.header_raw("Date") {
            Some(raw) => Err(format!("has a Date header that is not a valid date (\u{201c}{}\u{201d})", raw.trim())),
            None => Err("has no Date header".to_string()),
        },
    }
}

fn calendar_date_ok(date: &mail_parser::DateTime) -> bool {
    NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day)).is_some()
}

/// In an inline forward or reply, the quoted original's "Date:" / "Sent:" line, when it is a
/// full RFC 5322 date (Outlook's "Sent: Monday, March 9, 2026 10:15 AM" has no zone and is not used).
fn forwarded_date(body: &str) -> Option<DateTime<Utc>> {
    for line in body.lines() {
        let line = line.trim().trim_start_matches('>').trim();
        let value = ["Date:", "Sent:"].iter().find_map(|p| {
            line.get(..p.len()).filter(|head| head.eq_ignore_ascii_case(p)).map(|_| line[p.len()..].trim())
        });
        let Some(value) = value else { continue };
        let synthetic = format!("Date: {value}\r\n\r\n");
        let parsed = MessageParser::default().parse(synthetic.as_bytes())?;
        if let Ok(date) = message_date(&parsed) {
            return Some(date);
        }
    }
    None
}

fn summary(text: &str) -> Option<String> {
    // In an inline forward or reply the SEN's own text follows the quoted header block.
    let text = match quoted_headers(text) {
        Some((_, after)) if !text[after..].trim().is_empty() => &text[after..],
        Some((start, _)) if !text[..start].trim().is_empty() => &text[..start],
        _ => text,
    };
    let collapsed = collapse_whitespace(text);
    if collapsed.is_empty() {
        return None;
    }
    let mut out: String = collapsed.chars().take(SUMMARY_CHARS).collect();
    if collapsed.chars().count() > SUMMARY_CHARS {
        out.push('\u{2026}');
    }
    Some(out)
}

/// Byte range of the first block of at least two quoted header lines ("From:", "Sent:", "Date:",
/// "To:", "Cc:", "Subject:"), as mail clients write above a forwarded or replied-to message.
fn quoted_headers(body: &str) -> Option<(usize, usize)> {
    const NAMES: [&str; 6] = ["from:", "sent:", "date:", "to:", "cc:", "subject:"];
    let is_header = |line: &str| {
        let l = line.trim_start_matches('>').trim_start().to_ascii_lowercase();
        NAMES.iter().any(|n| l.starts_with(n))
    };
    let (mut offset, mut start, mut lines) = (0, 0, 0);
    for line in body.split_inclusive('\n') {
        if is_header(line) {
            if lines == 0 {
                start = offset;
            }
            lines += 1;
        } else if lines > 0 && line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            // A folded header value ("Subject: ... requires\n your attention").
        } else if lines >= 2 {
            return Some((start, offset));
        } else {
            lines = 0;
        }
        offset += line.len();
    }
    (lines >= 2).then_some((start, body.len()))
}

fn not_a_sen(why: &str) -> Error {
    Error::Unreadable(format!("not a SEN notification: {why}"))
}

fn collapse_whitespace(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Strips `RE:`, `FW:`, `Fwd:` (any case, repeated, `RE[2]:` too) and leading tags such as
/// `[EXTERNAL]`; reports whether any reply/forward prefix was present.
fn strip_prefixes(subject: &str) -> (&str, bool) {
    let mut rest = subject.trim();
    let mut reply_or_forward = false;
    loop {
        let before = rest;
        let lower = rest.to_ascii_lowercase();
        for prefix in ["re", "fwd", "fw", "aw", "wg", "tr"] {
            if let Some(after) = lower.strip_prefix(prefix) {
                let after_counter = skip_counter(after);
                if let Some(tail) = after_counter.trim_start().strip_prefix(':') {
                    rest = rest[rest.len() - tail.len()..].trim_start();
                    reply_or_forward = true;
                    break;
                }
            }
        }
        if rest.starts_with('[') || rest.starts_with('*') {
            let close = if rest.starts_with('[') { ']' } else { '*' };
            if let Some(end) = rest[1..].find(close) {
                let tag = &rest[1..1 + end];
                // "[EXTERNAL]" is a tag; "[0123]" or "[CRITICAL]" belong to the SEN text.
                if tag.len() <= 20
                    && !tag.to_ascii_lowercase().contains("soc")
                    && tag.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')
                {
                    rest = rest[end + 2..].trim_start();
                }
            }
        }
        if rest == before {
            return (rest, reply_or_forward);
        }
    }
}

/// "[2]" after "RE" in "RE[2]:".
fn skip_counter(s: &str) -> &str {
    if let Some(inner) = s.strip_prefix('[') {
        if let Some(end) = inner.find(']') {
            if inner[..end].chars().all(|c| c.is_ascii_digit()) {
                return &inner[end + 1..];
            }
        }
    }
    s
}

const DASHES: [char; 7] = ['-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}'];

/// "SOC-[0123]", "SOC-0123", "SOC – 0123", "soc 0123" → "SOC-0123".
fn find_soc_number(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find("soc") {
        let start = search_from + found;
        search_from = start + 3;
        let boundary_before = lower[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        if !boundary_before {
            continue;
        }
        let mut rest = lower[start + 3..].trim_start_matches(' ');
        if let Some(c) = rest.chars().next().filter(|c| DASHES.contains(c)) {
            rest = rest[c.len_utf8()..].trim_start_matches(' ');
        }
        let bracketed = rest.starts_with('[');
        if bracketed {
            rest = rest[1..].trim_start_matches(' ');
        }
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 12 {
            continue;
        }
        let after = &rest[digits.len()..];
        let well_ended = if bracketed {
            after.trim_start_matches(' ').starts_with(']')
        } else {
            after.chars().next().is_none_or(|c| !c.is_alphanumeric())
        };
        if well_ended {
            return Some(format!("SOC-{digits}"));
        }
    }
    None
}

/// "The SEN Level is: [CRITICAL]", "level is HIGH", "SEN Level: medium" → "critical" / "high" / "medium".
fn find_level(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find("level") {
        let start = search_from + found;
        search_from = start + 5;
        let mut rest = lower[start + 5..].trim_start();
        if let Some(after) = rest.strip_prefix("is") {
            if after.starts_with([' ', ':', '[']) || after.is_empty() {
                rest = after.trim_start();
            }
        }
        rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        rest = rest.strip_prefix('[').unwrap_or(rest).trim_start();
        let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        if (2..=20).contains(&word.chars().count()) && word != "is" {
            return Some(word);
        }
    }
    None
}
