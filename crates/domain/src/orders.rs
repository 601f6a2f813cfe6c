//! The paid orders behind feature articles: their statuses, the steps between them, and the
//! consumption tax on their price.

use crate::coded_enum;

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
}
