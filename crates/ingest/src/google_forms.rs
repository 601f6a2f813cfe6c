//! Google Forms cannot sign a webhook, so the Apps Script that forwards each response sends the
//! shared secret in the `X-Yui-Secret` header (see docs/forms.md once the ingester lands).

use crate::VerifyError;
use subtle::ConstantTimeEq;

pub const SECRET_HEADER: &str = "x-yui-secret";

pub fn verify(given: Option<&str>, secrets: &[&str]) -> Result<(), VerifyError> {
    let given = given.ok_or(VerifyError::MissingHeader(SECRET_HEADER))?;
    // ct_eq on slices of different lengths returns false at once; the length is not the secret.
    let matched = secrets.iter().fold(subtle::Choice::from(0), |acc, s| acc | given.as_bytes().ct_eq(s.as_bytes()));
    if bool::from(matched) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_shared_secret_passes() {
        assert_eq!(verify(Some("s3cret-value"), &["s3cret-value"]), Ok(()));
        assert_eq!(verify(Some("s3cret-value"), &["rotated", "s3cret-value"]), Ok(()));
        assert_eq!(verify(Some("s3cret-valuE"), &["s3cret-value"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(Some(""), &["s3cret-value"]), Err(VerifyError::BadSignature));
        assert_eq!(verify(None, &["s3cret-value"]), Err(VerifyError::MissingHeader(SECRET_HEADER)));
    }
}
