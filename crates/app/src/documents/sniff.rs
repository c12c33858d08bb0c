//! What an upload is, from its content: the type from its first bytes (never the client's
//! name or content type), and the uploader's file name cleaned for keeping as metadata.

/// The longest file name kept (characters).
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// The content type and extension of a PDF, JPEG or PNG, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else {
        None
    }
}

/// The extension of a stored content type.
pub fn extension_of(content_type: &str) -> Option<&'static str> {
    match content_type {
        "application/pdf" => Some("pdf"),
        "image/jpeg" => Some("jpg"),
        "image/png" => Some("png"),
        _ => None,
    }
}

/// The uploader's file name as metadata: its last path component, normalised, without
/// control characters, at most [`MAX_FILE_NAME_CHARS`] characters; `document.<ext>` when
/// nothing is left.
pub fn clean_file_name(raw: Option<&str>, ext: &str) -> String {
    let base = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let base: String = base.chars().filter(|c| !c.is_control()).collect();
    let text = vamyar_domain::text::normalize_persian(&base);
    let name: String = text
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let name = name.trim().to_string();
    if name.is_empty() {
        format!("document.{ext}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(("application/pdf", "pdf")));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(("image/png", "png")));
        assert_eq!(sniff(b"hello, I am text"), None);
        assert_eq!(sniff(b"%PD"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn file_names_lose_their_paths_and_controls() {
        assert_eq!(clean_file_name(Some("../../etc/passwd"), "pdf"), "passwd");
        assert_eq!(
            clean_file_name(Some("C:\\Users\\x\\كارت ملي.pdf"), "pdf"),
            "کارت ملی.pdf"
        );
        assert_eq!(clean_file_name(Some("a\u{0}b\nc.png"), "png"), "abc.png");
        assert_eq!(clean_file_name(Some("/"), "png"), "document.png");
        assert_eq!(clean_file_name(None, "jpg"), "document.jpg");
        assert_eq!(clean_file_name(Some(".hidden"), "jpg"), "hidden");
        assert_eq!(
            clean_file_name(Some(&"x".repeat(500)), "pdf")
                .chars()
                .count(),
            MAX_FILE_NAME_CHARS
        );
    }
}
