//! Contact photos: what is accepted (JPEG, PNG or WebP up to 2 MiB, told by
//! the file's own bytes, never by its name or declared type) and the URL a
//! stored photo is served at. Pure, shared with the browser (which checks
//! size and declared type before uploading).

use crate::ids::ContactId;

/// Upload and removal server functions, the image route.
pub mod api;
/// SQL of contact photos (server only).
#[cfg(feature = "ssr")]
pub mod repo;

/// Largest accepted photo, in bytes.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// The image types accepted, as the browser's file picker is told.
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp";

/// An accepted image type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoType {
    Jpeg,
    Png,
    Webp,
}

impl PhotoType {
    /// The MIME type the photo is served with.
    pub fn mime(self) -> &'static str {
        match self {
            PhotoType::Jpeg => "image/jpeg",
            PhotoType::Png => "image/png",
            PhotoType::Webp => "image/webp",
        }
    }

    /// Reads back a stored MIME type.
    pub fn from_mime(mime: &str) -> Option<PhotoType> {
        match mime {
            "image/jpeg" => Some(PhotoType::Jpeg),
            "image/png" => Some(PhotoType::Png),
            "image/webp" => Some(PhotoType::Webp),
            _ => None,
        }
    }
}

/// Why a photo was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoError {
    Missing,
    TooLarge,
    NotAnImage,
}

impl PhotoError {
    /// The message shown to the user (pt-BR, like all server messages).
    pub fn problem(self) -> crate::problem::Problem {
        use crate::problem::Problem;
        match self {
            PhotoError::Missing => Problem::PhotoRequired,
            PhotoError::TooLarge => Problem::PhotoTooLarge,
            PhotoError::NotAnImage => Problem::NotAnImage,
        }
    }
}

/// Tells the image type from the file's first bytes (its signature).
pub fn sniff(bytes: &[u8]) -> Result<PhotoType, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Missing);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(PhotoType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(PhotoType::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(PhotoType::Webp)
    } else {
        Err(PhotoError::NotAnImage)
    }
}

/// The browser's check before uploading: the size and the declared type
/// (the server still reads the bytes).
pub fn precheck(size: f64, declared_type: &str) -> Result<(), PhotoError> {
    if size <= 0.0 {
        Err(PhotoError::Missing)
    } else if size > MAX_PHOTO_BYTES as f64 {
        Err(PhotoError::TooLarge)
    } else if PhotoType::from_mime(declared_type).is_none() {
        Err(PhotoError::NotAnImage)
    } else {
        Ok(())
    }
}

/// Where a contact's photo is served; `version` changes with every upload,
/// so the URL can be cached for good.
pub fn photo_url(contact_id: ContactId, version: &str) -> String {
    format!("/contacts/{contact_id}/photo?v={version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_their_bytes() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Ok(PhotoType::Jpeg)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(PhotoType::Png));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Ok(PhotoType::Webp));
    }

    #[test]
    fn other_files_are_refused_whatever_their_name() {
        assert_eq!(sniff(b"GIF89a..."), Err(PhotoError::NotAnImage));
        assert_eq!(sniff(b"<svg xmlns=..."), Err(PhotoError::NotAnImage));
        assert_eq!(sniff(b"%PDF-1.7"), Err(PhotoError::NotAnImage));
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVE"), Err(PhotoError::NotAnImage));
        assert_eq!(sniff(b""), Err(PhotoError::Missing));
    }

    #[test]
    fn large_files_are_refused() {
        let mut big = vec![0u8; MAX_PHOTO_BYTES + 1];
        big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
        assert_eq!(sniff(&big), Err(PhotoError::TooLarge));
        assert_eq!(sniff(&big[..MAX_PHOTO_BYTES]), Ok(PhotoType::Jpeg));
    }

    #[test]
    fn the_browser_prechecks_size_and_declared_type() {
        assert_eq!(precheck(1000.0, "image/png"), Ok(()));
        assert_eq!(precheck(1000.0, "image/gif"), Err(PhotoError::NotAnImage));
        assert_eq!(precheck(3e6, "image/jpeg"), Err(PhotoError::TooLarge));
        assert_eq!(precheck(0.0, "image/jpeg"), Err(PhotoError::Missing));
    }

    #[test]
    fn mime_types_round_trip_and_urls_carry_the_version() {
        for kind in [PhotoType::Jpeg, PhotoType::Png, PhotoType::Webp] {
            assert_eq!(PhotoType::from_mime(kind.mime()), Some(kind));
        }
        assert_eq!(
            photo_url(ContactId::new(7), "ab12"),
            "/contacts/7/photo?v=ab12"
        );
    }
}
