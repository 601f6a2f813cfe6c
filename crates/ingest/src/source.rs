//! The senders Yui takes submissions from, and the one dispatch from a sender to its
//! signature check and its parser.

use crate::{google_forms, standard_webhooks, tally, typeform, FormAnswers, ParseError, VerifyError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Standard,
    GoogleForms,
    Tally,
    Typeform,
    /// Yui's own form at `/submit`.
    Native,
}

impl Source {
    pub const WEBHOOKS: [Source; 4] = [Source::Standard, Source::GoogleForms, Source::Tally, Source::Typeform];

    /// The code stored with each submission and used in settings (`ingest.sources.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Source::Standard => "standard",
            Source::GoogleForms => "google_forms",
            Source::Tally => "tally",
            Source::Typeform => "typeform",
            Source::Native => "native",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Source::Standard, Source::GoogleForms, Source::Tally, Source::Typeform, Source::Native]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The last segment of the webhook's URL: `/hooks/google-forms`.
    pub fn from_path(segment: &str) -> Option<Self> {
        Source::WEBHOOKS.into_iter().find(|s| s.code().replace('_', "-") == segment)
    }

    /// The request headers worth keeping with the raw body (never a secret).
    pub fn kept_headers(self) -> &'static [&'static str] {
        match self {
            Source::Standard => &["content-type", "user-agent", "webhook-id", "webhook-timestamp"],
            _ => &["content-type", "user-agent"],
        }
    }
}

/// A source's current secrets: more than one while a secret is being rotated.
#[derive(Debug, Clone)]
pub enum Secrets {
    Standard(Vec<standard_webhooks::Secret>),
    Shared(Vec<String>),
}

/// Checks that the sender holds a secret. Returns the delivery id when the sender puts it in a
/// header (Standard Webhooks), `None` when it is in the body.
pub fn verify<'h>(
    source: Source,
    header: impl Fn(&str) -> Option<&'h str>,
    body: &[u8],
    secrets: &Secrets,
    now_unix: i64,
) -> Result<Option<String>, VerifyError> {
    let shared = |secrets: &Secrets| -> Vec<String> {
        match secrets {
            Secrets::Shared(s) => s.clone(),
            Secrets::Standard(_) => Vec::new(),
        }
    };
    match source {
        Source::Standard => {
            let Secrets::Standard(keys) = secrets else {
                return Err(VerifyError::BadSignature);
            };
            let headers = standard_webhooks::Headers {
                id: header("webhook-id"),
                timestamp: header("webhook-timestamp"),
                signature: header("webhook-signature"),
            };
            standard_webhooks::verify(headers, body, keys, now_unix).map(|id| Some(id.to_owned()))
        }
        Source::GoogleForms => {
            let s = shared(secrets);
            let refs: Vec<&str> = s.iter().map(String::as_str).collect();
            google_forms::verify(header(google_forms::SECRET_HEADER), &refs).map(|()| None)
        }
        Source::Tally => {
            let s = shared(secrets);
            let refs: Vec<&str> = s.iter().map(String::as_str).collect();
            tally::verify(header(tally::SIGNATURE_HEADER), body, &refs).map(|()| None)
        }
        Source::Typeform => {
            let s = shared(secrets);
            let refs: Vec<&str> = s.iter().map(String::as_str).collect();
            typeform::verify(header(typeform::SIGNATURE_HEADER), body, &refs).map(|()| None)
        }
        // Yui's own form is protected by its CSRF token and rate limit instead.
        Source::Native => Ok(None),
    }
}

/// Parses a webhook body into answers. Yui's own form is read by [`native_fields`] instead.
pub fn parse(source: Source, body: &[u8]) -> Result<FormAnswers, ParseError> {
    match source {
        Source::Standard => standard_webhooks::parse(body),
        Source::GoogleForms => google_forms::parse(body),
        Source::Tally => tally::parse(body),
        Source::Typeform => typeform::parse(body),
        Source::Native => Err(ParseError::Shape("Yui's own form is read with native_fields".into())),
    }
}

/// The fields of Yui's own form, as posted (`application/x-www-form-urlencoded`). The web
/// refuses NUL before storing; a body stored before that rule loses it here, as webhooks do.
pub fn native_fields(body: &[u8]) -> Result<Vec<(String, String)>, ParseError> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|e| ParseError::Shape(format!("not a form body: {e}")))?;
    Ok(fields
        .into_iter()
        .map(|(k, v)| (crate::answers::storable_text(&k), crate::answers::storable_text(&v)))
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_paths_round_trip() {
        for s in Source::WEBHOOKS {
            assert_eq!(Source::from_code(s.code()), Some(s));
            assert_eq!(Source::from_path(&s.code().replace('_', "-")), Some(s));
        }
        assert_eq!(Source::from_path("google_forms"), None);
        assert_eq!(Source::from_path("native"), None, "Yui's own form is not a webhook");
        assert_eq!(Source::from_code("native"), Some(Source::Native));
    }

    #[test]
    fn a_source_checks_its_own_header() {
        let secrets = Secrets::Shared(vec!["s3cret".into()]);
        let header = |name: &str| (name == "x-yui-secret").then_some("s3cret");
        assert_eq!(verify(Source::GoogleForms, header, b"{}", &secrets, 0), Ok(None));
        assert_eq!(
            verify(Source::Tally, header, b"{}", &secrets, 0),
            Err(VerifyError::MissingHeader(tally::SIGNATURE_HEADER))
        );
    }

    #[test]
    fn native_form_bodies() {
        let fields = native_fields("title=%E6%BC%81%E5%B8%AB&email=a%40b.jp".as_bytes()).unwrap();
        assert_eq!(fields, [("title".to_owned(), "漁師".to_owned()), ("email".to_owned(), "a@b.jp".to_owned())]);
    }
}
