//! The editorial side of the demo: a paid feature story about the fish processor (its order
//! paid, its postings linked), a free column, two succession listings, three supporters and a
//! few ledger lines, all through the same functions the staff pages use, so every step is
//! logged as it would be.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use yui_db::articles::{self, ArticleContent, Editor};
use yui_db::employers::Employer;
use yui_db::organizations::Organization;
use yui_db::postings::Actor;
use yui_db::staff::{NewStaffUser, StaffUser};
use yui_db::{DbConnection, DbError};
use yui_domain::ledger::LedgerEntryDraft;
use yui_domain::orders::tax_yen;
use yui_domain::{ArticleAction, OrderStatus, StaffRole, SuccessionStatus, SupporterSignup};

const FEATURE_BODY: &str = "\
## 朝四時、港の灯りの下で

氷見漁港の競りは、まだ暗いうちに始まります。株式会社氷見浜水産の浜野さんは、\
定置網から揚がったばかりの魚を見て「今日はいいブリが入った」と笑いました。

加工場では、寒ブリの三枚おろしから真空パックまで、十数人のスタッフが手分けして進めます。\
未経験で入った人も多く、包丁の持ち方から教わったそうです。

## 働く人の声

> 子どもが学校に行っている間だけ働けるのがありがたい。魚の名前も、ずいぶん覚えました。

- 勤務は朝6時から。午後は早く上がれる日が多い
- 繁忙期（12〜2月）は短期のスタッフも募集
- 見学はいつでも受け付けています

詳しくは、下の求人からお問い合わせください。
";

const COLUMN_BODY: &str = "\
「働く」を考えるコラムの第一回です。

氷見に移り住んだ人に話を聞くと、「仕事を探す」より先に「人に会う」ことから始まった、\
という人がたくさんいます。港の朝市、地区の祭り、公民館の講座。そこで出会った人から、\
仕事の話が舞い込んでくる。

このサイトが目指すのも、そういう出会いの入口です。求人票の向こうにいる人の顔が見えるように、\
これからも記事を届けていきます。
";

fn locked_staff(
    conn: &mut DbConnection,
    org: &Organization,
    email: &str,
    name: &str,
    role: StaffRole,
    now: NaiveDateTime,
) -> Result<StaffUser, DbError> {
    if let Some(u) = yui_db::staff::find_by_email(conn, email)? {
        return Ok(u);
    }
    yui_db::staff::create(
        conn,
        &NewStaffUser {
            organization_id: org.id,
            email,
            display_name: name,
            password_hash: yui_web::auth::password::LOCKED,
            role: role.code(),
            active: true,
            created_at: now,
            updated_at: now,
        },
    )
}

fn refused<T: std::fmt::Debug>(what: &str, why: T) -> DbError {
    DbError::Invalid(format!("demo {what}: {why:?}"))
}

/// Adds the editorial demo, in the caller's transaction. `editor` is the demo editor, who
/// approves what the demo writer drafts.
pub fn seed(
    conn: &mut DbConnection,
    today: NaiveDate,
    orgs: &[Organization],
    editor: &StaffUser,
    employers: &HashMap<&str, Employer>,
) -> Result<(), DbError> {
    let now = yui_db::now();
    let org = |kind: &str| orgs.iter().find(|o| o.kind == kind).or(orgs.first());
    let (Some(editorial), Some(npo)) = (org("editorial"), org("npo")) else {
        return Err(DbError::Invalid("demo.json needs organizations".into()));
    };
    let writer = locked_staff(conn, editorial, "demo-writer@yui.invalid", "デモライター", StaffRole::Writer, now)?;
    let as_writer = Editor { staff_id: writer.id, organization_id: editorial.id, role: StaffRole::Writer };
    let as_editor = Editor { staff_id: editor.id, organization_id: editor.organization_id, role: StaffRole::Editor };
    let editor_actor = Actor { staff_id: Some(editor.id), organization_id: Some(editor.organization_id) };
    let sponsor = employers.get("hamasui").ok_or_else(|| DbError::Invalid("demo employer hamasui".into()))?;
    let linked: Vec<i32> =
        yui_db::postings::public_by_employer(conn, sponsor.id, 0, now, 3)?.iter().map(|p| p.id).collect();

    // The paid feature: written, ordered, approved by a second person.
    let feature = ArticleContent {
        kind: "feature".into(),
        slug: "himihama-suisan-asa".into(),
        title: "朝四時、港の灯りの下で ― 氷見浜水産で働く人たち".into(),
        lede: "寒ブリの季節、氷見漁港のそばの加工場を訪ねました。未経験から始めた人たちが、港の朝を支えています。"
            .into(),
        body_markdown: FEATURE_BODY.into(),
        hero_alt: Some("夜明け前の富山湾と立山連峰（デモ用の絵）".into()),
        sponsor_employer_id: Some(sponsor.id),
        writer_credit: Some("デモライター".into()),
        photographer_credit: Some("ひみのしごと編集部".into()),
        editor_credit: Some("デモ編集者".into()),
        publish_at: None,
        hero_caption: Some("朝四時、水揚げを待つ氷見の海（デモ用の絵）".into()),
        interviewees: Some(
            "浜田 さくら（加工場 入社2年目）\n岩崎 健（加工場長）\n松井 由紀（パート、移住3年目）".into(),
        ),
    };
    let article = articles::create(conn, &feature, &linked, as_writer, now)?.map_err(|e| refused("feature", e))?;
    // A picture for the demo's feature, drawn here: the demo ships no photographs.
    let picture =
        yui_web::hero_image::prepare(&demo_picture()).map_err(|e| refused("the demo picture", format!("{e:?}")))?;
    let hash =
        yui_db::media::store(conn, picture.content_type(), &picture.bytes, (picture.width, picture.height), now)?;
    let article = articles::set_hero_image(
        conn,
        article.id,
        article.version,
        &format!("{hash}.{}", picture.ext),
        as_writer,
        now,
    )?
    .map_err(|e| refused("feature picture", e))?;
    let plan = "standard";
    let price = 150_000;
    let order = yui_db::orders::create(
        conn,
        &yui_db::orders::NewOrder {
            employer_id: sponsor.id,
            plan: plan.into(),
            price_yen: price,
            tax_yen: tax_yen(price, 10),
            quoted_on: today - Duration::days(40),
            notes: "デモ: 取材2回、写真10点".into(),
            article_id: Some(article.id),
        },
        editor_actor,
        now,
    )?
    .map_err(|e| refused("order", e))?;
    for (to, days) in [(OrderStatus::Ordered, 35), (OrderStatus::Invoiced, 10), (OrderStatus::Paid, 3)] {
        yui_db::orders::set_status(conn, order.id, to, today - Duration::days(days), None, editor_actor, now)?
            .ok_or_else(|| refused("order", "vanished"))?
            .map_err(|e| refused("order step", e))?;
    }
    let submitted =
        articles::step(conn, article.id, article.version, ArticleAction::Submit, as_writer, None, true, now)?
            .map_err(|e| refused("feature submit", e))?;
    articles::step(conn, article.id, submitted.version, ArticleAction::Approve, as_editor, None, true, now)?
        .map_err(|e| refused("feature approve", e))?;

    // A free column.
    let column = ArticleContent {
        kind: "column".into(),
        slug: "hataraku-wo-kangaeru-1".into(),
        title: "「働く」を考える。第1回 仕事は人から始まる".into(),
        lede: "移り住んだ人たちの話から見えてきた、小さな町での仕事の見つけ方。".into(),
        body_markdown: COLUMN_BODY.into(),
        hero_alt: None,
        sponsor_employer_id: None,
        writer_credit: Some("デモライター".into()),
        photographer_credit: None,
        editor_credit: Some("デモ編集者".into()),
        publish_at: None,
        hero_caption: None,
        interviewees: None,
    };
    let column = articles::create(conn, &column, &[], as_writer, now)?.map_err(|e| refused("column", e))?;
    let submitted = articles::step(conn, column.id, column.version, ArticleAction::Submit, as_writer, None, true, now)?
        .map_err(|e| refused("column submit", e))?;
    articles::step(conn, column.id, submitted.version, ArticleAction::Approve, as_editor, None, true, now)?
        .map_err(|e| refused("column approve", e))?;

    // Two businesses looking for a successor, coordinated by the NPO.
    let listing = |public_name: &str, industry: &str, area: &str, years: i32, staff: i32, handover: &str| {
        yui_db::succession::ListingContent {
            public_name: public_name.into(),
            industry: industry.into(),
            area: area.into(),
            years_in_business: Some(years),
            staff_count: Some(staff),
            revenue_band: "under_10m".into(),
            handover: handover.into(),
            handover_note: String::new(),
            reason: "店主が高齢になり、子どもは県外で働いているため。".into(),
            successor_wish: "地域のお客さんを大切にしてくれる方。移住者も歓迎します。".into(),
            terms: "succession transfer".into(),
            price_text: String::new(),
            description: "常連のお客さんに支えられてきた店です。引き継ぎ期間は一年ほど、店主が一緒に店に立ちます。"
                .into(),
            article_id: None,
            coordinator_organization_id: npo.id,
            owner_name: "デモ 店主".into(),
            owner_email: "owner@demo.invalid".into(),
            owner_phone: None,
        }
    };
    yui_db::succession::create(
        conn,
        &listing("市内の老舗鮮魚店", "小売（鮮魚）", "中央町", 62, 2, "premises equipment brand customers"),
        editor_actor,
        now,
    )?;
    let inn = yui_db::succession::create(
        conn,
        &listing("灘浦の海が見える民宿", "宿泊業", "灘浦", 38, 1, "premises equipment customers recipes"),
        editor_actor,
        now,
    )?;
    yui_db::succession::set_status(conn, inn.id, inn.version, SuccessionStatus::InTalks, None, editor_actor, now)?;

    // Supporters, confirmed as if they had clicked their links.
    for (email, name, kind, types) in [
        ("hana@demo.invalid", Some("氷見 花子"), "individual", vec!["share", "money"]),
        ("shokudo@demo.invalid", Some("ひみ浜食堂"), "business", vec!["banner"]),
        ("tokyo@demo.invalid", None, "individual", vec!["money"]),
    ] {
        let signup = SupporterSignup::parse(&yui_domain::SignupForm {
            email,
            name: name.unwrap_or(""),
            anonymous: name.is_none(),
            kind,
            support_types: types,
            message: "",
            on_wall: true,
        })
        .map_err(|e| refused("supporter", e))?;
        let token_hash = format!("demo-{email}");
        yui_db::supporters::sign_up(conn, &signup, &token_hash, now + Duration::hours(48), now)?;
        yui_db::supporters::confirm(conn, &token_hash, now)?;
    }

    // The ledger's hand-entered lines (the paid order above counts by itself).
    for (category, description, amount, days) in [
        ("grant", "地域づくり活動助成金", "300,000", 50),
        ("supporter", "応援団からの寄付（10月分）", "42,000", 20),
        ("hosting", "サーバー代（年額）", "18,000", 15),
        ("writing", "取材の交通費", "6,400", 12),
    ] {
        let on = (today - Duration::days(days)).to_string();
        let draft = LedgerEntryDraft::parse(category, description, amount, &on).map_err(|e| refused("ledger", e))?;
        yui_db::ledger::insert(conn, &draft, editor_actor, now)?;
    }
    Ok(())
}

/// A dawn over the bay with mountains behind, as a PNG: sky, snowy peaks, sea, the light on it.
fn demo_picture() -> Vec<u8> {
    let (w, h) = (1200u32, 675u32);
    let ridge = |x: f32| 0.42 - 0.10 * ((x * 9.0).sin() * 0.5 + (x * 23.0).sin() * 0.3 + (x * 4.0).cos() * 0.4).abs();
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let mix = |a: [f32; 3], b: [f32; 3], t: f32| {
            image::Rgb(std::array::from_fn(|i| (a[i] + (b[i] - a[i]) * t.clamp(0.0, 1.0)) as u8))
        };
        if fy > 0.6 {
            // The sea, with the sunrise's light on it.
            let glow = (1.0 - ((fx - 0.7).abs() * 6.0)).max(0.0) * (1.0 - (fy - 0.6) * 2.0).max(0.0);
            mix(
                mix([63.0, 143.0, 166.0], [23.0, 74.0, 70.0], (fy - 0.6) / 0.4).0.map(f32::from),
                [255.0, 214.0, 150.0],
                glow,
            )
        } else if fy > ridge(fx) {
            let snow = fy < ridge(fx) + 0.025;
            if snow {
                image::Rgb([245, 247, 250])
            } else {
                mix([143.0, 169.0, 184.0], [96.0, 120.0, 136.0], (fy - 0.3) / 0.3)
            }
        } else {
            mix([191.0, 227.0, 242.0], [255.0, 233.0, 196.0], fy / 0.45)
        }
    });
    let mut png = Vec::new();
    // An in-memory PNG of a fixed size cannot fail to encode; an empty result would be refused by `prepare`.
    let _ = image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
    png
}
