//! The one way a state-changing staff form is read: the signed-in person, whose role allows the
//! action, and the form's fields, whose CSRF token matched, in that order (a refused role
//! learns nothing more about the token). Handlers name the permission in the type:
//! `StaffForm<MyForm, CanReview>`.

use super::{Permission, Staff};
use crate::error::WebError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

/// The permission a form needs, as a type.
pub trait Needs {
    const PERMISSION: Permission;
}

/// Editors and admins: the review queue, orders, the ledger, succession listings, supporters.
#[derive(Debug)]
pub struct CanReview;
/// Admins: staff accounts.
#[derive(Debug)]
pub struct CanManageStaff;
/// Every role: drafting articles.
#[derive(Debug)]
pub struct CanWrite;

impl Needs for CanReview {
    const PERMISSION: Permission = Permission::Review;
}
impl Needs for CanManageStaff {
    const PERMISSION: Permission = Permission::ManageStaff;
}
impl Needs for CanWrite {
    const PERMISSION: Permission = Permission::Write;
}

/// A form's fields in order, for forms whose fields repeat (checkbox lists).
pub type Fields = Vec<(String, String)>;

#[derive(Debug)]
pub struct StaffForm<T, N> {
    pub staff: Staff,
    pub form: T,
    need: PhantomData<N>,
}

impl<T, N> FromRequest for StaffForm<T, N>
where
    T: DeserializeOwned + 'static,
    N: Needs + 'static,
{
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let staff = Staff::from_request(&req, &mut Payload::None);
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let staff = staff.await?;
            staff.require(N::PERMISSION)?;
            let body = body.await.map_err(|_| WebError::BadRequest(unreadable(&req)))?;
            let state = req.app_data::<web::Data<AppState>>().ok_or(WebError::Forbidden)?;
            staff.checked(&state.settings.secret_key, &body)?;
            let form = serde_urlencoded::from_bytes(&body).map_err(|_| WebError::BadRequest(unreadable(&req)))?;
            Ok(StaffForm { staff, form, need: PhantomData })
        })
    }
}

fn unreadable(req: &HttpRequest) -> String {
    crate::i18n::Lang::of_request(req).t("form.unreadable").to_owned()
}
