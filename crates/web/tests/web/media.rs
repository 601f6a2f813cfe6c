//! Uploaded images live in the database: an image uploaded through one instance is served by
//! another on the same database, with a strong ETag (its SHA-256) and a year's cache lifetime;
//! the same image is stored once; names from before the move keep working once imported.

use crate::articles::{column, staff, upload, PNG};
use crate::common::{self, Session, TestApp};
use yui_db::{articles, now};

/// A second instance of Yui on the first one's database (on SQLite, the same file).
async fn second_instance(first: &TestApp) -> String {
    let mut settings = common::test_settings();
    settings.database_url = first.db.url.clone();
    settings.pool_size = 2;
    let app = yui_web::Application::build(settings).expect("the second app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    address
}

#[actix_web::test]
async fn an_image_uploaded_through_one_instance_is_served_by_another() {
    let app = TestApp::spawn().await;
    let other = second_instance(&app).await;
    let mut conn = app.conn();
    let writer = staff(&mut conn, "writer@desk.example", "writer");
    let a = articles::create(&mut conn, &column("umi"), &[], writer, now()).unwrap().unwrap();
    let b = articles::create(&mut conn, &column("yama"), &[], writer, now()).unwrap().unwrap();
    let s = Session::login(&app, "writer@desk.example").await;
    let csrf = s.csrf_on("/admin/articles").await;
    let (status, location) = upload(&s, &format!("/admin/articles/{}/hero", a.id), &csrf, "1", "a.png", PNG).await;
    assert_eq!(status, 303, "{location}");
    let stored = articles::find(&mut conn, a.id).unwrap().unwrap().hero_image.unwrap();
    let expected = yui_web::hero_image::prepare(PNG).unwrap().bytes;
    let hash = yui_db::media::hash_of(&expected);
    assert_eq!(stored, format!("{hash}.png"));

    let client = common::new_client();
    let url = format!("{other}/media/{stored}");
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let etag = format!("\"{hash}\"");
    assert_eq!(res.headers()["etag"], etag.as_str());
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().as_ref(), expected.as_slice());

    let again = client.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let other_tag = client.get(&url).header("if-none-match", "\"0000\"").send().await.unwrap();
    assert_eq!(other_tag.status().as_u16(), 200);
    let head = client.head(&url).send().await.unwrap();
    assert_eq!((head.status().as_u16(), head.headers()["etag"].to_str().unwrap()), (200, etag.as_str()));

    let unknown = yui_db::media::hash_of(b"no such image");
    assert_eq!(client.get(format!("{other}/media/{unknown}.png")).send().await.unwrap().status().as_u16(), 404);
    assert_eq!(client.get(format!("{other}/media/{hash}.gif")).send().await.unwrap().status().as_u16(), 404);

    // The same picture for a second article: one stored image, two articles showing it.
    let (status, _) = upload(&s, &format!("/admin/articles/{}/hero", b.id), &csrf, "1", "b.png", PNG).await;
    assert_eq!(status, 303);
    assert_eq!(articles::find(&mut conn, b.id).unwrap().unwrap().hero_image.unwrap(), stored);
    assert_eq!(yui_db::media::count(&mut conn).unwrap(), 1);
}

#[actix_web::test]
async fn an_old_file_name_is_served_once_imported() {
    let app = TestApp::spawn().await;
    let old = "0123456789abcdef0123456789abcdef.png";
    assert_eq!(app.page(&format!("/media/{old}")).await.0, 404);
    let image = yui_web::hero_image::prepare(PNG).unwrap();
    yui_db::media::import(&mut app.conn(), old, "image/png", &image.bytes, (1, 1), now()).unwrap();
    let res = app.get(&format!("/media/{old}")).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["etag"], format!("\"{}\"", yui_db::media::hash_of(&image.bytes)).as_str());
    assert_eq!(res.bytes().await.unwrap().as_ref(), image.bytes.as_slice());
}
