//! Japanese search and the portal's filters, identical on SQLite and PostgreSQL
//! (`YUI_TEST_BACKEND=postgres` runs the same cases, with the same expected postings).

use chrono::Duration;
use yui_db::postings::Posting;
use yui_db::postings::{self, Actor, PostingContent};
use yui_db::search::{self, JobsFilter};
use yui_db::testing::{fixtures, migrated, TestDatabase};
use yui_db::{now, DbConnection};
use yui_domain::{EmploymentType, PageNumber, PostingInput, RemoteMode};

struct World {
    _db: TestDatabase,
    conn: DbConnection,
    care: Posting,
    office: Posting,
    engineer: Posting,
    rust: Posting,
    fishing: Posting,
    pending: Posting,
}

fn input(title: &str, description: &str, employment_type: &str, category: &str, area: &str) -> PostingInput {
    PostingInput {
        description: description.into(),
        category: category.into(),
        area: area.into(),
        address: String::new(),
        ..fixtures::input(title, employment_type)
    }
}

fn world() -> World {
    let (db, mut conn) = migrated();
    let e = fixtures::employer(&mut conn, "社会福祉法人あおい会", "jinji@aoi.example").unwrap();
    let f = fixtures::employer(&mut conn, "株式会社ひみテック", "saiyo@tech.example").unwrap();
    let t = now() - Duration::days(3);
    let c = &mut conn;
    let care = fixtures::published(
        c,
        &e,
        PostingInput {
            salary_min: Some(230_000),
            salary_max: None,
            salary_unit: "month".into(),
            ..input("介護職員（パート）", "特別養護老人ホームでの介護のしごと。", "part_time", "care", "十二町")
        },
        t,
    )
    .unwrap();
    let office = fixtures::published(
        c,
        &f,
        input("営業事務スタッフ", "受発注と電話対応。エクセルが使える方。", "full_time", "office", "中央町"),
        t + Duration::hours(1),
    )
    .unwrap();
    let engineer = fixtures::published(
        c,
        &f,
        PostingInput {
            remote: "hybrid".into(),
            salary_min: Some(4_800_000),
            salary_max: Some(6_000_000),
            salary_unit: "year".into(),
            ..input("ITエンジニア", "社内システムの開発と運用。", "full_time", "it", "中央町")
        },
        t + Duration::hours(2),
    )
    .unwrap();
    let rust = fixtures::published(
        c,
        &f,
        PostingInput {
            remote: "remote".into(),
            salary_min: None,
            salary_max: None,
            salary_unit: String::new(),
            ..input("バックエンド開発（副業）", "ＲＵＳＴ と PostgreSQL を使います。週１０時間。", "side_job", "it", "")
        },
        t + Duration::hours(3),
    )
    .unwrap();
    let fishing = fixtures::published(
        c,
        &e,
        input("定置網漁の乗組員", "朝の漁に出ます。カイゴの経験は不要です。", "full_time", "fishery", "灘浦"),
        t + Duration::hours(4),
    )
    .unwrap();
    let pending = fixtures::pending(
        c,
        &e,
        input("介護の夜勤（審査待ち）", "介護", "part_time", "care", "十二町"),
        t,
        now() + Duration::days(10),
    )
    .unwrap();
    World { _db: db, conn, care, office, engineer, rust, fishing, pending }
}

fn ids(conn: &mut DbConnection, filter: &JobsFilter) -> Vec<i32> {
    let page = search::jobs(conn, now(), filter).unwrap();
    assert!(page.total >= page.items.len() as i64);
    page.items.iter().map(|(p, _)| p.id).collect()
}

fn q(text: &str) -> JobsFilter {
    JobsFilter { q: Some(text.into()), ..JobsFilter::all(20) }
}

fn sorted(mut v: Vec<i32>) -> Vec<i32> {
    v.sort_unstable();
    v
}

#[test]
fn japanese_queries_find_what_a_person_expects() {
    let mut w = world();
    let c = &mut w.conn;
    // 介護 is in the care posting's title and the fishing posting's description (as カイゴ).
    assert_eq!(ids(c, &q("介護")), [w.care.id], "kanji bigram; the pending posting is not public");
    assert_eq!(ids(c, &q("かいご")), [w.fishing.id], "hiragana finds katakana");
    assert_eq!(ids(c, &q("カイゴ")), [w.fishing.id]);
    assert_eq!(ids(c, &q("営業事務")), [w.office.id]);
    assert_eq!(ids(c, &q("事務 営業")), [w.office.id], "terms in any order");
    assert_eq!(ids(c, &q("ITエンジニア")), [w.engineer.id]);
    assert_eq!(
        ids(c, &q("ｉｔ")),
        [w.engineer.id, w.rust.id],
        "full width; the category code it weighs less than the title"
    );
    assert_eq!(ids(c, &q("rust")), [w.rust.id], "Latin words whole, case folded, NFKC");
    assert_eq!(ids(c, &q("Rust postgresql")), [w.rust.id]);
    assert_eq!(ids(c, &q("１０")), [w.rust.id], "full-width digits");
    assert_eq!(sorted(ids(c, &q("あおい会"))), sorted(vec![w.care.id, w.fishing.id]), "employer names are indexed");
    assert_eq!(ids(c, &q("灘浦")), [w.fishing.id], "location is indexed");
    assert!(ids(c, &q("営業 漁業")).is_empty(), "every term must match");
    assert!(ids(c, &q("java")).is_empty());
    assert!(ids(c, &q("・（）")).is_empty(), "a query of punctuation only finds nothing");
}

#[test]
fn one_character_queries_scan_titles_and_descriptions() {
    let mut w = world();
    let c = &mut w.conn;
    assert_eq!(sorted(ids(c, &q("漁"))), [w.fishing.id]);
    assert_eq!(sorted(ids(c, &q("介"))), [w.care.id]);
    // ス (スタッフ, システム) and す (ます, です) are one letter for the scan too.
    let both = sorted(vec![w.office.id, w.engineer.id, w.rust.id, w.fishing.id]);
    assert_eq!(sorted(ids(c, &q("ス"))), both);
    assert_eq!(sorted(ids(c, &q("す"))), both);
    assert!(ids(c, &q("漁 rust")).is_empty(), "a scanned and an indexed term together");
    assert_eq!(ids(c, &q("漁 朝の")), [w.fishing.id]);
}

#[test]
fn title_matches_rank_first_and_no_query_means_newest_first() {
    let mut w = world();
    let c = &mut w.conn;
    // 開発 is in the engineer's description and the side job's title.
    assert_eq!(ids(c, &q("開発")), [w.rust.id, w.engineer.id]);
    assert_eq!(ids(c, &JobsFilter::all(20)), [w.fishing.id, w.rust.id, w.engineer.id, w.office.id, w.care.id]);
}

#[test]
fn filters_combine_with_the_query() {
    let mut w = world();
    let c = &mut w.conn;
    let all = || JobsFilter::all(20);
    assert_eq!(
        ids(c, &JobsFilter { employment_type: Some(EmploymentType::FullTime), ..all() }),
        [w.fishing.id, w.engineer.id, w.office.id]
    );
    assert_eq!(
        ids(c, &JobsFilter { employment_type: Some(EmploymentType::FullTime), category: Some("it".into()), ..all() }),
        [w.engineer.id]
    );
    assert_eq!(ids(c, &JobsFilter { area: Some("中央町".into()), ..all() }), [w.engineer.id, w.office.id]);
    assert_eq!(ids(c, &JobsFilter { remote: Some(RemoteMode::Remote), ..all() }), [w.rust.id]);
    assert_eq!(
        ids(c, &JobsFilter { q: Some("開発".into()), remote: Some(RemoteMode::Hybrid), ..all() }),
        [w.engineer.id]
    );
    // Monthly equivalents: hour 1,200 × 160 = 192,000; month 230,000; year 6,000,000 / 12 = 500,000.
    let salary = |m| JobsFilter { salary_min_monthly: Some(m), ..all() };
    assert_eq!(
        ids(c, &salary(190_000)),
        [w.fishing.id, w.engineer.id, w.office.id, w.care.id],
        "postings without salary are left out"
    );
    assert_eq!(ids(c, &salary(200_000)), [w.engineer.id, w.care.id]);
    assert_eq!(ids(c, &salary(400_000)), [w.engineer.id]);
    assert!(ids(c, &salary(600_000)).is_empty());
}

#[test]
fn pages_and_totals() {
    let mut w = world();
    let c = &mut w.conn;
    let first = search::jobs(c, now(), &JobsFilter { per_page: 2, ..JobsFilter::all(2) }).unwrap();
    assert_eq!(first.total, 5);
    assert_eq!(first.items.len(), 2);
    let third =
        search::jobs(c, now(), &JobsFilter { page: PageNumber::parse(Some("3")).unwrap(), ..JobsFilter::all(2) })
            .unwrap();
    assert_eq!((third.total, third.items.len()), (5, 1));
    assert_eq!(third.items[0].0.id, w.care.id);
}

#[test]
fn facets_count_each_choice_with_that_facet_left_out() {
    let mut w = world();
    let c = &mut w.conn;
    let filter = JobsFilter { employment_type: Some(EmploymentType::FullTime), ..JobsFilter::all(20) };
    let f = search::facets(c, now(), &filter).unwrap();
    let count = |v: &[(EmploymentType, i64)], t| v.iter().find(|(x, _)| *x == t).unwrap().1;
    // The type facet ignores the chosen type: every public posting counts.
    assert_eq!(count(&f.employment_types, EmploymentType::FullTime), 3);
    assert_eq!(count(&f.employment_types, EmploymentType::PartTime), 1);
    assert_eq!(count(&f.employment_types, EmploymentType::SideJob), 1);
    assert_eq!(f.employment_types.len(), EmploymentType::ALL.len());
    // The other facets are for full-time postings only.
    assert_eq!(f.categories, [("fishery".into(), 1), ("it".into(), 1), ("office".into(), 1)]);
    assert_eq!(f.areas, [("中央町".into(), 2), ("灘浦".into(), 1)]);
    assert_eq!(f.remote, [(RemoteMode::Onsite, 2), (RemoteMode::Hybrid, 1), (RemoteMode::Remote, 0)]);

    let f = search::facets(c, now(), &q("介護")).unwrap();
    assert_eq!(f.categories, [("care".into(), 1)]);
    assert_eq!(count(&f.employment_types, EmploymentType::PartTime), 1);
    assert_eq!(count(&f.employment_types, EmploymentType::FullTime), 0);
}

/// A text search counts its facets from its matches in memory, a listing without text with
/// GROUP BYs: with a term every public posting has (the city, 氷見市), both must agree.
#[test]
fn text_search_facets_and_pages_agree_with_the_listing() {
    let mut w = world();
    let c = &mut w.conn;
    let filters = [
        JobsFilter::all(2),
        JobsFilter { employment_type: Some(EmploymentType::FullTime), ..JobsFilter::all(20) },
        JobsFilter { category: Some("it".into()), remote: Some(RemoteMode::Remote), ..JobsFilter::all(20) },
        JobsFilter { area: Some("中央町".into()), ..JobsFilter::all(20) },
    ];
    for filter in filters {
        let text = JobsFilter { q: Some("氷見".into()), ..filter.clone() };
        let (page, facets) = search::jobs_and_facets(c, now(), &text).unwrap();
        assert_eq!(facets, search::facets(c, now(), &filter).unwrap(), "{filter:?}");
        assert_eq!(facets, search::facets(c, now(), &text).unwrap(), "{filter:?}");
        let listing = search::jobs(c, now(), &filter).unwrap();
        assert_eq!(page.total, listing.total, "{filter:?}");
        assert_eq!(page.items.len(), listing.items.len(), "{filter:?}");
        assert_eq!(page.total, search::jobs(c, now(), &text).unwrap().total, "{filter:?}");
    }
}

#[test]
fn the_index_follows_edits_in_the_same_transaction() {
    let mut w = world();
    let c = &mut w.conn;
    let mut content = PostingContent::load(c, &w.office).unwrap();
    content.title = "経理スタッフ".into();
    postings::update_content(c, w.office.id, w.office.version, &content, "edit", Actor::default(), now()).unwrap();
    assert!(ids(c, &q("営業事務")).is_empty(), "the old title is gone from the index");
    assert_eq!(ids(c, &q("経理")), [w.office.id]);

    // A posting written behind the index's back is found after reindex_missing / reindex_all.
    let _ = w.pending.id;
    assert_eq!(search::reindex_all(c).unwrap(), 6);
    assert_eq!(ids(c, &q("経理")), [w.office.id]);
}
