//! A small Outlook .msg writer for tests (MS-OXMSG over the `cfb` crate): enough of the format to
//! make SEN-shaped messages the way Outlook stores them, Unicode or ANSI, with attachments.

use chrono::{DateTime, Utc};
use std::io::{Cursor, Write};

/// One message to write.
#[derive(Clone)]
pub struct MsgSpec {
    pub subject: String,
    pub sender_name: String,
    pub sender_email: String,
    pub submitted: Option<DateTime<Utc>>,
    /// PR_TRANSPORT_MESSAGE_HEADERS, when the message went through a server.
    pub headers: Option<String>,
    pub body: String,
    /// Unicode (`001F`) string properties; false writes ANSI (`001E`) in `codepage`.
    pub unicode: bool,
    pub codepage: Option<u32>,
    pub attachments: Vec<Attachment>,
}

#[derive(Clone)]
pub enum Attachment {
    /// An attached Outlook item (afEmbeddedMessage).
    Message(Box<MsgSpec>),
    /// An attached file (afByValue).
    File { name: String, mime: Option<String>, data: Vec<u8> },
}

impl MsgSpec {
    pub fn new(subject: &str, submitted: DateTime<Utc>, body: &str) -> Self {
        MsgSpec {
            subject: subject.into(),
            sender_name: "Cal-CSIRS".into(),
            sender_email: "calcsirs@caloes.ca.gov".into(),
            submitted: Some(submitted),
            headers: None,
            body: body.into(),
            unicode: true,
            codepage: None,
            attachments: Vec::new(),
        }
    }
}

const PT_LONG: u16 = 0x0003;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_SYSTIME: u16 = 0x0040;
const PT_BINARY: u16 = 0x0102;
const PT_OBJECT: u16 = 0x000D;

/// The .msg file's bytes.
pub fn write(spec: &MsgSpec) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("create");
    cf.create_storage("/__nameid_version1.0").expect("nameid");
    for id in ["00020102", "00030102", "00040102"] {
        cf.create_stream(format!("/__nameid_version1.0/__substg1.0_{id}")).expect("nameid stream");
    }
    write_message(&mut cf, "", spec, 32);
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

struct Props {
    header: Vec<u8>,
    entries: Vec<u8>,
}

impl Props {
    fn fixed(&mut self, id: u16, kind: u16, value: u64) {
        self.entries.extend_from_slice(&(u32::from(id) << 16 | u32::from(kind)).to_le_bytes());
        self.entries.extend_from_slice(&6u32.to_le_bytes()); // readable | writable
        self.entries.extend_from_slice(&value.to_le_bytes());
    }
    fn bytes(self) -> Vec<u8> {
        let mut out = self.header;
        out.extend(self.entries);
        out
    }
}

fn stream(cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, path: &str, data: &[u8]) {
    cf.create_stream(path).expect("stream").write_all(data).expect("write");
}

/// A string property as a `__substg1.0_` stream plus its entry (size with the terminator).
fn string(
    cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>,
    props: &mut Props,
    dir: &str,
    id: u16,
    text: &str,
    spec: &MsgSpec,
) {
    let (kind, data, terminator) = if spec.unicode {
        (PT_UNICODE, text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(), 2)
    } else {
        (PT_STRING8, cp1252(text), 1)
    };
    stream(cf, &format!("{dir}/__substg1.0_{id:04X}{kind:04X}"), &data);
    props.fixed(id, kind, (data.len() + terminator) as u64);
}

fn filetime(at: DateTime<Utc>) -> u64 {
    ((at.timestamp() + 11_644_473_600) as u64) * 10_000_000
}

fn write_message(cf: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, dir: &str, spec: &MsgSpec, header_len: usize) {
    let mut header = vec![0u8; 8];
    header.extend_from_slice(&1u32.to_le_bytes()); // next recipient id
    header.extend_from_slice(&(spec.attachments.len() as u32).to_le_bytes()); // next attachment id
    header.extend_from_slice(&1u32.to_le_bytes()); // recipient count
    header.extend_from_slice(&(spec.attachments.len() as u32).to_le_bytes());
    header.resize(header_len, 0);
    let mut props = Props { header, entries: Vec::new() };
    string(cf, &mut props, dir, 0x001A, "IPM.Note", spec);
    string(cf, &mut props, dir, 0x0037, &spec.subject, spec);
    string(cf, &mut props, dir, 0x0C1A, &spec.sender_name, spec);
    string(cf, &mut props, dir, 0x0C1F, &spec.sender_email, spec);
    string(cf, &mut props, dir, 0x0042, &spec.sender_name, spec);
    string(cf, &mut props, dir, 0x1000, &spec.body, spec);
    if let Some(headers) = &spec.headers {
        string(cf, &mut props, dir, 0x007D, headers, spec);
    }
    if let Some(at) = spec.submitted {
        props.fixed(0x0039, PT_SYSTIME, filetime(at));
        props.fixed(0x0E06, PT_SYSTIME, filetime(at + chrono::Duration::seconds(4)));
    }
    props.fixed(0x3FFD, PT_LONG, u64::from(spec.codepage.unwrap_or(if spec.unicode { 65001 } else { 1252 })));
    props.fixed(0x0E07, PT_LONG, 1); // PR_MESSAGE_FLAGS: read

    let recipient = format!("{dir}/__recip_version1.0_#00000000");
    cf.create_storage(&recipient).expect("recipient");
    let mut recipient_props = Props { header: vec![0u8; 8], entries: Vec::new() };
    string(cf, &mut recipient_props, &recipient, 0x3001, "Information Security Officer", spec);
    string(cf, &mut recipient_props, &recipient, 0x3003, "iso@agency.ca.gov", spec);
    recipient_props.fixed(0x0C15, PT_LONG, 1); // PR_RECIPIENT_TYPE: To
    stream(cf, &format!("{recipient}/__properties_version1.0"), &recipient_props.bytes());

    for (n, attachment) in spec.attachments.iter().enumerate() {
        let adir = format!("{dir}/__attach_version1.0_#{n:08X}");
        cf.create_storage(&adir).expect("attachment");
        let mut aprops = Props { header: vec![0u8; 8], entries: Vec::new() };
        aprops.fixed(0x0E21, PT_LONG, n as u64); // PR_ATTACH_NUM
        match attachment {
            Attachment::Message(inner) => {
                aprops.fixed(0x3705, PT_LONG, 5);
                string(cf, &mut aprops, &adir, 0x3001, &inner.subject, spec);
                aprops.fixed(0x3701, PT_OBJECT, 0xFFFF_FFFF);
                let inner_dir = format!("{adir}/__substg1.0_3701000D");
                cf.create_storage(&inner_dir).expect("embedded");
                write_message(cf, &inner_dir, inner, 24);
            }
            Attachment::File { name, mime, data } => {
                aprops.fixed(0x3705, PT_LONG, 1);
                string(cf, &mut aprops, &adir, 0x3707, name, spec);
                string(cf, &mut aprops, &adir, 0x3001, name, spec);
                if let Some(mime) = mime {
                    string(cf, &mut aprops, &adir, 0x370E, mime, spec);
                }
                stream(cf, &format!("{adir}/__substg1.0_37010102"), data);
                aprops.fixed(0x3701, PT_BINARY, data.len() as u64);
            }
        }
        stream(cf, &format!("{adir}/__properties_version1.0"), &aprops.bytes());
    }
    stream(cf, &format!("{dir}/__properties_version1.0"), &props.bytes());
}

/// Windows-1252 for the characters the fixtures use (Latin-1 plus typographic dashes and quotes).
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2026}' => 0x85,
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}
