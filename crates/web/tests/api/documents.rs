//! Documents and counselling through the HTTP API: uploads checked by content, size, kind and
//! scope; reviews that move the file on to counselling; downloads; the expert's counselling
//! sessions, plan reviews and services.

use std::path::{Path, PathBuf};

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use vamyar_store::both_engines;
use vamyar_store::session::{self, Subject};
use vamyar_store::staff::{self, NewStaff};
use vamyar_store::testdb::TestDb;
use vamyar_web::WebConfig;

use crate::helpers::TestApp;

mod counselling;
mod reviews;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0xFF, 0xD9,
];
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
];
const REQUIRED: [&str; 3] = ["national_card", "birth_certificate", "business_plan"];

/// The app and its upload folder.
async fn spawn(db: TestDb) -> (TestApp, PathBuf) {
    let uploads = db.scratch_folder().join("uploads");
    let config = WebConfig {
        upload_dir: uploads.clone(),
        ..WebConfig::default()
    };
    let state = vamyar_web::AppState::new(db.db.clone(), config);
    let app = TestApp::serve(db, state).await;
    (app, uploads)
}

/// A session token for a subject.
async fn token_for(app: &TestApp, subject: Subject) -> String {
    let mut tx = app.db.db.begin().await.unwrap();
    let (token, _) = session::create(
        &mut tx,
        "session",
        &subject,
        None,
        chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    token
}

/// A staff account in `county` (or of `bank`) with a live session: (token, username).
async fn staff_in(
    app: &TestApp,
    role: &str,
    county: Option<&str>,
    bank: Option<i64>,
) -> (String, String) {
    let n: u32 = rand::random();
    let username = format!("{role}-{n:08x}");
    let mut tx = app.db.db.begin().await.unwrap();
    let id = staff::create(
        &mut tx,
        &NewStaff {
            username: username.clone(),
            password_hash: "not-a-real-hash".into(),
            full_name: format!("test {role}"),
            role: role.into(),
            province_code: county.map(|c| c[..2].to_string()),
            county_code: county.map(str::to_string),
            bank_id: bank,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (token_for(app, Subject::Staff(id)).await, username)
}

async fn staff(app: &TestApp, role: &str) -> String {
    staff_in(app, role, Some("07-15"), None).await.0
}

async fn call(
    app: &TestApp,
    method: Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, Method::GET, token, path, None).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(app, Method::POST, token, path, Some(body)).await
}

/// Uploads `bytes` as `kind` under the client's `name` and content type `mime`.
async fn upload_as(
    app: &TestApp,
    token: &str,
    id: i64,
    kind: &str,
    bytes: &[u8],
    name: &str,
    mime: &str,
) -> (u16, Value) {
    let form = Form::new()
        .percent_encode_noop()
        .text("kind", kind.to_string())
        .part(
            "file",
            Part::bytes(bytes.to_vec())
                .file_name(name.to_string())
                .mime_str(mime)
                .unwrap(),
        );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/applications/{id}/documents")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Uploads a small PDF of `kind`, asserting 201; returns the document's id.
async fn upload_pdf(app: &TestApp, token: &str, id: i64, kind: &str) -> i64 {
    let bytes = format!("%PDF-1.4\n% {kind} {}\n%%EOF\n", rand::random::<u32>()).into_bytes();
    let (status, doc) = upload_as(
        app,
        token,
        id,
        kind,
        &bytes,
        &format!("{kind}.pdf"),
        "application/pdf",
    )
    .await;
    assert_eq!(status, 201, "upload {kind}: {doc}");
    doc["id"].as_i64().unwrap()
}

async fn review(app: &TestApp, token: &str, doc: i64, body: Value) -> (u16, Value) {
    post(app, token, &format!("/api/v1/documents/{doc}/review"), body).await
}

/// A file registered at the desk and approved by the social worker (`documents_pending`).
async fn approved_file(app: &TestApp, desk: &str, social: &str, national_id: &str) -> i64 {
    vamyar_web::demo::seed(&app.db.db, vamyar_app::Clock::system().today())
        .await
        .unwrap();
    let year =
        vamyar_calendar::JalaliDate::from_iso(vamyar_calendar::Clock::system().today()).year();
    let program: i64 = sqlx::query_scalar("select id from program where code = $1")
        .bind(format!("demo-{year}"))
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
    let body = json!({
        "program_id": program, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": national_id, "first_name": "زهرا", "last_name": "احمدی",
            "father_name": "علی", "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "address": "تهران",
            "female_head_of_household": true, "disability": false, "household_size": 3,
            "income_decile": 2, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    });
    let (status, reg) = post(app, desk, "/api/v1/applications", body).await;
    assert_eq!(status, 201, "{reg}");
    let id = reg["id"].as_i64().unwrap();
    let (status, file) = post(
        app,
        social,
        &format!("/api/v1/applications/{id}/actions/approve"),
        json!({"version": reg["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{file}");
    assert_eq!(file["state"], "documents_pending");
    id
}

async fn file_state(app: &TestApp, token: &str, id: i64) -> String {
    let (status, file) = get(app, token, &format!("/api/v1/applications/{id}")).await;
    assert_eq!(status, 200, "{file}");
    file["state"].as_str().unwrap().to_string()
}

/// The owner of the running stage interval.
async fn stage_owner(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar(
        "select owner from stage_timing where application_id = $1 and ended_at is null",
    )
    .bind(id)
    .fetch_one(app.db.db.pool())
    .await
    .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1 and outcome = 'ok'")
        .bind(action)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

fn field_code(body: &Value, field: &str) -> String {
    body["error"]["fields"][field]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The stored files under the upload folder.
fn stored_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in std::fs::read_dir(dir).unwrap() {
        let sub = sub.unwrap().path();
        if sub.is_dir() {
            for f in std::fs::read_dir(&sub).unwrap() {
                out.push(f.unwrap().path());
            }
        }
    }
    out
}

both_engines!(
    uploads_are_checked_by_content_size_kind_and_scope,
    |db: TestDb| async move {
        let (app, uploads) = spawn(db).await;
        let desk = staff(&app, "desk_clerk").await;
        let social = staff(&app, "social_worker").await;
        let id = approved_file(&app, &desk, &social, "0076229645").await;
        assert_eq!(stage_owner(&app, id).await, "applicant");

        // PDF, JPEG and PNG are accepted, typed by their content
        for (kind, bytes, name, expected) in [
            ("national_card", PDF, "کارت ملي.pdf", "application/pdf"),
            ("photo", JPEG, "C:\\photos\\me.jpeg", "image/jpeg"),
            ("skill_certificate", PNG, "../../cert.png", "image/png"),
        ] {
            let (status, doc) = upload_as(
                &app,
                &desk,
                id,
                kind,
                bytes,
                name,
                "application/octet-stream",
            )
            .await;
            assert_eq!(status, 201, "{kind}: {doc}");
            assert_eq!(doc["content_type"], expected);
            assert_eq!(doc["status"], "pending");
            assert_eq!(doc["kind"], kind);
            assert_eq!(doc["size_bytes"], bytes.len());
            assert!(
                !doc["file_name"].as_str().unwrap().contains(['/', '\\']),
                "{doc}"
            );
        }
        let (_, list) = get(
            &app,
            &social,
            &format!("/api/v1/applications/{id}/documents"),
        )
        .await;
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["file_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["کارت ملی.pdf", "me.jpeg", "cert.png"]);
        let before = app.count("document").await;

        // a text file named .pdf and sent as application/pdf is refused
        let (status, body) = upload_as(
            &app,
            &desk,
            id,
            "business_plan",
            b"just some text, honest",
            "plan.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(field_code(&body, "file"), "unsupported_file_type");
        // more than the limit: 413
        let mut big = PDF.to_vec();
        big.resize(WebConfig::default().max_upload_bytes + 1, b' ');
        let (status, body) = upload_as(
            &app,
            &desk,
            id,
            "business_plan",
            &big,
            "big.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 413, "{body}");
        assert_eq!(body["error"]["code"], "payload_too_large");
        // an unknown kind, a missing file, an empty file, a body that is not a form
        let (status, body) =
            upload_as(&app, &desk, id, "passport", PDF, "p.pdf", "application/pdf").await;
        assert_eq!(status, 422);
        assert_eq!(field_code(&body, "kind"), "unknown_document_kind");
        let res = app
            .client
            .post(app.url(&format!("/api/v1/applications/{id}/documents")))
            .bearer_auth(&desk)
            .multipart(Form::new().text("kind", "business_plan"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert_eq!(field_code(&res.json().await.unwrap(), "file"), "required");
        let (status, body) = upload_as(
            &app,
            &desk,
            id,
            "business_plan",
            b"",
            "e.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(
            (status, field_code(&body, "file")),
            (422, "file_empty".to_string())
        );
        let (status, body) = post(
            &app,
            &desk,
            &format!("/api/v1/applications/{id}/documents"),
            json!({"kind": "photo"}),
        )
        .await;
        assert_eq!(status, 415, "{body}");

        // outside the county, a bank that never saw the file, another applicant: 404;
        // a social worker in the county may see it but not upload: 403
        let (other_county, _) = staff_in(&app, "desk_clerk", Some("07-02"), None).await;
        let (status, _) = upload_as(
            &app,
            &other_county,
            id,
            "business_plan",
            PDF,
            "p.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = get(
            &app,
            &other_county,
            &format!("/api/v1/applications/{id}/documents"),
        )
        .await;
        assert_eq!(status, 404);
        let bank_id = vamyar_store::bank::banks(app.db.db.pool()).await.unwrap()[0].id;
        let (bank, _) = staff_in(&app, "bank_officer", None, Some(bank_id)).await;
        let (status, _) = upload_as(
            &app,
            &bank,
            id,
            "business_plan",
            PDF,
            "p.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = upload_as(
            &app,
            &social,
            id,
            "business_plan",
            PDF,
            "p.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 403);
        let now = vamyar_store::time::now();
        let stranger: i64 = sqlx::query_scalar(
        "insert into person (national_id, first_name, last_name, gender, mobile, province_code, \
         county_code, created_at, updated_at) values ('1583250689', 'رضا', 'کریمی', 'male', \
         '09121111111', '07', '07-15', $1, $1) returning id",
    )
    .bind(now)
    .fetch_one(app.db.db.pool())
    .await
    .unwrap();
        let stranger = token_for(&app, Subject::Person(stranger)).await;
        let (status, _) = upload_as(
            &app,
            &stranger,
            id,
            "business_plan",
            PDF,
            "p.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 404);
        assert_eq!(
            app.count("document").await,
            before,
            "refused uploads write nothing"
        );

        // the applicant uploads to their own file; once every required kind is in, the agency
        // holds the stage again (the clock resumes)
        let (_, file) = get(&app, &social, &format!("/api/v1/applications/{id}")).await;
        let me = token_for(
            &app,
            Subject::Person(file["applicant"]["person_id"].as_i64().unwrap()),
        )
        .await;
        upload_pdf(&app, &me, id, "birth_certificate").await;
        assert_eq!(stage_owner(&app, id).await, "applicant");
        // a second clerk uploads the very bytes of the national card: one stored file for both
        let (desk2, _) = staff_in(&app, "desk_clerk", Some("07-15"), None).await;
        let (status, doc) = upload_as(
            &app,
            &desk2,
            id,
            "business_plan",
            PDF,
            "plan.pdf",
            "application/pdf",
        )
        .await;
        assert_eq!(status, 201, "{doc}");
        assert_eq!(stage_owner(&app, id).await, "agency");
        let hashes: Vec<String> = sqlx::query_scalar("select sha256 from document where application_id = $1 and kind in ('national_card', 'business_plan') order by id")
        .bind(id)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(hashes.len(), 2);
        assert_eq!(hashes[0], hashes[1]);
        assert_eq!(hashes[0], vamyar_store::document::sha256_hex(PDF));
        let files = stored_files(&uploads);
        // five documents, four distinct contents; refused uploads left nothing behind
        assert_eq!(app.count("document").await, 5);
        assert_eq!(files.len(), 4, "{files:?}");
        assert!(
            files
                .iter()
                .any(|f| f.ends_with(Path::new(&hashes[0][..2]).join(&hashes[0])))
        );
        assert_eq!(audit_count(&app, "document.upload").await, 5);
        assert_eq!(file_state(&app, &social, id).await, "documents_pending");
    }
);
