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

/// The reason code of an approval given although legal items were missing: the editor wrote
/// why, and the public log says so under their organisation.
pub const LEGAL_OVERRIDE: &str = "legal_override";

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
        "employer_revision" => ("公開中の修正の申請", "Correction proposed while published"),
        "revision_applied" => ("公開中の修正を反映", "Correction applied while published"),
        "revision_declined" => ("公開中の修正を見送り", "Correction declined while published"),
        "employer_link" => ("事業者の関係先を登録", "Employer's link to an organisation declared"),
        "employer_unlink" => ("事業者の関係先を解除", "Employer's link to an organisation cleared"),
        "staff_entry" => ("編集部が代理で登録", "Entered by staff"),
        "hellowork_import" => ("ハローワーク求人を取り込み", "Imported from Hello Work"),
        "hellowork_update" => ("ハローワーク求人の更新を反映", "Updated from Hello Work"),
        "hellowork_revision" => ("ハローワーク求人の更新（確認待ち）", "Hello Work update awaiting review"),
        _ => ("その他", "Other"),
    };
    if lang == "en" {
        en
    } else {
        ja
    }
}

/// Why an editor may not approve a posting; the review page says so instead of approving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalBlock {
    /// The employer is linked to the editor's own organisation: a conflict of interest.
    OwnOrganization,
    /// The editor made the latest correction, so another editor approves (four eyes).
    OwnEdit,
    /// The editor entered the posting for its employer, so another editor approves (four eyes).
    OwnEntry,
}

/// An editor about to approve a posting: the review settings, and the facts they look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    /// `[review] block_own_organization`: nobody approves an employer linked to their organisation.
    pub block_own_organization: bool,
    /// `[review] four_eyes`: nobody approves their own correction.
    pub four_eyes: bool,
    pub approver_id: i32,
    pub approver_organization_id: i32,
    /// The organisation the posting's employer is linked to, if any.
    pub employer_organization_id: Option<i32>,
    /// The staff member whose correction is the latest change to the content (none when the
    /// employer changed it since, or nobody corrected it).
    pub last_editor_id: Option<i32>,
    /// The staff member who entered the posting for its employer, if staff did.
    pub entered_by_id: Option<i32>,
}

/// Why this approval may not happen, if it may not; a conflict of interest is named first.
pub fn approval_block(a: &Approval) -> Option<ApprovalBlock> {
    if a.block_own_organization && a.employer_organization_id == Some(a.approver_organization_id) {
        return Some(ApprovalBlock::OwnOrganization);
    }
    if a.four_eyes && a.last_editor_id == Some(a.approver_id) {
        return Some(ApprovalBlock::OwnEdit);
    }
    if a.four_eyes && a.entered_by_id == Some(a.approver_id) {
        return Some(ApprovalBlock::OwnEntry);
    }
    None
}

/// Whether a member of `staff_organization_id` may change an employer's conflict-of-interest
/// link, now to `current_organization_id` (`None`: not linked). Declaring a link is open to
/// every reviewer, but a link to the reviewer's own organisation is the one that keeps them
/// from approving: clearing or moving it is left to a reviewer of another organisation, or
/// the conflicted could lift their own conflict and approve.
pub fn may_change_employer_link(current_organization_id: Option<i32>, staff_organization_id: i32) -> bool {
    current_organization_id != Some(staff_organization_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_lifts_a_link_to_their_own_organisation() {
        assert!(may_change_employer_link(None, 10), "anyone declares a link");
        assert!(may_change_employer_link(Some(20), 10), "another organisation's link");
        assert!(!may_change_employer_link(Some(10), 10), "not one's own: neither cleared nor moved");
    }

    fn approval() -> Approval {
        Approval {
            block_own_organization: true,
            four_eyes: true,
            approver_id: 1,
            approver_organization_id: 10,
            employer_organization_id: Some(20),
            last_editor_id: Some(2),
            entered_by_id: None,
        }
    }

    #[test]
    fn nobody_approves_for_their_own_organisation() {
        assert_eq!(approval_block(&approval()), None);
        let own = Approval { employer_organization_id: Some(10), ..approval() };
        assert_eq!(approval_block(&own), Some(ApprovalBlock::OwnOrganization));
        assert_eq!(approval_block(&Approval { block_own_organization: false, ..own }), None);
        assert_eq!(approval_block(&Approval { employer_organization_id: None, ..approval() }), None);
    }

    #[test]
    fn nobody_approves_their_own_correction_with_four_eyes() {
        let own_edit = Approval { last_editor_id: Some(1), ..approval() };
        assert_eq!(approval_block(&own_edit), Some(ApprovalBlock::OwnEdit));
        assert_eq!(approval_block(&Approval { four_eyes: false, ..own_edit }), None);
        assert_eq!(approval_block(&Approval { last_editor_id: None, ..approval() }), None);
        // Both: the conflict of interest is the one named.
        let both = Approval { employer_organization_id: Some(10), ..own_edit };
        assert_eq!(approval_block(&both), Some(ApprovalBlock::OwnOrganization));
    }

    #[test]
    fn nobody_approves_what_they_entered_with_four_eyes() {
        let own_entry = Approval { entered_by_id: Some(1), ..approval() };
        assert_eq!(approval_block(&own_entry), Some(ApprovalBlock::OwnEntry));
        assert_eq!(approval_block(&Approval { four_eyes: false, ..own_entry }), None);
        // Another editor entered it: this one may approve.
        assert_eq!(approval_block(&Approval { entered_by_id: Some(2), ..approval() }), None);
        assert_eq!(event_label("staff_entry", "ja"), "編集部が代理で登録");
        assert_eq!(event_label("staff_entry", "en"), "Entered by staff");
    }

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

    #[test]
    fn corrections_while_published_have_their_own_labels() {
        assert_eq!(event_label("employer_revision", "ja"), "公開中の修正の申請");
        assert_eq!(event_label("revision_applied", "ja"), "公開中の修正を反映");
        assert_eq!(event_label("revision_declined", "en"), "Correction declined while published");
    }
}
