//! The callers of the matrix: staff accounts and sessions made for the test.

use vamyar_store::session::Subject;

use crate::helpers::TestApp;

/// One caller of the matrix.
pub(super) struct Caller {
    pub(super) name: &'static str,
    pub(super) role: &'static str,
    pub(super) token: Option<String>,
    pub(super) sees_file: bool,
}

/// A one-hour login session for `subject`.
pub(super) async fn session_for(app: &TestApp, subject: Subject) -> String {
    let mut tx = app.db.db.begin().await.unwrap();
    let (token, _) = vamyar_store::session::create(
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

/// A staff account (in `county`, of `bank`) with a live session; returns its token.
pub(super) async fn staff(
    app: &TestApp,
    username: &str,
    role: &str,
    county: Option<&str>,
    bank: Option<&str>,
) -> String {
    let bank_id: Option<i64> = match bank {
        Some(code) => Some(
            sqlx::query_scalar("select id from bank where code = $1")
                .bind(code)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap(),
        ),
        None => None,
    };
    let mut tx = app.db.db.begin().await.unwrap();
    let id = vamyar_store::staff::create(
        &mut tx,
        &vamyar_store::staff::NewStaff {
            username: username.into(),
            password_hash: "unused".into(),
            full_name: username.into(),
            role: role.into(),
            province_code: county.map(|c| c[..2].to_string()),
            county_code: county.map(str::to_string),
            bank_id,
            branch_id: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    session_for(app, Subject::Staff(id)).await
}
