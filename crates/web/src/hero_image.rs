//! Hero images as readers get them. Whatever a photographer uploads (a camera's 5 MB JPEG, a
//! PNG, a WebP) is decoded, turned upright by its EXIF orientation, made at most [`MAX_SIDE`]
//! pixels wide and high, and encoded again: a phone loads a few hundred kilobytes instead of
//! megabytes. Encoding again also drops every metadata block (EXIF with the camera's GPS
//! position, XMP, comments), so nothing a photo carried besides its pixels reaches the public.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use yui_domain::Message;

/// The longest side of a stored hero image: enough for a full-width picture on a wide screen.
pub const MAX_SIDE: u32 = 1600;
/// The most pixels per side an upload may have (a decompression bomb stops here).
pub const MAX_INPUT_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeroError {
    #[error("not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image cannot be decoded")]
    Undecodable,
    #[error("the image has more than {MAX_INPUT_SIDE} pixels on a side")]
    TooLarge,
}

impl HeroError {
    /// The message for the upload form's field.
    pub fn message(&self) -> Message {
        match self {
            HeroError::NotAnImage => Message::new("field.hero.not_an_image"),
            HeroError::Undecodable => Message::new("field.hero.undecodable"),
            HeroError::TooLarge => Message::new("field.hero.too_many_pixels").with("max", MAX_INPUT_SIDE),
        }
    }
}

/// An image ready to store: its bytes and the file extension they call for.
#[derive(Debug)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The format by the file's first bytes, never by its name or the browser's word.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// Decodes, turns upright, shrinks to [`MAX_SIDE`] and encodes again: JPEG, or PNG when the
/// image has transparency. CPU-bound: call it off the request threads.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, HeroError> {
    let format = sniff(bytes).ok_or(HeroError::NotAnImage)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_INPUT_SIDE);
    limits.max_image_height = Some(MAX_INPUT_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    // A photo whose orientation tag cannot be read is shown as it was stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    img.apply_orientation(orientation);
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle);
    }
    let mut out = Vec::new();
    let ext = if img.color().has_alpha() {
        img.to_rgba8().write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(refusal)?;
        "png"
    } else {
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&img.to_rgb8()).map_err(refusal)?;
        "jpg"
    };
    Ok(Prepared { bytes: out, ext, width: img.width(), height: img.height() })
}

/// The content type and size of a stored image, read from its header (the pixels are not
/// decoded): for images kept by an earlier version, which went through [`prepare`] already.
pub fn describe(bytes: &[u8]) -> Option<(&'static str, u32, u32)> {
    let format = sniff(bytes)?;
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format).into_dimensions().ok()?;
    let content_type = match format {
        ImageFormat::Png => "image/png",
        ImageFormat::WebP => "image/webp",
        _ => "image/jpeg",
    };
    Some((content_type, width, height))
}

impl Prepared {
    /// The `Content-Type` the image is served with.
    pub fn content_type(&self) -> &'static str {
        content_type(self.ext)
    }
}

/// The `Content-Type` of a stored image's extension (`application/octet-stream` for any other).
pub fn content_type(ext: &str) -> &'static str {
    match ext {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

fn refusal(e: ImageError) -> HeroError {
    match e {
        ImageError::Limits(_) => HeroError::TooLarge,
        _ => HeroError::Undecodable,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
        out
    }

    /// A JPEG with an APP1 Exif block: orientation 6 (turn 90° clockwise to view) and a GPS
    /// marker string, the way a phone writes a portrait photo.
    fn phone_photo(width: u32, height: u32) -> Vec<u8> {
        let plain = jpeg(width, height);
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&[0, 1]); // one IFD entry
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
        tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        tiff.extend_from_slice(b"GPS-36.85N-136.98E");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(ImageFormat::Png));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(ImageFormat::WebP));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_large_photo_is_shrunk_to_the_longest_side_and_stays_a_jpeg() {
        let p = prepare(&jpeg(3200, 1200)).unwrap();
        assert_eq!((p.ext, p.width, p.height), ("jpg", 1600, 600));
        assert_eq!(sniff(&p.bytes), Some(ImageFormat::Jpeg));
        let small = prepare(&jpeg(800, 600)).unwrap();
        assert_eq!((small.width, small.height), (800, 600), "small images keep their size");
    }

    #[test]
    fn a_phone_photo_is_turned_upright_and_loses_its_metadata() {
        let photo = phone_photo(400, 300);
        assert!(photo.windows(4).any(|w| w == b"Exif"));
        let p = prepare(&photo).unwrap();
        assert_eq!((p.width, p.height), (300, 400), "orientation 6 turns landscape pixels upright");
        assert!(!p.bytes.windows(4).any(|w| w == b"Exif"), "no EXIF block is stored");
        assert!(!p.bytes.windows(3).any(|w| w == b"GPS"));
    }

    #[test]
    fn transparency_keeps_a_png() {
        let img = RgbaImage::from_fn(2000, 1000, |x, _| Rgba([200, 30, 30, (x % 256) as u8]));
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let p = prepare(&png).unwrap();
        assert_eq!((p.ext, p.width, p.height), ("png", 1600, 800));
        assert_eq!(sniff(&p.bytes), Some(ImageFormat::Png));
    }

    #[test]
    fn what_is_not_a_whole_image_is_refused() {
        assert_eq!(prepare(b"just text").unwrap_err(), HeroError::NotAnImage);
        let truncated = &jpeg(64, 64)[..40];
        assert_eq!(prepare(truncated).unwrap_err(), HeroError::Undecodable);
        let mut fake = vec![0xFF, 0xD8, 0xFF, 0xE0];
        fake.extend_from_slice(&[0u8; 64]);
        assert_eq!(prepare(&fake).unwrap_err(), HeroError::Undecodable);
    }

    /// CRC-32 (IEEE), as PNG chunks carry it.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_side_limit() {
        // A valid PNG header (its checksum redone) claiming 20,000 × 20,000 pixels.
        let img = RgbImage::new(1, 1);
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = prepare(&png).unwrap_err();
        assert_eq!(err, HeroError::TooLarge);
        assert!(crate::i18n::Lang::Ja.message(&err.message()).contains("12000"));
    }
}
