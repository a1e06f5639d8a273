//! Field validators shared by every form (profile, reports). Each returns a message that names what
//! is wrong in words an ISO understands; the caller attaches the field path.

/// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Deliberately not RFC 5322 complete: it catches typos, it does not judge deliverability.
pub fn email(value: &str) -> Result<(), String> {
    let v = value.trim();
    let bad = || Err(format!("\u{201c}{v}\u{201d} is not an e-mail address (expected name@agency.ca.gov)"));
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) || v.len() > 254 {
        return bad();
    }
    let Some((local, domain)) = v.split_once('@') else { return bad() };
    if local.is_empty() || domain.contains('@') || local.len() > 64 {
        return bad();
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) || labels.last().is_some_and(|tld| tld.len() < 2) {
        return bad();
    }
    Ok(())
}

/// A telephone number as people write them: digits with spaces, dots, dashes, parentheses, an
/// optional leading `+`, and an optional extension (`x123`, `ext. 123`). 7 to 15 digits.
pub fn phone(value: &str) -> Result<(), String> {
    let v = value.trim();
    let bad = |why: &str| Err(format!("\u{201c}{v}\u{201d} is not a phone number ({why})"));
    let lower = v.to_lowercase();
    let (main, ext) = match lower.find(['x', 'e']) {
        Some(i) => (&lower[..i], Some(&lower[i..])),
        None => (lower.as_str(), None),
    };
    if let Some(ext) = ext {
        let digits = ext.trim_start_matches("extension").trim_start_matches("ext").trim_start_matches('x');
        let digits = digits.trim_start_matches('.').trim();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return bad("an extension is written x123 or ext. 123");
        }
    }
    let main = main.trim();
    let allowed = |c: char| c.is_ascii_digit() || " .-()".contains(c);
    let body = main.strip_prefix('+').unwrap_or(main);
    if !body.chars().all(allowed) {
        return bad("use digits, spaces, dashes, dots and parentheses");
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return bad("expected 7 to 15 digits, e.g. (916) 445-5239");
    }
    Ok(())
}

/// Free text: refuses control characters other than line breaks and tabs, and enforces a length
/// limit in characters so a pasted log cannot bloat every autosave.
pub fn text(value: &str, max_chars: usize) -> Result<(), String> {
    let count = value.chars().count();
    if count > max_chars {
        return Err(format!("too long: {count} characters, the limit is {max_chars}"));
    }
    if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err("contains control characters; paste as plain text".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["iso@cdt.ca.gov", "first.last+sec@agency.ca.gov", "a@b.io"] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in ["", "iso", "iso@", "@cdt.ca.gov", "iso@cdt", "iso @cdt.ca.gov", "a@b@c.gov", "a@-x.gov", "a@x.g"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in ["(916) 445-5239", "916.843.4199", "+1 916 445 5239", "916-445-5239 x12", "9164455239 ext. 7"] {
            assert!(phone(ok).is_ok(), "{ok}");
        }
        for bad in ["", "abc", "12345", "916-445-5239 ext", "916/445/5239", "1234567890123456"] {
            assert!(phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_limits() {
        assert!(text("line\nline\tx", 20).is_ok());
        assert!(text(&"x".repeat(21), 20).is_err());
        assert!(text("bell\u{7}", 20).is_err());
    }
}
