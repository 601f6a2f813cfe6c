//! Letters to followers, in their language: the confirmation of a sign-up (double opt-in), the
//! manage link for an address that already follows, and the mailings (the weekly digest and
//! the job alerts), which carry `List-Unsubscribe` (their signed one-click link, RFC 8058),
//! `List-Unsubscribe-Post` and `List-Id`.

use super::{Envelope, Lang, Letters, MailError};
use serde::Serialize;
use yui_db::DbConnection;

/// A posting in a digest or an alert.
#[derive(Debug, Clone, Serialize)]
pub struct ListedPosting {
    pub title: String,
    pub url: String,
    pub employer: String,
    /// The employment type's label.
    pub kind: String,
    /// Empty for none.
    pub place: String,
    /// Empty for none.
    pub salary: String,
}

/// An article in a digest.
#[derive(Debug, Clone, Serialize)]
pub struct ListedArticle {
    pub title: String,
    /// Empty for none.
    pub lede: String,
    /// A sponsored feature, marked [PR].
    pub pr: bool,
    pub url: String,
}

/// A saved search, in words, as a confirmation lists it.
#[derive(Debug, Clone, Serialize)]
pub struct FollowedSearch {
    pub what: String,
    /// The frequency's label.
    pub frequency: String,
}

/// `follow_confirm`: open the link to confirm the address and start the mailings.
#[derive(Debug, Serialize)]
pub struct FollowConfirm<'a> {
    pub confirm_url: &'a str,
    pub valid_hours: i64,
    pub digest: bool,
    pub alerts: &'a [FollowedSearch],
}

/// `follow_already`: this address already follows; here is its manage page.
#[derive(Debug, Serialize)]
pub struct FollowAlready<'a> {
    pub manage_url: &'a str,
}

/// `follow_digest`: the week's new postings and articles.
#[derive(Debug, Serialize)]
pub struct FollowDigest<'a> {
    /// The week, in words.
    pub week: &'a str,
    pub postings: &'a [ListedPosting],
    pub articles: &'a [ListedArticle],
    pub manage_url: &'a str,
    /// The signed one-click link that stops the digest (also the `List-Unsubscribe` header).
    pub unsubscribe_url: &'a str,
}

/// `follow_alert`: new postings for one saved search.
#[derive(Debug, Serialize)]
pub struct FollowAlert<'a> {
    /// The frequency's label.
    pub frequency: &'a str,
    /// The saved search, in words.
    pub what: &'a str,
    /// How many postings this mail lists.
    pub count: usize,
    /// There are more, for the next alert.
    pub more: bool,
    pub postings: &'a [ListedPosting],
    pub search_url: &'a str,
    pub feed_url: &'a str,
    pub manage_url: &'a str,
    /// The signed one-click link that stops this alert (also the `List-Unsubscribe` header).
    pub unsubscribe_url: &'a str,
}

/// The host of a base URL, for List-Id.
fn host(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    host.trim_matches(['[', ']']).replace(':', "-")
}

impl Letters {
    pub fn follow_confirm(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &FollowConfirm<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "follow_confirm", lang, args)
    }

    pub fn follow_already(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &FollowAlready<'_>,
    ) -> Result<i32, MailError> {
        self.queue(conn, Envelope::to(&[to]), "follow_already", lang, args)
    }

    pub fn follow_digest(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &FollowDigest<'_>,
    ) -> Result<i32, MailError> {
        self.queue_list_mail(conn, to, "digest", args.unsubscribe_url, "follow_digest", lang, args)
    }

    pub fn follow_alert(
        &self,
        conn: &mut DbConnection,
        to: &str,
        lang: Lang,
        args: &FollowAlert<'_>,
    ) -> Result<i32, MailError> {
        self.queue_list_mail(conn, to, "alerts", args.unsubscribe_url, "follow_alert", lang, args)
    }

    /// Queues a mailing of `list` with the list headers.
    #[allow(clippy::too_many_arguments)]
    fn queue_list_mail<A: Serialize>(
        &self,
        conn: &mut DbConnection,
        to: &str,
        list: &str,
        unsubscribe: &str,
        letter: &'static str,
        lang: Lang,
        args: &A,
    ) -> Result<i32, MailError> {
        let list_unsubscribe = format!("<{unsubscribe}>");
        let list_id = format!("{list} <{list}.yui.{}>", host(&self.site.base_url));
        let headers = [
            ("List-Unsubscribe", list_unsubscribe.as_str()),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("List-Id", list_id.as_str()),
        ];
        self.queue(conn, Envelope { to: &[to], reply_to: None, headers: &headers }, letter, lang, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::tests::{both, check_languages};

    fn posting(salary: &str) -> ListedPosting {
        ListedPosting {
            title: "漁港の仕分け".into(),
            url: "https://yui.example/jobs/AB12".into(),
            employer: "比美水産".into(),
            kind: "パート".into(),
            place: "比美町 港".into(),
            salary: salary.into(),
        }
    }

    #[test]
    fn the_list_id_names_the_sites_host() {
        assert_eq!(host("https://yui.example"), "yui.example");
        assert_eq!(host("http://localhost:8080/x"), "localhost");
        assert_eq!(host("http://[::1]:8080"), "--1");
    }

    #[test]
    fn follow_confirm() {
        let alerts = [FollowedSearch { what: "キーワード「介護」".into(), frequency: "毎日".into() }];
        let args = FollowConfirm {
            confirm_url: "https://yui.example/follow/confirm/t",
            valid_hours: 48,
            digest: true,
            alerts: &alerts,
        };
        let (ja, en) = both("follow_confirm", &args);
        check_languages("follow_confirm", &ja, &en);
        assert_eq!(en.subject, "[結ポータル] Please confirm your email address");
        assert!(ja.text.contains("このリンクは48時間だけ使えます") && en.text.contains("works for 48 hours"));
        assert!(
            ja.text.contains("・週刊ダイジェスト") && ja.text.contains("・求人アラート（毎日）: キーワード「介護」")
        );
    }

    #[test]
    fn follow_already() {
        let args = FollowAlready { manage_url: "https://yui.example/follow/manage/m1" };
        let (ja, en) = both("follow_already", &args);
        check_languages("follow_already", &ja, &en);
        assert!(ja.text.contains("/follow/manage/m1") && en.text.contains("/follow/manage/m1"));
    }

    #[test]
    fn follow_digest() {
        let postings = [posting("月給20万円"), posting("")];
        let articles = [ListedArticle {
            title: "港の朝".into(),
            lede: String::new(),
            pr: true,
            url: "https://yui.example/features/minato".into(),
        }];
        let args = FollowDigest {
            week: "11月20日〜11月26日",
            postings: &postings,
            articles: &articles,
            manage_url: "https://yui.example/follow/manage/m1",
            unsubscribe_url: "https://yui.example/unsubscribe/d1",
        };
        let (ja, en) = both("follow_digest", &args);
        check_languages("follow_digest", &ja, &en);
        assert!(ja.text.contains("【PR】港の朝") && en.text.contains("[PR] 港の朝"));
        assert!(ja.text.contains("パート / 比美町 港 / 月給20万円\n") && ja.text.contains("パート / 比美町 港\n"));
    }

    #[test]
    fn follow_alert() {
        let postings = [posting("")];
        let args = FollowAlert {
            frequency: "weekly",
            what: "All postings",
            count: 1,
            more: true,
            postings: &postings,
            search_url: "https://yui.example/jobs?lang=en",
            feed_url: "https://yui.example/follow/feeds/f1.atom",
            manage_url: "https://yui.example/follow/manage/m1",
            unsubscribe_url: "https://yui.example/unsubscribe/a1",
        };
        let (ja, en) = both("follow_alert", &args);
        check_languages("follow_alert", &ja, &en);
        assert_eq!(en.subject, "[結ポータル] New postings (1): All postings");
        assert!(en.text.contains("There are more") && ja.text.contains("ほかにもあります"));
    }
}
