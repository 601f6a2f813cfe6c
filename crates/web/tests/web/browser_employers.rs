//! An employer's page on a phone, in real headless Chromium: reached from a posting by the
//! employer's name, it fits a 390 px (and a 320 px) screen with its logo and a wide photo; on the
//! posting, the logo and the photo leave the apply button in the first screen.

use crate::common::browser::{browser, click_and_wait_for, text};
use crate::common::TestApp;
use yui_db::employer_profiles::{self, Decision};
use yui_db::now;
use yui_db::postings::Actor;
use yui_db::testing::fixtures;
use yui_domain::employer_face::{FaceImage, FacePhoto};

/// A stored image of `w`×`h` pixels, as a face names it.
fn stored(conn: &mut yui_db::DbConnection, w: u32, h: u32, shade: u8) -> FaceImage {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([shade, 95, 91]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let hash = yui_db::media::store(conn, "image/png", &png, (w, h), now()).unwrap();
    FaceImage { name: format!("{hash}.png"), width: w, height: h }
}

#[actix_web::test]
async fn the_employer_page_fits_a_phone() {
    let Some(driver) = browser().await else { return };
    let app = TestApp::spawn().await;
    let mut conn = app.conn();
    let e = fixtures::employer(&mut conn, "株式会社氷見浜水産", "saiyo@hama.example").unwrap();
    let p = fixtures::published(&mut conn, &e, fixtures::input("寒ブリの加工スタッフ", "full_time"), now()).unwrap();
    let logo = stored(&mut conn, 400, 200, 200);
    let wide = stored(&mut conn, 1600, 900, 30);
    employer_profiles::propose(&mut conn, e.id, now(), |face| {
        face.intro = "氷見の浜で三代続く加工場です。\n朝は早く、昼過ぎには終わります。".into();
        face.links =
            vec!["https://hama.example/a/very/long/path/that/should/wrap/instead/of/overflowing/the/screen".into()];
        face.logo = Some(logo);
        face.photos = vec![FacePhoto { image: wide, caption: "朝の水揚げ".into() }];
        Ok(())
    })
    .unwrap()
    .unwrap();
    let seen = employer_profiles::find(&mut conn, e.id).unwrap().unwrap().pending_since.unwrap();
    assert!(employer_profiles::decide(&mut conn, e.id, seen, Decision::Approve, Actor::default(), now()).unwrap());

    let c = &driver.client;
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{}/jobs/{}", app.address, p.public_id)).await.unwrap();
    // The logo and the photo leave the apply button in the first screen.
    let top = c
        .execute(
            "return document.querySelector('.apply-now .button').getBoundingClientRect().top + window.scrollY;",
            vec![],
        )
        .await
        .unwrap();
    assert!(top.as_f64().unwrap() + 40.0 < 844.0, "the apply button's top is at {top}px");
    c.find(fantoccini::Locator::Css(".employer-photo img[loading='lazy'][width='1600'][height='900']")).await.unwrap();
    std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser")).ok();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser/posting-with-face-390.png"), png).ok();
    }
    click_and_wait_for(c, ".employer-name a", ".employer-page").await;
    assert_eq!(text(c, ".employer-page h1").await, "株式会社氷見浜水産");
    assert!(text(c, ".employer-postings").await.contains("寒ブリの加工スタッフ"));
    for width in [390, 320] {
        c.set_window_size(width, 844).await.unwrap();
        let overflow =
            c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.unwrap();
        assert!(overflow.as_i64().unwrap_or(1) <= 0, "horizontal overflow of {overflow}px on a {width}px screen");
    }
    c.set_window_size(390, 844).await.unwrap();
    std::fs::create_dir_all(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser")).ok();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(concat!(env!("CARGO_TARGET_TMPDIR"), "/browser/employer-390.png"), png).ok();
    }
}
