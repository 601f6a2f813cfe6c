/// A 1-based page number from a query string. Zero, negatives and garbage are refused
/// so that the handler never computes a negative offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageNumber(u32);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(1);
    /// Beyond this nobody is paging by hand; it also keeps offsets far from overflow.
    const MAX: u32 = 100_000;

    pub fn parse(s: Option<&str>) -> Result<Self, crate::Message> {
        let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(Self::FIRST);
        };
        match s.parse::<u32>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(PageNumber(n)),
            _ => Err(crate::Message::new("field.page.invalid").with("page", s)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn offset(self, per_page: u32) -> i64 {
        i64::from(self.0 - 1) * i64::from(per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::PageNumber;

    #[test]
    fn missing_or_blank_means_first_page() {
        assert_eq!(PageNumber::parse(None), Ok(PageNumber::FIRST));
        assert_eq!(PageNumber::parse(Some(" ")), Ok(PageNumber::FIRST));
    }

    #[test]
    fn offsets_follow_pages() {
        assert_eq!(PageNumber::parse(Some("3")).unwrap().offset(20), 40);
    }

    #[test]
    fn zero_negative_and_garbage_are_refused() {
        for bad in ["0", "-1", "1.5", "abc", "100001", "99999999999999999999"] {
            assert_eq!(PageNumber::parse(Some(bad)), Err(crate::Message::new("field.page.invalid").with("page", bad)));
        }
    }
}
