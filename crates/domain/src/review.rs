use crate::coded_enum;

coded_enum! {
    /// Why a posting was not published: a fixed list, so the public log can count them.
    RejectReason, "reject reason" {
        Incomplete => "incomplete", "内容不備", "Incomplete";
        Illegal => "illegal", "法令違反の疑い", "Possibly unlawful";
        OutOfArea => "out_of_area", "地域外", "Outside the region";
        Duplicate => "duplicate", "重複", "Duplicate";
        Spam => "spam", "スパム", "Spam";
        Other => "other", "その他", "Other";
    }
}

coded_enum! {
    /// What an editor asks the employer to change before publishing.
    ChangeReason, "change reason" {
        MissingConditions => "missing_conditions", "労働条件の明示が不足", "Working conditions missing";
        Unclear => "unclear", "内容が分かりにくい", "Unclear";
        Wording => "wording", "表現の修正", "Wording";
        Other => "other", "その他", "Other";
    }
}

/// What was done to a posting, as the review log and the public record name it: the status
/// transitions ([`crate::PostingAction`]) plus the events that keep the status.
pub fn event_label(action: &str, lang: &str) -> &'static str {
    let (ja, en) = match action {
        "approve" => ("承認・掲載", "Approved"),
        "request_changes" => ("修正依頼", "Changes requested"),
        "resubmit" => ("修正・再提出", "Resubmitted"),
        "reject" => ("不掲載", "Rejected"),
        "expire" => ("掲載期限切れ", "Expired"),
        "close" => ("募集終了", "Closed"),
        "mark_filled" => ("採用決定", "Filled"),
        "edit" => ("編集者による修正", "Edited by an editor"),
        "employer_edit" => ("事業者による修正", "Edited by the employer"),
        "renew" => ("掲載延長", "Renewed"),
        _ => ("その他", "Other"),
    };
    if lang == "en" {
        en
    } else {
        ja
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_round_trip() {
        for r in RejectReason::ALL {
            assert_eq!(r.code().parse::<RejectReason>(), Ok(*r));
        }
        for r in ChangeReason::ALL {
            assert_eq!(r.code().parse::<ChangeReason>(), Ok(*r));
        }
        assert_eq!(RejectReason::OutOfArea.label_ja(), "地域外");
        assert!("boss".parse::<RejectReason>().is_err());
    }

    #[test]
    fn every_posting_action_has_an_event_label() {
        for a in crate::PostingAction::ALL {
            assert_ne!(event_label(a.code(), "ja"), "その他", "{}", a.code());
        }
    }
}
