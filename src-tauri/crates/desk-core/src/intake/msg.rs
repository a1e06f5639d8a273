//! Outlook .msg files (MS-OXMSG): a compound file (MS-CFB, read with `cfb`) whose storages hold a
//! message's properties. Variable-length properties are streams named `__substg1.0_IIIITTTT`
//! (property id, type); fixed-size ones (times, numbers) are 16-byte entries in
//! `__properties_version1.0`. Attachments are `__attach_version1.0_#NNNNNNNN` storages; an attached
//! message is the `__substg1.0_3701000D` storage inside one, an attached file the
//! `__substg1.0_37010102` stream.
//!
//! Nothing in the file is trusted: counts in headers are not used, every stream read is bounded by
//! the file's own size, attachments are looked at up to a limit and nested messages up to
//! `MAX_NESTING` deep. A broken file is refused as unreadable, never a panic.

use super::{
    mail_subject, message_date, not_a_sen, parse_eml, summary, use_quoted_date, SenNotice, CFB_SIGNATURE, MAX_NESTING,
};
use crate::error::{Error, Result};
use cfb::CompoundFile;
use chrono::{DateTime, Utc};
use mail_parser::MessageParser;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

// Property ids (MS-OXPROPS).
const PR_SUBJECT: u16 = 0x0037;
const PR_CLIENT_SUBMIT_TIME: u16 = 0x0039;
const PR_SENT_REPRESENTING_NAME: u16 = 0x0042;
const PR_SENT_REPRESENTING_EMAIL: u16 = 0x0065;
const PR_TRANSPORT_MESSAGE_HEADERS: u16 = 0x007D;
const PR_SENDER_NAME: u16 = 0x0C1A;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_MESSAGE_DELIVERY_TIME: u16 = 0x0E06;
const PR_BODY: u16 = 0x1000;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_METHOD: u16 = 0x3705;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_MIME_TAG: u16 = 0x370E;
const PR_INTERNET_CPID: u16 = 0x3FDE;
const PR_MESSAGE_CODEPAGE: u16 = 0x3FFD;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5D01;

// Property types.
const PT_LONG: u16 = 0x0003;
const PT_SYSTIME: u16 = 0x0040;

/// PR_ATTACH_METHOD: afEmbeddedMessage.
const ATTACH_EMBEDDED_MESSAGE: u32 = 5;

/// `__properties_version1.0` header sizes (MS-OXMSG 2.4.1): the top-level message, an embedded
/// message, an attachment or recipient.
const TOP_HEADER: usize = 32;
const EMBEDDED_HEADER: usize = 24;
const ATTACHMENT_HEADER: usize = 8;

/// Attachments looked at per message; a forwarded SEN has one.
const MAX_ATTACHMENTS: usize = 64;
/// Code page when the message names none (MS-OXMSG: string8 properties are in the message's code page).
const DEFAULT_CODEPAGE: u32 = 1252;

/// Reads the SEN notification in an .msg file; `depth` counts the messages it is nested in.
pub(super) fn parse(bytes: &[u8], depth: usize) -> Result<SenNotice> {
    if !bytes.starts_with(&CFB_SIGNATURE) {
        return Err(not_outlook("the file does not start with the compound-file signature (D0 CF 11 E0)"));
    }
    let cf = CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| not_outlook(&format!("the compound file is damaged ({})", one_line(&e.to_string()))))?;
    let mut reader = Reader { cf, limit: bytes.len() as u64 };
    let root = Path::new("/");
    if !reader.cf.is_stream(root.join(PROPERTIES)) {
        return Err(not_outlook("the compound file holds no message properties (no __properties_version1.0 stream)"));
    }
    let mail = reader.message(root, TOP_HEADER, DEFAULT_CODEPAGE)?;
    sen_in(&mut reader, &mail, depth)
}

const PROPERTIES: &str = "__properties_version1.0";
const ATTACHMENT_PREFIX: &str = "__attach_version1.0_#";

/// What is read from one message storage.
struct Mail {
    codepage: u32,
    subject: Option<String>,
    sender: Option<String>,
    submitted: Option<DateTime<Utc>>,
    delivered: Option<DateTime<Utc>>,
    headers: Option<String>,
    body: Option<String>,
    attachments: Vec<PathBuf>,
}

/// The SEN in `mail`: an attached SEN first (a forward as attachment), else the message itself.
fn sen_in(reader: &mut Reader<'_>, mail: &Mail, depth: usize) -> Result<SenNotice> {
    if let Some(found) = attached_sen(reader, mail, depth)? {
        return Ok(found);
    }
    let header_subject;
    let subject = match mail.subject.as_deref() {
        Some(s) => s,
        None => {
            header_subject = header_field(mail.headers.as_deref(), "Subject");
            header_subject.as_deref().ok_or_else(|| not_a_sen("the message has no subject"))?
        }
    };
    let info = mail_subject(subject)?;
    let forwarded_inline = info.reply_or_forward;
    let (sent_at, warning) = sent_time(mail).ok_or_else(|| {
        Error::Unreadable(format!(
            "{} found, but the message has no sent time (PR_CLIENT_SUBMIT_TIME): enter the time the SEN was sent",
            info.sen_number
        ))
    })?;
    let mut notice = SenNotice {
        sen_number: info.sen_number,
        level: info.level,
        sent_at,
        summary: mail.body.as_deref().and_then(summary),
        sender: mail.sender.clone().or_else(|| header_field(mail.headers.as_deref(), "From")),
        warnings: warning.into_iter().collect(),
    };
    if forwarded_inline {
        use_quoted_date(&mut notice, mail.body.as_deref().unwrap_or_default());
    }
    Ok(notice)
}

/// The first attachment (depth-first) that is, or holds, a SEN: an embedded message, or an
/// attached .msg / .eml file. Attachments that are not SENs are passed over.
fn attached_sen(reader: &mut Reader<'_>, mail: &Mail, depth: usize) -> Result<Option<SenNotice>> {
    if depth + 1 >= MAX_NESTING {
        return Ok(None);
    }
    for dir in &mail.attachments {
        let props = reader.properties(dir, ATTACHMENT_HEADER)?;
        let embedded = dir.join(format!("__substg1.0_{PR_ATTACH_DATA:04X}000D"));
        if props.long(PR_ATTACH_METHOD) == Some(ATTACH_EMBEDDED_MESSAGE) || reader.cf.is_storage(&embedded) {
            if !reader.cf.is_storage(&embedded) {
                continue;
            }
            let inner = reader.message(&embedded, EMBEDDED_HEADER, mail.codepage)?;
            if let Some(found) = attached_sen(reader, &inner, depth + 1)? {
                return Ok(Some(found));
            }
            let is_sen = inner.subject.as_deref().is_some_and(|s| mail_subject(s).is_ok());
            if is_sen {
                return sen_in(reader, &inner, depth + 1).map(Some);
            }
            continue;
        }
        let Some(data) = reader.stream(&dir.join(format!("__substg1.0_{PR_ATTACH_DATA:04X}0102")))? else {
            continue;
        };
        let found = if data.starts_with(&CFB_SIGNATURE) {
            parse(&data, depth + 1).ok()
        } else {
            let name = reader
                .string(dir, PR_ATTACH_LONG_FILENAME, mail.codepage)?
                .or(reader.string(dir, PR_ATTACH_FILENAME, mail.codepage)?)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let mime = reader.string(dir, PR_ATTACH_MIME_TAG, mail.codepage)?.unwrap_or_default().to_ascii_lowercase();
            if name.ends_with(".eml") || mime == "message/rfc822" {
                parse_eml(&data).ok()
            } else {
                None
            }
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The sent time: the transport headers' Date when it parses, else PR_CLIENT_SUBMIT_TIME, else the
/// delivery time (with a warning); None when the message has none of them.
fn sent_time(mail: &Mail) -> Option<(DateTime<Utc>, Option<String>)> {
    let from_headers = mail.headers.as_deref().and_then(|headers| {
        let block = format!("{}\r\n\r\n", headers.trim_end());
        let parsed = MessageParser::default().parse(block.as_bytes())?;
        message_date(&parsed).ok()
    });
    if let Some(at) = from_headers.or(mail.submitted) {
        return Some((at, None));
    }
    mail.delivered.map(|at| {
        (at, Some("the message has no sent time; the time it was received was used: correct it if needed".into()))
    })
}

/// A header's value from the transport headers, unfolded (for a message whose properties lack it).
fn header_field(headers: Option<&str>, name: &str) -> Option<String> {
    let block = format!("{}\r\n\r\n", headers?.trim_end());
    let parsed = MessageParser::default().parse(block.as_bytes())?;
    match name {
        "Subject" => parsed.subject().map(str::to_string),
        _ => parsed.from().and_then(|f| f.first()).and_then(|a| a.address().or(a.name()).map(str::to_string)),
    }
}

/// Fixed-size property values of one storage, by tag (id << 16 | type).
struct Properties(HashMap<u32, [u8; 8]>);

impl Properties {
    fn value(&self, id: u16, kind: u16) -> Option<[u8; 8]> {
        self.0.get(&(u32::from(id) << 16 | u32::from(kind))).copied()
    }

    fn long(&self, id: u16) -> Option<u32> {
        self.value(id, PT_LONG).map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
    }

    /// A PT_SYSTIME: a FILETIME, 100 ns intervals since 1601-01-01 UTC.
    fn time(&self, id: u16) -> Option<DateTime<Utc>> {
        let ticks = u64::from_le_bytes(self.value(id, PT_SYSTIME)?);
        const UNIX_EPOCH_SECS: i64 = 11_644_473_600;
        let secs = i64::try_from(ticks / 10_000_000).ok()? - UNIX_EPOCH_SECS;
        // Zero (1601) or the far future are "not set", not a time to start a SEN clock at.
        (ticks != 0 && (0..253_402_300_800).contains(&secs)).then(|| DateTime::from_timestamp(secs, 0)).flatten()
    }
}

struct Reader<'a> {
    cf: CompoundFile<Cursor<&'a [u8]>>,
    /// No stream is longer than the file it is in.
    limit: u64,
}

impl Reader<'_> {
    /// A stream's bytes, None when there is no such stream.
    fn stream(&mut self, path: &Path) -> Result<Option<Vec<u8>>> {
        if !self.cf.is_stream(path) {
            return Ok(None);
        }
        let mut data = Vec::new();
        self.cf
            .open_stream(path)
            .and_then(|stream| stream.take(self.limit).read_to_end(&mut data))
            .map_err(|e| damaged(path, &e))?;
        Ok(Some(data))
    }

    fn properties(&mut self, dir: &Path, header: usize) -> Result<Properties> {
        let mut map = HashMap::new();
        if let Some(data) = self.stream(&dir.join(PROPERTIES))? {
            for entry in data.get(header..).unwrap_or_default().chunks_exact(16) {
                let tag = u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]);
                let mut value = [0u8; 8];
                value.copy_from_slice(&entry[8..16]);
                map.insert(tag, value);
            }
        }
        Ok(Properties(map))
    }

    /// A string property: Unicode (`001F`, UTF-16LE) or, failing that, ANSI (`001E`, in the
    /// message's code page). Empty strings count as absent.
    fn string(&mut self, dir: &Path, id: u16, codepage: u32) -> Result<Option<String>> {
        let text = if let Some(data) = self.stream(&dir.join(format!("__substg1.0_{id:04X}001F")))? {
            let units: Vec<u16> = data.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        } else if let Some(data) = self.stream(&dir.join(format!("__substg1.0_{id:04X}001E")))? {
            decode_ansi(&data, codepage)
        } else {
            return Ok(None);
        };
        let text = text.trim_end_matches('\0');
        Ok((!text.trim().is_empty()).then(|| text.to_string()))
    }

    fn message(&mut self, dir: &Path, header: usize, inherited_codepage: u32) -> Result<Mail> {
        let props = self.properties(dir, header)?;
        let codepage = props.long(PR_MESSAGE_CODEPAGE).or(props.long(PR_INTERNET_CPID)).unwrap_or(inherited_codepage);
        let name =
            self.string(dir, PR_SENDER_NAME, codepage)?.or(self.string(dir, PR_SENT_REPRESENTING_NAME, codepage)?);
        // PR_SENDER_EMAIL_ADDRESS is an X.500 DN for Exchange senders; the SMTP one is better.
        let address = self
            .string(dir, PR_SENDER_SMTP_ADDRESS, codepage)?
            .or(self.string(dir, PR_SENDER_EMAIL_ADDRESS, codepage)?)
            .or(self.string(dir, PR_SENT_REPRESENTING_EMAIL, codepage)?);
        let sender = match (name, address) {
            (Some(name), Some(address)) if name != address => Some(format!("{name} <{address}>")),
            (name, address) => address.or(name),
        };
        let mut attachments = Vec::new();
        let entries = self.cf.read_storage(dir).map_err(|e| damaged(dir, &e))?;
        for entry in entries {
            if entry.is_storage() && entry.name().starts_with(ATTACHMENT_PREFIX) {
                if attachments.len() == MAX_ATTACHMENTS {
                    return Err(not_outlook(&format!(
                        "the message has more than {MAX_ATTACHMENTS} attachments: too many for a SEN notification"
                    )));
                }
                attachments.push(entry.path().to_path_buf());
            }
        }
        attachments.sort();
        Ok(Mail {
            codepage,
            subject: self.string(dir, PR_SUBJECT, codepage)?,
            sender,
            submitted: props.time(PR_CLIENT_SUBMIT_TIME),
            delivered: props.time(PR_MESSAGE_DELIVERY_TIME),
            headers: self.string(dir, PR_TRANSPORT_MESSAGE_HEADERS, codepage)?,
            body: self.string(dir, PR_BODY, codepage)?,
            attachments,
        })
    }
}

/// ANSI text in a Windows code page (mail-parser's decoders; multi-byte pages without its
/// `full_encoding` feature fall back to UTF-8, lossy).
fn decode_ansi(bytes: &[u8], codepage: u32) -> String {
    use mail_parser::decoders::charsets::map::charset_decoder;
    let name = match codepage {
        65001 => return String::from_utf8_lossy(bytes).into_owned(),
        20127 => "us-ascii".to_string(),
        28591..=28599 => format!("iso-8859-{}", codepage - 28590),
        874 => "windows-874".to_string(),
        932 => "shift_jis".to_string(),
        936 => "gb2312".to_string(),
        949 => "euc-kr".to_string(),
        950 => "big5".to_string(),
        1250..=1258 => format!("cp{codepage}"),
        _ => format!("cp{DEFAULT_CODEPAGE}"),
    };
    match charset_decoder(name.as_bytes()).or(charset_decoder(b"cp1252")) {
        Some(decode) => decode(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn not_outlook(why: &str) -> Error {
    Error::Unreadable(format!("not an Outlook message (.msg): {why}"))
}

fn damaged(path: &Path, e: &std::io::Error) -> Error {
    not_outlook(&format!("the compound file is damaged ({}: {})", path.display(), one_line(&e.to_string())))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
