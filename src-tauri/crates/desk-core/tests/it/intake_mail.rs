//! SEN intake from real-shaped messages (tests/it/fixtures/mail) and from pasted subject lines.

use chrono::{DateTime, Utc};
use desk_core::intake::{notice_from_subject, parse_eml, parse_subject};
use proptest::prelude::*;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/it/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture reads as SEN `number` at `level`, sent at `sent`, with a summary containing `summary`.
fn check(name: &str, number: &str, level: &str, sent: &str, summary: &str) -> Vec<String> {
    let notice = parse_eml(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!((notice.sen_number.as_str(), notice.level.as_str()), (number, level), "{name}");
    assert_eq!(notice.sent_at, t(sent), "{name}");
    let got = notice.summary.clone().unwrap_or_default();
    assert!(got.contains(summary), "{name}: summary {got:?} should contain {summary:?}");
    notice.warnings
}

/// The fixture is refused as unreadable with a one-line reason containing `reason`.
fn check_refused(name: &str, reason: &str) {
    let err = parse_eml(&fixture(name)).expect_err(name);
    assert_eq!(err.code(), "unreadable", "{name}");
    let message = err.to_string();
    assert!(!message.contains('\n'), "{name}: one line: {message}");
    assert!(message.contains(reason), "{name}: {message:?} should contain {reason:?}");
}

#[test]
fn q_encoded_folded_subject() {
    let warnings = check(
        "sen_q_encoded.eml",
        "SOC-0123",
        "critical",
        "2026-03-02T17:14:27Z",
        "beaconing to a known command-and-control domain",
    );
    assert!(warnings.is_empty());
}

#[test]
fn b_encoded_subject_multipart_alternative() {
    check("sen_b_encoded_multipart.eml", "SOC-0456", "high", "2026-03-04T00:52:05Z", "Inbound DDoS traffic");
}

#[test]
fn forwarded_as_attached_message_uses_the_inner_sen_and_its_date() {
    let warnings = check(
        "sen_forwarded_as_attachment.eml",
        "SOC-0789",
        "critical",
        "2026-03-02T06:47:03Z",
        "Ransomware precursor",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn forwarded_inline_takes_the_quoted_date() {
    let warnings =
        check("sen_forwarded_inline_thunderbird.eml", "SOC-0321", "medium", "2026-03-02T16:02:11Z", "Exposed RDP");
    assert_eq!(
        warnings,
        ["this is a reply or forward: the sent time was taken from the quoted original (2026-03-02T16:02:11Z)"]
    );
}

#[test]
fn reply_chain_with_windows_1252_subject_warns_about_the_time() {
    let warnings =
        check("sen_reply_outlook.eml", "SOC-0654", "high", "2026-03-04T19:40:12Z", "We are looking into it.");
    let summary = parse_eml(&fixture("sen_reply_outlook.eml")).expect("reads").summary;
    assert_eq!(summary.as_deref(), Some("We are looking into it."), "the quoted headers are not the summary");
    assert!(warnings.iter().any(|w| w.contains("correct it if needed")), "{warnings:?}");
}

#[test]
fn tag_folding_em_dash_spaces_lowercase_and_an_unknown_level() {
    check("sen_tagged_folded_lowercase.eml", "SOC-0999", "low", "2026-03-05T13:00:59Z", "Informational");
}

#[test]
fn non_sen_mail_and_broken_dates_are_refused() {
    // The refusal quotes the mail's subject, so the ISO sees which mail it was.
    check_refused("not_sen_newsletter.eml", "not a SEN notification: \u{201c}");
    check_refused("not_sen_newsletter.eml", "\u{201d}: the subject does not name a SOC number");
    check_refused("not_sen_meeting.eml", "\u{201d}: the subject does not give the SEN level");
    check_refused("sen_missing_date.eml", "SOC-0111 found, but the message has no Date header");
    check_refused("sen_bad_date.eml", "not a valid date (\u{201c}sometime on Monday morning\u{201d})");
}

#[test]
fn garbage_is_refused() {
    for bytes in
        [&b""[..], b"   \r\n", b"\x00\x01\x02\xff\xfe binary", b"just a line of text", b"Subject: hello\r\n\r\nbody"]
    {
        let err = parse_eml(bytes).expect_err("refused");
        assert_eq!(err.code(), "unreadable", "{bytes:?}");
        assert!(!err.to_string().contains('\n'));
    }
}

/// The pasted subject reads as (number, level).
fn check_subject(subject: &str, number: &str, level: &str) {
    let info = parse_subject(subject).unwrap_or_else(|e| panic!("{subject:?}: {e}"));
    assert_eq!((info.sen_number.as_str(), info.level.as_str()), (number, level), "{subject:?}");
}

#[test]
fn pasted_subject_variants() {
    let seed = "Cal-CSIRS Notification: A Security Event Notification \u{2013} SOC-[0123] requires your attention. The SEN Level is: [CRITICAL]";
    check_subject(seed, "SOC-0123", "critical");
    check_subject("SUBJECT: Cal-CSIRS Notification: A Security Event Notification \u{2013} SOC-[0123] requires\n your attention. The SEN Level is: [CRITICAL]", "SOC-0123", "critical");
    check_subject("RE: RE: FW: Fwd: Cal-CSIRS Notification: A Security Event Notification - SOC-0042 requires your attention. The SEN Level is: High", "SOC-0042", "high");
    check_subject("re[2]: fw: cal-csirs notification: a security event notification \u{2014} soc-7 requires your attention. the sen level is: medium", "SOC-7", "medium");
    check_subject("  Cal-CSIRS Notification:\tA Security Event Notification\u{a0}\u{2013}\u{a0}SOC \u{2013} [00815] requires your attention.  The SEN Level is:[HIGH]  ", "SOC-00815", "high");
    check_subject(
        "*EXTERNAL* [EXT] FW: SOC-12 requires your attention. The SEN Level is: CRITICAL (RED)",
        "SOC-12",
        "critical",
    );
}

#[test]
fn pasted_subject_refusals() {
    let check = |subject: &str, reason: &str| {
        let err = parse_subject(subject).expect_err(subject);
        assert_eq!(err.code(), "unreadable");
        assert!(err.to_string().contains(reason), "{subject:?}: {err}");
    };
    check("", "the subject is empty");
    check("Lunch on Friday?", "does not name a SOC number");
    check("Cal-CSIRS Notification: A Security Event Notification \u{2013} SOC-[] requires your attention. The SEN Level is: [CRITICAL]", "does not name a SOC number");
    check("Associate SOC-0123 with the report", "does not give the SEN level");
    check("MSSOC-0123 The SEN Level is: HIGH", "does not name a SOC number");
}

#[test]
fn pasted_subject_with_a_given_time() {
    let notice = notice_from_subject(
        "FW: SOC-0500 requires your attention. The SEN Level is: MEDIUM",
        t("2026-03-02T18:00:00Z"),
    )
    .expect("notice");
    assert_eq!(
        (notice.sen_number.as_str(), notice.level.as_str(), notice.sent_at),
        ("SOC-0500", "medium", t("2026-03-02T18:00:00Z"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic_and_are_not_sens(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let result = parse_eml(&bytes);
        prop_assert!(result.is_err());
        prop_assert_eq!(result.err().map(|e| e.code()), Some("unreadable"));
    }

    #[test]
    fn random_subjects_never_panic(subject in "\\PC{0,200}") {
        let _ = parse_subject(&subject);
    }

    #[test]
    fn any_number_and_level_round_trip(number in "[0-9]{1,8}", level in "(critical|high|medium|low)", lower in any::<bool>()) {
        let subject = format!("Cal-CSIRS Notification: A Security Event Notification \u{2013} SOC-[{number}] requires your attention. The SEN Level is: [{}]", level.to_uppercase());
        let subject = if lower { subject.to_lowercase() } else { subject };
        let info = parse_subject(&subject).expect("parses");
        prop_assert_eq!(info.sen_number, format!("SOC-{number}"));
        prop_assert_eq!(info.level, level);
    }
}

#[test]
fn imported_mail_becomes_a_sen_once() {
    use desk_core::sen::store::{self, Source};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = desk_core::Store::open_in_dir(dir.path()).expect("open");
    let now = t("2026-03-02T18:00:00Z");
    let notice = parse_eml(&fixture("sen_q_encoded.eml")).expect("reads");
    let sen = store::create(db.conn(), notice.clone().into_new_sen(Source::Email), now, &crate::common::actor())
        .expect("create");
    assert_eq!((sen.sen_number.as_str(), sen.level.as_str(), sen.source), ("SOC-0123", "critical", Source::Email));
    assert!(sen.summary.contains("beaconing"));
    let again = store::create(db.conn(), notice.into_new_sen(Source::Email), now, &crate::common::actor())
        .expect_err("second import");
    assert_eq!(again.code(), "conflict");
}
