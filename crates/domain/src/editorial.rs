//! The old home of the article, order and succession rules, which now live in
//! [`crate::articles`], [`crate::orders`] and [`crate::succession`]. These paths keep working for
//! the callers not yet moved (the database crate and the tests); new code names the new modules
//! or the crate root.

pub use crate::articles::{
    article_step, may_edit_article, ArticleAction, ArticleKind, ArticleStatus, ArticleStepError, Slug, SlugError,
};
pub use crate::orders::{tax_yen, OrderStatus, OrderTransitionError};
pub use crate::succession::{
    HandoverItem, InquiryStatus, RevenueBand, SuccessionStatus, SuccessionTerm, SuccessionTransitionError,
};
pub use crate::{code_list, parse_code_list};
