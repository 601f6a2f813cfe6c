//! How an employer's face is shown: on their page, next to their name on a posting, and as
//! the picture a shared link carries (`og:image`).

use crate::error::WebError;
use crate::handler::db;
use crate::i18n::Lang;
use crate::state::AppState;
use actix_web::{web, HttpRequest};
use serde_json::{json, Value};
use yui_domain::employer_face::{self, Face, FaceImage, FacePhoto, MAX_PHOTOS};
use yui_domain::{FieldError, Message};

/// The logo's height next to a name, in CSS pixels.
const LOGO_SMALL: u32 = 48;
/// The logo's height at the top of the employer's page.
const LOGO_LARGE: u32 = 96;

pub fn media_path(image: &FaceImage) -> String {
    format!("/media/{}", image.name)
}

/// Width and height attributes for an image shown `height` pixels tall, so its room is
/// reserved before it loads (no layout shift).
fn scaled(image: &FaceImage, height: u32) -> (u32, u32) {
    let h = height.min(image.height.max(1));
    let w = (u64::from(image.width) * u64::from(h) / u64::from(image.height.max(1))).max(1);
    (u32::try_from(w).unwrap_or(u32::MAX), h)
}

fn logo(image: &FaceImage, height: u32) -> Value {
    let (w, h) = scaled(image, height);
    json!({"src": media_path(image), "width": w, "height": h})
}

/// The introduction as plain text paragraphs (a blank line between them). Not Markdown: an
/// introduction is a few lines, and Markdown would let it pull images from other hosts onto
/// the page or break the page's headings.
fn paragraphs(intro: &str) -> Vec<Vec<&str>> {
    intro
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A face for templates (`partials/employer_face`, `portal/employer`, the manage and review pages).
pub fn view(face: &Face, name: &str, employer_url: &str, lang: Lang) -> Value {
    let photos: Vec<Value> = face
        .photos
        .iter()
        .map(|p| {
            json!({"src": media_path(&p.image), "width": p.image.width, "height": p.image.height, "caption": p.caption})
        })
        .collect();
    json!({
        "url": employer_url,
        "logo": face.logo.as_ref().map(|l| logo(l, LOGO_SMALL)),
        "logo_large": face.logo.as_ref().map(|l| logo(l, LOGO_LARGE)),
        "photos": photos,
        "first_photo": photos.first(),
        "paragraphs": paragraphs(&face.intro),
        "intro": face.intro,
        "links": face.links,
        "logo_alt": lang.tf("employer.logo_alt", &[("name", &name)]),
    })
}

/// The picture a shared link shows: the first photo, else the logo, else the site's own.
/// Absolute URL, its size, and whether it is a photo (then Twitter shows it large).
pub fn og_image(face: Option<&Face>, base_url: &str) -> (String, u32, u32, bool) {
    let photo = face.and_then(|f| f.photos.first()).map(|p| &p.image);
    match photo.or(face.and_then(|f| f.logo.as_ref())) {
        Some(image) => (format!("{base_url}{}", media_path(image)), image.width, image.height, photo.is_some()),
        None => (format!("{base_url}{SITE_IMAGE}"), SITE_IMAGE_SIZE.0, SITE_IMAGE_SIZE.1, false),
    }
}

/// The site's own picture for shared links (the 結 mark), under `templates/static/`.
pub const SITE_IMAGE: &str = "/static/og.png";
pub const SITE_IMAGE_SIZE: (u32, u32) = (1200, 630);

/// One change to a face, as a form asks for it (the employer's proposal or staff's direct edit).
pub enum Change {
    Text {
        intro: String,
        links: Vec<String>,
    },
    Logo(FaceImage),
    Photo(FacePhoto),
    /// `logo`, or a photo's place counted from 0.
    Remove(String),
}

impl Change {
    pub fn apply(self, face: &mut Face) -> Result<(), FieldError> {
        match self {
            Change::Text { intro, links } => {
                face.intro = intro;
                face.links = links;
            }
            Change::Logo(image) => face.logo = Some(image),
            Change::Photo(photo) => {
                if face.photos.len() >= MAX_PHOTOS {
                    let message = Message::new("field.face.too_many_photos").with("max", MAX_PHOTOS);
                    return Err(FieldError { field: "image", message });
                }
                face.photos.push(photo);
            }
            Change::Remove(which) => {
                let gone = || FieldError { field: "image", message: Message::new("field.face.already_removed") };
                match which.as_str() {
                    "logo" => {
                        face.logo.take().ok_or_else(gone)?;
                    }
                    n => match n.parse::<usize>() {
                        Ok(i) if i < face.photos.len() => {
                            face.photos.remove(i);
                        }
                        _ => return Err(gone()),
                    },
                }
            }
        }
        Ok(())
    }
}

/// The introduction and links of a form.
pub fn text_change(intro: &str, links: &str) -> Result<Change, Vec<FieldError>> {
    employer_face::parse_text(intro, links).map(|(intro, links)| Change::Text { intro, links })
}

/// Reads an upload form whose file is the part `image` (any size up to the editorial limit).
pub async fn read_upload(
    req: &HttpRequest,
    state: &AppState,
    form: actix_multipart::Multipart,
) -> Result<crate::upload::Upload, WebError> {
    let limit = state.settings.editorial.max_image_bytes;
    crate::upload::read(form, "image", limit, "articles.unreadable_image", Lang::of_request(req)).await
}

/// A logo (`photo == false`) or a captioned photo from an upload form, through the same pipeline
/// as articles' hero images (resized, EXIF removed) and stored in `media`. The caption is
/// checked first: a photo without one is not kept at all. `Ok(Err(_))`: what to tell the sender.
pub async fn image_change(
    state: &web::Data<AppState>,
    mut upload: crate::upload::Upload,
    photo: bool,
) -> Result<Result<Change, FieldError>, WebError> {
    let field = if photo { "image" } else { "logo" };
    let caption = if photo {
        match employer_face::parse_caption(crate::forms::value(&upload.fields, "caption")) {
            Ok(c) => Some(c),
            Err(e) => return Ok(Err(e)),
        }
    } else {
        None
    };
    let prepared = match upload.image(state.settings.editorial.max_image_bytes).await? {
        Ok(p) => p,
        Err(message) => return Ok(Err(FieldError { field, message })),
    };
    let image = db(state, move |conn| {
        let size = (prepared.width, prepared.height);
        let hash = yui_db::media::store(conn, prepared.content_type(), &prepared.bytes, size, yui_db::now())?;
        Ok(FaceImage { name: format!("{hash}.{}", prepared.ext), width: prepared.width, height: prepared.height })
    })
    .await?;
    Ok(Ok(match caption {
        Some(caption) => Change::Photo(FacePhoto { image, caption }),
        None => Change::Logo(image),
    }))
}
