use crate::coded_enum;

coded_enum! {
    /// Where a posting is in its life. Only `Published` postings can be public.
    PostingStatus, "posting status" {
        Pending => "pending", "審査待ち", "Pending review";
        ChangesRequested => "changes_requested", "修正依頼中", "Changes requested";
        Published => "published", "掲載中", "Published";
        Rejected => "rejected", "不掲載", "Rejected";
        Expired => "expired", "掲載期限切れ", "Expired";
        Closed => "closed", "募集終了", "Closed";
        Filled => "filled", "採用決定", "Filled";
    }
}

coded_enum! {
    /// What someone (an editor, the employer, the expiry job) does to a posting.
    PostingAction, "posting action" {
        Approve => "approve", "承認", "Approve";
        RequestChanges => "request_changes", "修正依頼", "Request changes";
        Resubmit => "resubmit", "再提出", "Resubmit";
        Reject => "reject", "却下", "Reject";
        Expire => "expire", "期限切れ", "Expire";
        Close => "close", "募集終了", "Close";
        MarkFilled => "mark_filled", "採用決定", "Mark filled";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a posting that is {from} cannot be {action}d")]
pub struct TransitionError {
    pub from: PostingStatus,
    pub action: PostingAction,
}

impl PostingStatus {
    /// The one place that says which transitions exist. Everything else asks here.
    pub fn apply(self, action: PostingAction) -> Result<PostingStatus, TransitionError> {
        use PostingAction as A;
        use PostingStatus as S;
        let next = match (self, action) {
            (S::Pending, A::Approve) => S::Published,
            (S::Pending, A::RequestChanges) => S::ChangesRequested,
            (S::Pending, A::Reject) => S::Rejected,
            (S::ChangesRequested, A::Resubmit) => S::Pending,
            (S::Published, A::Expire) => S::Expired,
            (S::Published, A::MarkFilled) => S::Filled,
            // An employer may withdraw a posting at any point before it ends.
            (S::Pending | S::ChangesRequested | S::Published, A::Close) => S::Closed,
            (from, action) => return Err(TransitionError { from, action }),
        };
        Ok(next)
    }

    /// Whether seekers may see the posting (before its end date is checked).
    pub fn is_public(self) -> bool {
        self == PostingStatus::Published
    }

    /// The posting's story is over; nothing can happen to it any more.
    pub fn is_final(self) -> bool {
        PostingAction::ALL.iter().all(|a| self.apply(*a).is_err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PostingAction as A;
    use PostingStatus as S;

    /// Written out by hand from DESIGN.md §3, independent of the match above.
    const ALLOWED: &[(PostingStatus, PostingAction, PostingStatus)] = &[
        (S::Pending, A::Approve, S::Published),
        (S::Pending, A::RequestChanges, S::ChangesRequested),
        (S::Pending, A::Reject, S::Rejected),
        (S::Pending, A::Close, S::Closed),
        (S::ChangesRequested, A::Resubmit, S::Pending),
        (S::ChangesRequested, A::Close, S::Closed),
        (S::Published, A::Expire, S::Expired),
        (S::Published, A::Close, S::Closed),
        (S::Published, A::MarkFilled, S::Filled),
    ];

    #[test]
    fn every_allowed_transition_lands_where_the_design_says() {
        for (from, action, to) in ALLOWED {
            assert_eq!(from.apply(*action), Ok(*to), "{from} --{action}-->");
        }
    }

    #[test]
    fn every_other_transition_is_refused() {
        let mut refused = 0;
        for from in S::ALL {
            for action in A::ALL {
                if ALLOWED.iter().any(|(f, a, _)| f == from && a == action) {
                    continue;
                }
                assert_eq!(from.apply(*action), Err(TransitionError { from: *from, action: *action }));
                refused += 1;
            }
        }
        assert_eq!(refused, S::ALL.len() * A::ALL.len() - ALLOWED.len());
    }

    #[test]
    fn final_states_and_public_states() {
        let finals: Vec<_> = S::ALL.iter().filter(|s| s.is_final()).collect();
        assert_eq!(finals, [&S::Rejected, &S::Expired, &S::Closed, &S::Filled]);
        let public: Vec<_> = S::ALL.iter().filter(|s| s.is_public()).collect();
        assert_eq!(public, [&S::Published]);
    }

    #[test]
    fn refusal_message_names_both_sides() {
        let err = S::Rejected.apply(A::Approve).unwrap_err();
        assert_eq!(err.to_string(), "a posting that is rejected cannot be approved");
    }
}
