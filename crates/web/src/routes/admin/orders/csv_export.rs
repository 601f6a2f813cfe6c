//! `GET /admin/orders.csv`: the orders for accounting, safe to open in a spreadsheet.

use super::*;

use crate::views::defuse;

const CSV_HEADER: [&str; 14] = [
    "注文番号",
    "事業者",
    "プラン",
    "金額(税抜)",
    "消費税",
    "合計",
    "状態",
    "見積日",
    "受注日",
    "請求日",
    "入金日",
    "キャンセル日",
    "記事",
    "メモ",
];

fn orders_csv(state: &AppState, orders: &[OrderView]) -> Result<Vec<u8>, csv::Error> {
    // The byte order mark tells spreadsheet software the file is UTF-8.
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(CSV_HEADER)?;
        for v in orders {
            let o: &Order = &v.order;
            w.write_record([
                o.id.to_string(),
                defuse(&v.employer_name),
                defuse(&plan_label(state, &o.plan, Lang::Ja)),
                o.price_yen.to_string(),
                o.tax_yen.to_string(),
                o.total_yen().to_string(),
                o.status.label_ja().to_owned(),
                day(Some(o.quoted_on)),
                day(o.ordered_on),
                day(o.invoiced_on),
                day(o.paid_on),
                day(o.cancelled_on),
                defuse(v.article_title.as_deref().unwrap_or("")),
                defuse(&o.notes),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[get("/admin/orders.csv")]
pub async fn export_csv(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    staff.require(Permission::Review)?;
    let filter = filter_of(&req);
    let orders = db(&state, move |conn| yui_db::orders::list(conn, filter)).await?;
    let body = orders_csv(&state, &orders)
        .map_err(|e| WebError::BadRequest(Lang::of_request(&req).tf("orders.csv_failed", &[("error", &e)])))?;
    let name = format!("yui-orders-{}.csv", yui_domain::today().format("%Y%m%d"));
    log::info!("orders exported as CSV by staff {} ({} rows)", staff.id, orders.len());
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_defused() {
        for bad in ["=1+1", "+81", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        assert_eq!(defuse("氷見の魚"), "氷見の魚");
    }

    #[test]
    fn months_are_parsed() {
        assert_eq!(parse_month("2026-11"), Some((2026, 11)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("x"), None);
    }
}
