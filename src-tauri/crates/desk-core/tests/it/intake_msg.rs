//! SEN intake from Outlook .msg files: the real samples in fixtures/msg (none is a SEN: refused
//! with their subject), SEN-shaped messages written by `msg_writer` (Unicode, ANSI, forwards with
//! the SEN embedded or attached), and mutated bytes of both (refused in one line, never a panic).

use crate::msg_writer::{self, Attachment, MsgSpec};
use chrono::{DateTime, Utc};
use desk_core::intake::{parse_mail, parse_msg, SenNotice};
use proptest::prelude::*;
use std::path::PathBuf;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{}/tests/it/fixtures/msg/{name}", env!("CARGO_MANIFEST_DIR")))
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixture_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mail_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/it/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"))).expect("mail fixture")
}

fn sen_subject(number: &str, level: &str) -> String {
    format!(
        "Cal-CSIRS Notification: A Security Event Notification \u{2013} SOC-[{number}] requires your attention. The SEN Level is: [{level}]"
    )
}

/// The refusal: unreadable, one line, containing `reason`.
fn refused(result: desk_core::Result<SenNotice>, reason: &str) -> String {
    let err = result.expect_err(reason);
    assert_eq!(err.code(), "unreadable", "{err}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(message.contains(reason), "{message:?} should contain {reason:?}");
    message
}

// The SEN-shaped fixtures, as committed in fixtures/msg (see its README).

fn sen_unicode() -> MsgSpec {
    let mut spec = MsgSpec::new(
        &sen_subject("2101", "CRITICAL"),
        t("2026-03-09T16:05:11Z"),
        "A Security Event Notification has been created for your entity.\r\n\r\nHost 10.20.30.40 (\u{00e9}quipe r\u{00e9}seau) is beaconing to a known command-and-control domain.\r\n\r\nLog in to Cal-CSIRS to acknowledge.",
    );
    // The server's Date (a few seconds after Outlook's submit time) is the one used.
    spec.headers = Some(
        "Received: from mail.caloes.ca.gov by mx.agency.ca.gov; Mon, 9 Mar 2026 09:05:14 -0700\r\nDate: Mon, 9 Mar 2026 09:05:13 -0700\r\nFrom: Cal-CSIRS <calcsirs@caloes.ca.gov>\r\nTo: iso@agency.ca.gov\r\nSubject: Cal-CSIRS Notification\r\nMIME-Version: 1.0\r\n".into(),
    );
    spec
}

fn sen_ansi() -> MsgSpec {
    let mut spec = MsgSpec::new(
        &sen_subject("2102", "HIGH"),
        t("2026-03-10T21:40:00Z"),
        "Unusual outbound SMB traffic from the Caf\u{00e9} kiosk \u{2013} see the \u{201c}Details\u{201d} tab in Cal-CSIRS.",
    );
    spec.unicode = false;
    spec.codepage = Some(1252);
    spec
}

fn sen_forward_embedded() -> MsgSpec {
    let sen = MsgSpec::new(
        &sen_subject("2103", "MEDIUM"),
        t("2026-03-11T15:30:00Z"),
        "Phishing campaign observed against entity mailboxes.",
    );
    let mut forward = MsgSpec::new(
        &format!("FW: {}", sen_subject("2103", "MEDIUM")),
        t("2026-03-11T18:02:00Z"),
        "Forwarding the SEN that landed in the shared mailbox.",
    );
    forward.sender_name = "Pat Analyst".into();
    forward.sender_email = "pat.analyst@agency.ca.gov".into();
    forward.attachments.push(Attachment::Message(Box::new(sen)));
    forward
}

fn committed() -> [(&'static str, MsgSpec); 3] {
    [
        ("sen_unicode.msg", sen_unicode()),
        ("sen_ansi.msg", sen_ansi()),
        ("sen_forward_embedded.msg", sen_forward_embedded()),
    ]
}

/// The committed SEN fixtures read exactly as the generator's messages do (the files carry cfb's
/// write timestamps, so bytes are not compared). REGENERATE_MSG_FIXTURES=1 rewrites them.
#[test]
fn committed_sen_fixtures_match_the_generator() {
    for (name, spec) in committed() {
        let generated = msg_writer::write(&spec);
        if std::env::var_os("REGENERATE_MSG_FIXTURES").is_some() {
            std::fs::write(fixture_path(name), &generated).expect("write fixture");
        }
        let expected = parse_msg(&generated).unwrap_or_else(|e| panic!("{name} (generated): {e}"));
        assert_eq!(parse_msg(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}")), expected, "{name}");
    }
}

#[test]
fn unicode_sen_reads_with_the_transport_headers_date() {
    let notice = parse_mail(&fixture("sen_unicode.msg"), Some("sen_unicode.msg")).expect("reads");
    assert_eq!((notice.sen_number.as_str(), notice.level.as_str()), ("SOC-2101", "critical"));
    assert_eq!(notice.sent_at, t("2026-03-09T16:05:13Z"), "Date: from PR_TRANSPORT_MESSAGE_HEADERS wins");
    assert_eq!(notice.sender.as_deref(), Some("Cal-CSIRS <calcsirs@caloes.ca.gov>"));
    let summary = notice.summary.expect("summary from PR_BODY");
    assert!(summary.contains("Host 10.20.30.40 (\u{00e9}quipe r\u{00e9}seau) is beaconing"), "{summary}");
    assert!(notice.warnings.is_empty(), "{:?}", notice.warnings);
}

#[test]
fn ansi_sen_is_decoded_in_its_code_page() {
    let notice = parse_msg(&fixture("sen_ansi.msg")).expect("reads");
    assert_eq!((notice.sen_number.as_str(), notice.level.as_str()), ("SOC-2102", "high"));
    assert_eq!(notice.sent_at, t("2026-03-10T21:40:00Z"), "PR_CLIENT_SUBMIT_TIME without transport headers");
    let summary = notice.summary.expect("summary");
    assert!(summary.contains("Caf\u{00e9} kiosk \u{2013} see the \u{201c}Details\u{201d}"), "{summary}");
}

#[test]
fn forward_with_the_sen_embedded_reads_the_original() {
    let notice = parse_msg(&fixture("sen_forward_embedded.msg")).expect("reads");
    assert_eq!((notice.sen_number.as_str(), notice.level.as_str()), ("SOC-2103", "medium"));
    assert_eq!(notice.sent_at, t("2026-03-11T15:30:00Z"), "the embedded SEN's own time, not the forward's");
    assert_eq!(notice.sender.as_deref(), Some("Cal-CSIRS <calcsirs@caloes.ca.gov>"));
    assert!(notice.summary.unwrap_or_default().contains("Phishing campaign"));
    assert!(notice.warnings.is_empty());
}

#[test]
fn real_outlook_samples_are_read_and_refused_with_their_subject() {
    let ascii = refused(
        parse_msg(&fixture("ascii.msg")),
        "not a SEN notification: \u{201c}creating an outlook message file\u{201d}",
    );
    assert!(ascii.contains("does not name a SOC number"), "{ascii}");
    refused(
        parse_mail(&fixture("attachment.msg"), None),
        "not a SEN notification: \u{201c}FW: [WARNING: ATTACHMENT(S) MAY CONTAIN MALWARE]Please check all aspects in documents\u{201d}",
    );
}

#[test]
fn bad_outlook_msg_is_refused_cleanly() {
    let bytes = fixture("bad_outlook.msg");
    refused(
        parse_mail(&bytes, Some("bad_outlook.msg")),
        "not an Outlook message (.msg): the file does not start with the compound-file signature",
    );
    refused(parse_msg(&bytes), "not an Outlook message");
    // Without its name it is read as an e-mail, and is not one either.
    refused(parse_mail(&bytes, None), "");
    refused(parse_msg(&[]), "not an Outlook message");
}

#[test]
fn kind_is_told_by_content_not_name() {
    let notice = parse_mail(&fixture("sen_ansi.msg"), Some("SEN.eml")).expect("an .msg named .eml");
    assert_eq!(notice.sen_number, "SOC-2102");
    let notice = parse_mail(&mail_fixture("sen_q_encoded.eml"), Some("notice.txt")).expect("an .eml");
    assert_eq!(notice.sen_number, "SOC-0123");
}

#[test]
fn forward_with_an_attached_eml_or_msg_file() {
    let mut forward = MsgSpec::new("FW: as promised", t("2026-03-12T10:00:00Z"), "See attached.");
    forward.attachments.push(Attachment::File {
        name: "holiday.jpg".into(),
        mime: Some("image/jpeg".into()),
        data: vec![0xFF, 0xD8, 0xFF],
    });
    forward.attachments.push(Attachment::File {
        name: "SEN.eml".into(),
        mime: None,
        data: mail_fixture("sen_q_encoded.eml"),
    });
    let notice = parse_msg(&msg_writer::write(&forward)).expect("attached .eml");
    assert_eq!((notice.sen_number.as_str(), notice.sent_at), ("SOC-0123", t("2026-03-02T17:14:27Z")));

    let mut forward = MsgSpec::new("FW: SEN", t("2026-03-12T10:00:00Z"), "See attached.");
    forward.attachments.push(Attachment::File {
        name: "SEN.msg".into(),
        mime: Some("application/vnd.ms-outlook".into()),
        data: fixture("sen_ansi.msg"),
    });
    let notice = parse_msg(&msg_writer::write(&forward)).expect("attached .msg");
    assert_eq!(notice.sen_number, "SOC-2102");

    // An attachment that is not a SEN leaves the forward's own subject to decide.
    let mut forward = MsgSpec::new("FW: lunch", t("2026-03-12T10:00:00Z"), "See attached.");
    forward.attachments.push(Attachment::File { name: "other.msg".into(), mime: None, data: fixture("ascii.msg") });
    refused(parse_msg(&msg_writer::write(&forward)), "not a SEN notification: \u{201c}FW: lunch\u{201d}");
}

#[test]
fn eml_with_an_attached_outlook_item() {
    let msg = fixture("sen_unicode.msg");
    let encoded = base64(&msg);
    let eml = format!(
        "From: Pat <pat@agency.ca.gov>\r\nTo: iso@agency.ca.gov\r\nSubject: FW: see attached\r\nDate: Thu, 12 Mar 2026 10:00:00 -0700\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b1\r\nContent-Type: application/vnd.ms-outlook; name=\"SEN.msg\"\r\nContent-Disposition: attachment; filename=\"SEN.msg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b1--\r\n"
    );
    let notice = parse_mail(eml.as_bytes(), Some("fw.eml")).expect("reads the attached .msg");
    assert_eq!(notice.sen_number, "SOC-2101");
}

#[test]
fn inline_forward_and_missing_times() {
    let mut spec = MsgSpec::new(&format!("FW: {}", sen_subject("2104", "HIGH")), t("2026-03-12T10:00:00Z"), "From: Cal-CSIRS\r\nSent: Thursday, March 12, 2026 9:00 AM\r\nSubject: Cal-CSIRS Notification\r\n\r\nThe SEN text.");
    let notice = parse_msg(&msg_writer::write(&spec)).expect("reads");
    assert_eq!(notice.sent_at, t("2026-03-12T10:00:00Z"));
    assert!(notice.warnings.iter().any(|w| w.contains("reply or forward")), "{:?}", notice.warnings);

    // An unparseable Date in the transport headers leaves the submit time.
    spec.subject = sen_subject("2105", "HIGH");
    spec.headers = Some("Date: sometime on Thursday\r\nSubject: x\r\n".into());
    assert_eq!(parse_msg(&msg_writer::write(&spec)).expect("reads").sent_at, t("2026-03-12T10:00:00Z"));

    spec.submitted = None;
    spec.headers = None;
    refused(parse_msg(&msg_writer::write(&spec)), "SOC-2105 found, but the message has no sent time");
}

#[test]
fn counts_are_not_trusted_and_many_attachments_are_refused() {
    // The header's attachment and recipient counts set to 4 billion: not used, the file reads.
    let mut spec = sen_unicode();
    spec.attachments.push(Attachment::File { name: "a.txt".into(), mime: None, data: b"hello".to_vec() });
    let bytes = msg_writer::write(&spec);
    let patched = patch_top_header_counts(&bytes);
    assert_eq!(parse_msg(&patched).expect("reads").sen_number, "SOC-2101");

    let mut spec = sen_unicode();
    for n in 0..65 {
        spec.attachments.push(Attachment::File { name: format!("{n}.txt"), mime: None, data: vec![b'x'] });
    }
    refused(parse_msg(&msg_writer::write(&spec)), "more than 64 attachments");
}

#[test]
fn other_compound_files_and_truncations_are_refused() {
    // A compound file that is not a message (a Word or Excel file is one).
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    cf.create_stream("/WordDocument").expect("stream");
    cf.flush().expect("flush");
    refused(parse_msg(&cf.into_inner().into_inner()), "holds no message properties");

    let bytes = fixture("sen_forward_embedded.msg");
    for cut in [8, 100, 512, 1024, bytes.len() / 2, bytes.len() - 1] {
        if let Err(e) = parse_msg(&bytes[..cut]) {
            assert_eq!(e.code(), "unreadable", "cut at {cut}: {e}");
            assert!(e.to_string().starts_with("not an Outlook message"), "cut at {cut}: {e}");
        }
    }
}

/// Sets the recipient and attachment counts of the top-level property header to u32::MAX, in
/// place (the stream keeps its length).
fn patch_top_header_counts(bytes: &[u8]) -> Vec<u8> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes.to_vec())).expect("open");
    let mut data = Vec::new();
    cf.open_stream("/__properties_version1.0").expect("props").read_to_end(&mut data).expect("read");
    data[8..24].fill(0xFF);
    let mut stream = cf.open_stream("/__properties_version1.0").expect("props");
    stream.seek(SeekFrom::Start(0)).expect("seek");
    stream.write_all(&data).expect("write");
    drop(stream);
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let n = chunk.iter().enumerate().fold(0u32, |n, (j, b)| n | u32::from(*b) << (16 - 8 * j));
        for k in 0..4 {
            out.push(if k <= chunk.len() { ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// Mutations of a compound file: byte flips anywhere, denser in the first sectors (header, FAT,
/// directory), a run of random bytes written over, and a truncation.
fn mutated(sample: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = sample.len();
    let head = len.min(4096);
    (
        proptest::collection::vec((0..head, any::<u8>()), 0..16),
        proptest::collection::vec((0..len, any::<u8>()), 0..16),
        (0..len, proptest::collection::vec(any::<u8>(), 0..32)),
        prop_oneof![Just(len), 0..len],
    )
        .prop_map(move |(head_flips, flips, (at, run), cut)| {
            let mut bytes = sample.clone();
            for (i, b) in head_flips.into_iter().chain(flips) {
                bytes[i] ^= b;
            }
            for (k, b) in run.into_iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + k) {
                    *slot = b;
                }
            }
            bytes.truncate(cut);
            bytes
        })
}

fn read_or_refused(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(e) = parse_msg(bytes) {
        prop_assert_eq!(e.code(), "unreadable", "{}", e);
        prop_assert!(!e.to_string().contains('\n'), "{}", e);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_forward_is_read_or_refused(bytes in mutated(fixture("sen_forward_embedded.msg"))) {
        read_or_refused(&bytes)?;
    }

    #[test]
    fn mutated_ansi_sample_is_read_or_refused(bytes in mutated(fixture("ascii.msg"))) {
        read_or_refused(&bytes)?;
    }

    #[test]
    fn mutated_outlook_sample_is_read_or_refused(bytes in mutated(fixture("attachment.msg"))) {
        read_or_refused(&bytes)?;
    }
}
