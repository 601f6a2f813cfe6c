//! The paid orders behind feature articles: their statuses, the steps between them, the
//! consumption tax on their price, and the new-order form.

use crate::ledger::parse_yen;
use crate::{coded_enum, FieldError, Message};
use chrono::NaiveDate;

coded_enum! {
    /// The paid order behind a feature article.
    OrderStatus, "order status" {
        Quoted => "quoted", "見積", "Quoted";
        Ordered => "ordered", "受注", "Ordered";
        Invoiced => "invoiced", "請求済", "Invoiced";
        Paid => "paid", "入金済", "Paid";
        Cancelled => "cancelled", "キャンセル", "Cancelled";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {from} cannot become {to}")]
pub struct OrderTransitionError {
    pub from: OrderStatus,
    pub to: OrderStatus,
}

impl OrderStatus {
    /// Orders move forward one step at a time, or are cancelled before they are paid.
    pub fn next(self) -> &'static [OrderStatus] {
        use OrderStatus as O;
        match self {
            O::Quoted => &[O::Ordered, O::Cancelled],
            O::Ordered => &[O::Invoiced, O::Cancelled],
            O::Invoiced => &[O::Paid, O::Cancelled],
            O::Paid | O::Cancelled => &[],
        }
    }

    pub fn move_to(self, to: OrderStatus) -> Result<OrderStatus, OrderTransitionError> {
        if self.next().contains(&to) {
            Ok(to)
        } else {
            Err(OrderTransitionError { from: self, to })
        }
    }

    /// A feature may be published once its order is placed (and stays so once invoiced or paid).
    pub fn allows_publication(self) -> bool {
        matches!(self, OrderStatus::Ordered | OrderStatus::Invoiced | OrderStatus::Paid)
    }
}

/// Consumption tax in whole yen, rounded down as Japanese invoices usually do.
pub fn tax_yen(price_yen: i64, rate_percent: u32) -> i64 {
    price_yen.saturating_mul(i64::from(rate_percent)) / 100
}

/// The new-order form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct OrderForm {
    pub employer_id: String,
    pub plan: String,
    /// Empty for the plan's price.
    pub price_yen: String,
    /// `YYYY-MM-DD`, or empty for today.
    pub quoted_on: String,
    pub notes: String,
    /// A feature article's id, or empty for none yet.
    pub article_id: String,
}

/// A quote as checked, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDraft {
    pub employer_id: i32,
    /// The plan's code.
    pub plan: String,
    pub price_yen: i64,
    pub tax_yen: i64,
    pub quoted_on: NaiveDate,
    pub notes: String,
    pub article_id: Option<i32>,
}

impl OrderDraft {
    /// Checks the form against the settings: `plan_price` is the configured price of the plan
    /// the form names (`None` when there is no such plan), `tax_rate_percent` the consumption
    /// tax, and `today` the quote date when none is typed. Every problem is reported at once.
    pub fn parse(
        form: &OrderForm,
        plan_price: Option<i64>,
        tax_rate_percent: u32,
        today: NaiveDate,
    ) -> Result<OrderDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let employer_id = form.employer_id.trim().parse::<i32>().ok();
        if employer_id.is_none() {
            errors.push(FieldError::new("employer_id", Message::new("field.order.employer.choose")));
        }
        if plan_price.is_none() {
            errors.push(FieldError::new("plan", Message::new("field.order.plan.choose")));
        }
        // An empty price takes the plan's; a typed one is whole yen, 0 or more.
        let typed_price = form.price_yen.trim();
        let price = if typed_price.is_empty() { plan_price } else { parse_yen(typed_price) };
        if price.is_none() && (plan_price.is_some() || !typed_price.is_empty()) {
            errors.push(FieldError::new("price_yen", Message::new("field.order.price.invalid")));
        }
        let quoted_on = match form.quoted_on.trim() {
            "" => Some(today),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        };
        if quoted_on.is_none() {
            errors.push(FieldError::new("quoted_on", Message::new("field.date.invalid")));
        }
        let notes = form.notes.trim();
        if notes.chars().count() > 2000 {
            errors.push(FieldError::new("notes", Message::new("field.order.notes.too_long")));
        }
        let article_id = match form.article_id.trim() {
            "" => Some(None),
            text => text.parse::<i32>().ok().map(Some),
        };
        if article_id.is_none() {
            errors.push(FieldError::new("article_id", Message::new("field.order.article.choose")));
        }
        match (employer_id, plan_price, price, quoted_on, article_id) {
            (Some(employer_id), Some(_), Some(price_yen), Some(quoted_on), Some(article_id)) if errors.is_empty() => {
                Ok(OrderDraft {
                    employer_id,
                    plan: form.plan.trim().to_owned(),
                    price_yen,
                    tax_yen: tax_yen(price_yen, tax_rate_percent),
                    quoted_on,
                    notes: notes.to_owned(),
                    article_id,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_move_forward_or_are_cancelled() {
        use OrderStatus as O;
        assert_eq!(O::Quoted.move_to(O::Ordered), Ok(O::Ordered));
        assert_eq!(O::Quoted.move_to(O::Paid), Err(OrderTransitionError { from: O::Quoted, to: O::Paid }));
        assert_eq!(O::Invoiced.move_to(O::Cancelled), Ok(O::Cancelled));
        assert!(O::Paid.next().is_empty() && O::Cancelled.next().is_empty());
        let publishable: Vec<_> = O::ALL.iter().filter(|s| s.allows_publication()).collect();
        assert_eq!(publishable, [&O::Ordered, &O::Invoiced, &O::Paid]);
        assert_eq!(tax_yen(150_000, 10), 15_000);
        assert_eq!(tax_yen(99, 10), 9);
    }

    fn form() -> OrderForm {
        OrderForm {
            employer_id: "3".into(),
            plan: "feature_basic".into(),
            quoted_on: "2026-11-25".into(),
            ..OrderForm::default()
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn an_order_takes_the_plans_price_unless_one_is_typed() {
        let d = OrderDraft::parse(&form(), Some(150_000), 10, day(1)).unwrap();
        assert_eq!((d.employer_id, d.plan.as_str(), d.price_yen, d.tax_yen), (3, "feature_basic", 150_000, 15_000));
        assert_eq!((d.quoted_on, d.article_id, d.notes.as_str()), (day(25), None, ""));
        let typed = OrderForm {
            price_yen: "１２０,０００円".into(),
            quoted_on: String::new(),
            article_id: "9".into(),
            ..form()
        };
        let d = OrderDraft::parse(&typed, Some(150_000), 8, day(1)).unwrap();
        assert_eq!((d.price_yen, d.tax_yen, d.quoted_on, d.article_id), (120_000, 9_600, day(1), Some(9)));
        let free = OrderForm { price_yen: "0".into(), ..form() };
        assert_eq!(OrderDraft::parse(&free, Some(150_000), 10, day(1)).map(|d| d.price_yen), Ok(0));
    }

    #[test]
    fn order_errors_come_all_at_once_by_field() {
        let bad = OrderForm {
            employer_id: "someone".into(),
            price_yen: "-5".into(),
            quoted_on: "25/11/2026".into(),
            notes: "あ".repeat(2001),
            article_id: "x".into(),
            ..form()
        };
        let errors = OrderDraft::parse(&bad, None, 10, day(1)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["employer_id", "plan", "price_yen", "quoted_on", "notes", "article_id"]);
        assert_eq!(errors[1], FieldError::new("plan", Message::new("field.order.plan.choose")));
        // An unknown plan and no price: only the plan is asked for.
        let no_plan = OrderForm { plan: "gold".into(), ..form() };
        assert_eq!(OrderDraft::parse(&no_plan, None, 10, day(1)).unwrap_err().len(), 1);
    }
}
