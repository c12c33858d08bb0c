//! The pages, from the server's side: every page renders in Persian (right to left) and
//! English (left to right) with a Content-Security-Policy; no page references another
//! origin; forms refuse a POST without the CSRF token; the main pages stay under the 100 KB
//! budget; and a walk-in registration works through the plain forms (no JavaScript).

use reqwest::Method;
use reqwest::header::{CONTENT_SECURITY_POLICY, COOKIE, LOCATION, SET_COOKIE};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program, login, registration, upload};

mod forms;

/// A browser-like visitor: its cookies, sent by hand (the client keeps none).
#[derive(Default, Clone)]
pub struct Visitor {
    pub cookies: Vec<(String, String)>,
}

pub struct Page {
    pub status: u16,
    pub csp: bool,
    pub location: Option<String>,
    pub body: String,
}

pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Visitor {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, res: &reqwest::Response) {
        for v in res.headers().get_all(SET_COOKIE) {
            let s = v.to_str().unwrap_or_default();
            let Some((k, rest)) = s.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default().to_string();
            self.cookies.retain(|(n, _)| n != k);
            if !value.is_empty() && !s.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), value));
            }
        }
    }

    pub async fn send(&mut self, app: &TestApp, req: reqwest::RequestBuilder) -> Page {
        let _ = app;
        let res = req
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&res);
        Page {
            status: res.status().as_u16(),
            csp: res.headers().contains_key(CONTENT_SECURITY_POLICY),
            location: res
                .headers()
                .get(LOCATION)
                .map(|v| v.to_str().unwrap().to_string()),
            body: res.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&mut self, app: &TestApp, path: &str) -> Page {
        let req = no_redirects().get(app.url(path));
        self.send(app, req).await
    }

    pub async fn post(&mut self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> Page {
        let req = no_redirects().post(app.url(path)).form(form);
        self.send(app, req).await
    }

    /// The CSRF token of a page's first form.
    pub fn token(page: &Page) -> String {
        let at = page.body.find("name=\"csrf\" value=\"").expect("a form") + 19;
        page.body[at..at + 64].to_string()
    }

    pub async fn staff_login(app: &TestApp, username: &str) -> Visitor {
        let mut v = Visitor::default();
        let p = v.get(app, "/staff/login").await;
        let token = Visitor::token(&p);
        let totp = app.totp_code(username).await.unwrap_or_default();
        let done = v
            .post(
                app,
                "/staff/login",
                &[
                    ("csrf", &token),
                    ("username", username),
                    ("password", vamyar_web::demo::DEMO_PASSWORD),
                    ("totp", &totp),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "login {username}: {}", done.body);
        // an administrator without a second factor gets one (the enrolment page has its
        // own test)
        if done.location.as_deref() == Some("/staff/totp") {
            app.enrol_totp(username).await;
        }
        v
    }
}

/// Every `src`, `href` and `action` value, and every `http(s)://` text, of a page.
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "href=\"", "action=\"", "hx-get=\"", "hx-post=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].to_string());
        }
    }
    for scheme in ["http://", "https://", "//"] {
        let mut rest = html;
        while let Some(at) = rest.find(scheme) {
            let before = &rest[..at];
            rest = &rest[at + scheme.len()..];
            // `//` inside an attribute value that starts a protocol-relative URL
            if scheme == "//" && !before.ends_with('"') {
                continue;
            }
            out.push(format!(
                "{scheme}{}",
                rest.chars().take(30).collect::<String>()
            ));
        }
    }
    out
}

pub fn assert_same_origin(path: &str, html: &str) {
    for r in references(html) {
        assert!(
            r.starts_with('/') && !r.starts_with("//") || r.starts_with('#') || r.starts_with('?'),
            "{path} references {r}"
        );
    }
}

/// Builds a file registered by the desk clerk, with a document, and returns its id.
async fn fixture(app: &TestApp) -> i64 {
    let program = demo_program(app).await;
    let desk = login(app, "desk").await;
    let (status, f) = call(
        app,
        Method::POST,
        &desk,
        "/api/v1/applications",
        Some(registration(program, "0076229645")),
    )
    .await;
    assert_eq!(status, 201, "{f}");
    let id = f["id"].as_i64().unwrap();
    upload(app, &desk, id, "national_card").await;
    id
}

both_engines!(
    every_page_renders_in_both_languages_with_a_csp_and_only_same_origin_references,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let id = fixture(&app).await;
        let mut anon = Visitor::default();
        let mut pages: Vec<(Visitor, String)> =
            ["/", "/track", "/verify", "/login", "/staff/login"]
                .iter()
                .map(|p| (anon.clone(), p.to_string()))
                .collect();
        for (user, paths) in [
            (
                "desk",
                vec![
                    "/desk".to_string(),
                    "/desk/register".into(),
                    format!("/desk/files/{id}"),
                ],
            ),
            (
                "social",
                vec![format!("/desk/files/{id}"), "/desk?breached=1".into()],
            ),
            ("bank", vec!["/bank".to_string(), "/bank/payments".into()]),
            (
                "admin",
                vec![
                    "/admin/programs".to_string(),
                    "/admin/banks".into(),
                    "/admin/memoranda".into(),
                    "/admin/staff".into(),
                    "/admin/holidays".into(),
                    "/admin/counties?province=07".into(),
                ],
            ),
        ] {
            let v = Visitor::staff_login(&app, user).await;
            pages.extend(paths.into_iter().map(|p| (v.clone(), p)));
        }
        // the applicant, logged in with a session of their own
        let person: i64 = sqlx::query_scalar("select person_id from application where id = $1")
            .bind(id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let mut tx = app.db.db.begin().await.unwrap();
        let (token, _) = vamyar_store::session::create(
            &mut tx,
            "session",
            &vamyar_store::session::Subject::Person(person),
            None,
            chrono::Duration::hours(1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let applicant = Visitor {
            cookies: vec![("vamyar_session".into(), token)],
        };
        for p in [
            format!("/portal/files/{id}"),
            "/portal/inbox".into(),
            format!("/portal/files/{id}/withdraw"),
        ] {
            pages.push((applicant.clone(), p));
        }
        for (mut v, path) in pages {
            for (lang, dir) in [("fa", "rtl"), ("en", "ltr")] {
                let sep = if path.contains('?') { '&' } else { '?' };
                let p = v.get(&app, &format!("{path}{sep}lang={lang}")).await;
                assert_eq!(p.status, 200, "{path} in {lang}: {}", p.body);
                assert!(p.csp, "{path} has a Content-Security-Policy");
                assert!(
                    p.body
                        .contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
                    "{path} in {lang} is {dir}"
                );
                assert!(
                    !p.body.contains("<script>") && !p.body.contains("style=\""),
                    "{path}: nothing inline"
                );
                assert_same_origin(&path, &p.body);
                if lang == "fa" {
                    assert!(!p.body.contains(">pg-"), "{path}: every text is translated");
                }
            }
        }
        let css = anon.get(&app, "/static/app.css").await;
        assert_eq!(css.status, 200);
        assert!(
            !css.body.contains("http"),
            "the stylesheet loads nothing from elsewhere"
        );
    }
);

both_engines!(
    page_forms_refuse_a_post_without_the_csrf_token,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let id = fixture(&app).await;
        let mut anon = Visitor::default();
        let p = anon.post(&app, "/track", &[("code", "123456789012")]).await;
        assert_eq!(p.status, 403, "no token, no tracking");
        let form = anon.get(&app, "/track").await;
        let token = Visitor::token(&form);
        let p = anon
            .post(&app, "/track", &[("csrf", &"0".repeat(64)), ("code", "1")])
            .await;
        assert_eq!(p.status, 403, "a wrong token");
        let p = anon
            .post(
                &app,
                "/track",
                &[("csrf", &token), ("code", "123456789012")],
            )
            .await;
        assert_ne!(p.status, 403, "the page's own token passes");

        let mut social = Visitor::staff_login(&app, "social").await;
        let p = social
            .post(
                &app,
                &format!("/desk/files/{id}/actions/approve"),
                &[("version", "1")],
            )
            .await;
        assert_eq!(p.status, 403);
        let anon_token = token;
        let p = social
            .post(
                &app,
                &format!("/desk/files/{id}/actions/approve"),
                &[("csrf", &anon_token), ("version", "1")],
            )
            .await;
        assert_eq!(p.status, 403, "another session's token does not pass");
        let state: String = sqlx::query_scalar("select state from application where id = $1")
            .bind(id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(state, "submitted", "nothing changed");
        let page = social.get(&app, &format!("/desk/files/{id}")).await;
        let token = Visitor::token(&page);
        let p = social
            .post(
                &app,
                &format!("/desk/files/{id}/actions/approve"),
                &[("csrf", &token), ("version", "1")],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let cross = no_redirects()
            .post(app.url(&format!("/desk/files/{id}/actions/approve")))
            .header(COOKIE, social.cookie_header())
            .header("origin", "https://evil.example")
            .form(&[("csrf", token.as_str()), ("version", "2")])
            .send()
            .await
            .unwrap();
        assert_eq!(cross.status().as_u16(), 403, "another origin is refused");
    }
);

both_engines!(
    the_main_pages_stay_under_100_kb_without_the_font,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let id = fixture(&app).await;
        let desk = Visitor::staff_login(&app, "desk").await;
        let client = reqwest::Client::new();
        let mut assets = 0usize;
        for a in ["app.css", "htmx.min.js"] {
            let res = client
                .get(app.url(&format!("/static/{a}")))
                .header("accept-encoding", "gzip")
                .send()
                .await
                .unwrap();
            assert!(
                res.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .contains("immutable")
            );
            assets += res.bytes().await.unwrap().len();
        }
        for path in [
            "/".to_string(),
            "/login".into(),
            "/desk".into(),
            "/desk/register".into(),
            format!("/desk/files/{id}"),
        ] {
            let html = client
                .get(app.url(&path))
                .header(COOKIE, desk.cookie_header())
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .len();
            assert!(
                html + assets < 100 * 1024,
                "{path}: {html} + {assets} bytes"
            );
        }
    }
);
