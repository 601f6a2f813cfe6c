use crate::coded_enum;

coded_enum! {
    /// 雇用形態. The codes are stable: they live in URLs, feeds and the database.
    EmploymentType, "employment type" {
        FullTime => "full_time", "正社員", "Full-time";
        Contract => "contract", "契約社員", "Contract";
        PartTime => "part_time", "パート・アルバイト", "Part-time";
        SideJob => "side_job", "副業・兼業", "Side job";
        Outsourcing => "outsourcing", "業務委託", "Freelance";
        Internship => "internship", "インターン", "Internship";
        Volunteer => "volunteer", "ボランティア・プロボノ", "Volunteer / pro bono";
        Other => "other", "その他", "Other";
    }
}

coded_enum! {
    /// Where the work is done.
    RemoteMode, "remote mode" {
        Onsite => "onsite", "出勤", "On site";
        Hybrid => "hybrid", "一部リモート", "Hybrid";
        Remote => "remote", "フルリモート", "Remote";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for t in EmploymentType::ALL {
            assert_eq!(t.code().parse::<EmploymentType>(), Ok(*t));
            assert!(seen.insert(t.code()), "duplicate code {}", t.code());
        }
        assert_eq!(seen.len(), 8);
    }

    #[test]
    fn japanese_labels_are_the_ones_people_know() {
        let labels: Vec<_> = EmploymentType::ALL.iter().map(|t| t.label_ja()).collect();
        assert_eq!(
            labels,
            [
                "正社員",
                "契約社員",
                "パート・アルバイト",
                "副業・兼業",
                "業務委託",
                "インターン",
                "ボランティア・プロボノ",
                "その他"
            ]
        );
    }

    #[test]
    fn unknown_code_is_refused_with_its_kind() {
        let err = "fulltime".parse::<EmploymentType>().unwrap_err();
        assert_eq!(err.to_string(), "unknown employment type code: \"fulltime\"");
        assert!("".parse::<RemoteMode>().is_err());
    }
}
