//! A complaint's and an appeal's whole life on a clock that moves: filed on the portal and at
//! the desk (receipts queued), past their service level told to the office head and the
//! province's administrator by close of business (once), answered by the office head (the
//! answer queued to the applicant's SMS and inbox), and an upheld appeal reopening the
//! rejected file for a second social-work review. Due days are counted by hand here.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde_json::json;
use vamyar_app::complaints::{self, AnswerBody, ComplaintBody};
use vamyar_app::files::actions;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::{Clock, Ctx, Error, Settings, notices};
use vamyar_domain::policy::Actor;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

/// Tuesday 1405/09/10.
fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn at(ctx: &Ctx, day: NaiveDate, h: u32) -> Ctx {
    ctx.clone().with_clock(Clock::at_tehran(
        day,
        NaiveTime::from_hms_opt(h, 5, 0).unwrap(),
    ))
}

/// `n` working days after `from` (Fridays off; no holiday in these weeks).
fn working_days_after(from: NaiveDate, n: u32) -> NaiveDate {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if d.weekday() != Weekday::Fri {
            left -= 1;
        }
    }
    d
}

fn registration(program_id: i64, national_id: &str) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": national_id, "first_name": "زهرا", "last_name": "احمدی",
            "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "female_head_of_household": true,
            "household_size": 3, "beneficiary_status": "supported"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 2}
    }))
    .unwrap()
}

async fn staff(ctx: &Ctx, username: &str) -> Actor {
    vamyar_app::actors::staff_by_username(ctx, username)
        .await
        .unwrap()
}

/// A person's notices about complaints: (kind, complaint id).
async fn complaint_notices(ctx: &Ctx, username: &str) -> Vec<(String, Option<i64>)> {
    let me = staff(ctx, username).await;
    let mut all: Vec<(String, Option<i64>)> = notices::mine(ctx, &me)
        .await
        .unwrap()
        .notices
        .into_iter()
        .filter(|n| n.stage.as_deref() == Some("complaint"))
        .map(|n| (n.kind, n.complaint_id))
        .collect();
    all.sort();
    all
}

async fn count(ctx: &Ctx, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(ctx.db.pool())
        .await
        .unwrap()
}

async fn cob(ctx: &Ctx, day: NaiveDate) {
    let out = vamyar_app::cob::run(&at(ctx, day, 0), day, "test")
        .await
        .unwrap();
    assert!(
        matches!(out, vamyar_app::cob::Outcome::Ran { .. }),
        "{out:?}"
    );
}

fn body(code: &str, kind: &str, text: &str) -> ComplaintBody {
    ComplaintBody {
        tracking_code: Some(code.into()),
        kind: Some(kind.into()),
        body: Some(text.into()),
    }
}

fn field_codes(e: Error) -> Vec<(String, &'static str)> {
    match e {
        Error::Validation(f) => f.0.into_iter().map(|(k, v)| (k, v.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

both_engines!(
    a_complaint_and_an_appeal_live_their_whole_life,
    |t: TestDb| async move {
        let base = Ctx::new(
            t.db.clone(),
            Settings {
                upload_dir: t.scratch_folder().join("uploads"),
                complaint_working_days: 2,
                ..Settings::default()
            },
        );
        let ctx = at(&base, start(), 10);
        vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
        let program: i64 = count(&ctx, "select min(id) from program").await;
        let desk = staff(&ctx, "desk").await;
        let social = staff(&ctx, "social").await;
        let head = staff(&ctx, "head").await;
        let rejected = register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "0076229645"),
        )
        .await
        .unwrap();
        let other = register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "1234567891"),
        )
        .await
        .unwrap();
        actions::perform(
            &ctx,
            &social,
            rejected.id,
            "reject",
            json!({"version": 1, "reason": "درآمد بالاتر از سقف"}),
        )
        .await
        .unwrap();
        let person: i64 = count(
            &ctx,
            "select id from person where national_id = '0076229645'",
        )
        .await;
        let applicant = Actor::applicant(person);

        // bad input names each field and changes nothing
        let e = complaints::file(
            &ctx,
            &applicant,
            ComplaintBody {
                tracking_code: Some(other.tracking_code.clone()),
                kind: Some("rant".into()),
                body: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            field_codes(e),
            vec![
                ("body".to_string(), "required"),
                ("kind".to_string(), "invalid_choice"),
                ("tracking_code".to_string(), "complaint_file_unknown"),
            ],
            "another person's file is unknown to the applicant"
        );
        let e = complaints::file(&ctx, &desk, body(&other.tracking_code, "appeal", "چرا؟"))
            .await
            .unwrap_err();
        assert_eq!(
            field_codes(e),
            vec![("kind".to_string(), "appeal_needs_rejection")]
        );
        assert!(matches!(
            complaints::file(&ctx, &social, body(&other.tracking_code, "complaint", "x"))
                .await
                .unwrap_err(),
            Error::Forbidden
        ));
        assert_eq!(count(&ctx, "select count(*) from complaint").await, 0);

        // the applicant appeals on the portal; the desk files a complaint for the other file
        let appeal = complaints::file(
            &ctx,
            &applicant,
            body(
                &rejected.tracking_code,
                "appeal",
                "درآمد من کمتر از سقف است؛ فیش حقوقی دارم.",
            ),
        )
        .await
        .unwrap();
        let due = working_days_after(start(), 2);
        assert_eq!(appeal.due_on, due.to_string());
        assert_eq!(
            (appeal.channel.as_str(), appeal.status.as_str()),
            ("portal", "open")
        );
        let complaint = complaints::file(
            &ctx,
            &desk,
            body(
                &other.tracking_code,
                "complaint",
                "کارمند پاسخ تلفن را نداد.",
            ),
        )
        .await
        .unwrap();
        assert_eq!(complaint.channel, "desk");
        assert_eq!(
            count(
                &ctx,
                "select count(*) from outbox where event = 'complaint_filed'"
            )
            .await,
            2,
            "a receipt with the ticket number for each"
        );
        let e = complaints::file(
            &ctx,
            &applicant,
            body(&rejected.tracking_code, "appeal", "دوباره"),
        )
        .await
        .unwrap_err();
        assert_eq!(
            field_codes(e),
            vec![("kind".to_string(), "appeal_already_open")]
        );
        // each sees what is theirs
        let mine: Vec<i64> = complaints::list(&ctx, &applicant)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(mine, vec![appeal.id]);
        assert_eq!(complaints::list(&ctx, &head).await.unwrap().len(), 2);
        assert!(matches!(
            complaints::get(&ctx, &Actor::applicant(person + 1), appeal.id)
                .await
                .unwrap_err(),
            Error::NotFound
        ));

        // nobody is told while the level runs
        let mut day = start() + Duration::days(1);
        while day <= due {
            cob(&ctx, day).await;
            day += Duration::days(1);
        }
        assert!(complaint_notices(&ctx, "head").await.is_empty());
        // the complaint is answered in time; the appeal is not
        let today = at(&ctx, due, 11);
        let answered = complaints::answer(
            &today,
            &head,
            complaint.id,
            AnswerBody {
                outcome: Some("dismissed".into()),
                answer: Some("پیگیری شد؛ کارمند در مرخصی بود.".into()),
            },
        )
        .await
        .unwrap();
        assert_eq!(answered.status, "answered");
        // the day after the due day: the office head owns it, the province hears of it
        cob(&ctx, day).await;
        assert_eq!(
            complaint_notices(&ctx, "head").await,
            vec![("breach".to_string(), Some(appeal.id))]
        );
        assert_eq!(
            complaint_notices(&ctx, "province").await,
            vec![("escalation".to_string(), Some(appeal.id))]
        );
        assert!(complaint_notices(&ctx, "social").await.is_empty());
        for _ in 0..3 {
            day += Duration::days(1);
            cob(&ctx, day).await;
        }
        assert_eq!(
            count(
                &ctx,
                "select count(*) from staff_notice where stage = 'complaint'"
            )
            .await,
            2,
            "told once"
        );
        let late = complaints::get(&at(&ctx, day, 10), &head, appeal.id)
            .await
            .unwrap();
        assert!(late.overdue && late.escalated);

        // only the office head answers, with an outcome and a text
        let today = at(&ctx, day, 10);
        assert!(matches!(
            complaints::answer(&today, &social, appeal.id, AnswerBody::default())
                .await
                .unwrap_err(),
            Error::Forbidden
        ));
        let e = complaints::answer(
            &today,
            &head,
            appeal.id,
            AnswerBody {
                outcome: Some("maybe".into()),
                answer: Some("  ".into()),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            field_codes(e),
            vec![
                ("answer".to_string(), "required"),
                ("outcome".to_string(), "invalid_choice"),
            ]
        );
        // upheld: the file goes back to the social-work review
        let upheld = complaints::answer(
            &today,
            &head,
            appeal.id,
            AnswerBody {
                outcome: Some("upheld".into()),
                answer: Some("فیش حقوقی پذیرفته شد؛ پرونده دوباره بررسی می‌شود.".into()),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (upheld.status.as_str(), upheld.outcome.as_deref()),
            ("answered", Some("upheld"))
        );
        assert_eq!(upheld.file_state, "submitted");
        assert!(matches!(
            complaints::answer(
                &today,
                &head,
                appeal.id,
                AnswerBody {
                    outcome: Some("dismissed".into()),
                    answer: Some("x".into()),
                },
            )
            .await
            .unwrap_err(),
            Error::Conflict("complaint_answered")
        ));
        let history: Vec<String> = vamyar_app::files::history::history(&ctx, &head, rejected.id)
            .await
            .unwrap()
            .into_iter()
            .map(|h| format!("{}:{}", h.action, h.to))
            .collect();
        assert_eq!(
            history,
            vec![
                "register:submitted",
                "reject:rejected",
                "complaint_filed:rejected",
                "complaint_answered:rejected",
                "reopen:submitted",
            ]
        );
        // the answer and the reopening reach the applicant (SMS and inbox: one outbox row each)
        let sent: Vec<(String, String, Option<i64>)> = sqlx::query_as(
            "select event, recipient, person_id from outbox where application_id = $1 \
             and event in ('complaint_answered', 'reopened') order by id",
        )
        .bind(rejected.id)
        .fetch_all(ctx.db.pool())
        .await
        .unwrap();
        assert_eq!(
            sent,
            vec![
                (
                    "complaint_answered".into(),
                    "09121234567".into(),
                    Some(person)
                ),
                ("reopened".into(), "09121234567".into(), Some(person)),
            ]
        );
        let payload: String = sqlx::query_scalar(
            "select payload from outbox where event = 'complaint_answered' \
             and application_id = $1",
        )
        .bind(rejected.id)
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
        let text = vamyar_notify::render(
            "complaint_answered",
            &serde_json::from_str(&payload).unwrap(),
            vamyar_i18n::Lang::Fa,
        )
        .unwrap();
        assert!(text.contains("پذیرفته شد"), "{text}");
        // the second review: the social worker may approve the file again
        let file = vamyar_app::files::view::get(&ctx, &social, rejected.id)
            .await
            .unwrap();
        assert!(file.available_actions.contains(&"approve".to_string()));
        let head_view = vamyar_app::files::view::get(&ctx, &head, rejected.id)
            .await
            .unwrap();
        assert!(!head_view.available_actions.contains(&"reopen".to_string()));
        let audited = count(
            &ctx,
            "select count(*) from audit_log where action in ('complaint.file', \
             'complaint.answer', 'application.reopen', 'cob.complaint_escalate')",
        )
        .await;
        assert_eq!(audited, 2 + 2 + 1 + 1);

        // the funnel counts them: filed, answered, open, past the level, upheld
        let admin = staff(&ctx, "admin").await;
        let report = vamyar_app::reports::run(
            &today,
            &admin,
            "funnel",
            &vamyar_app::reports::ReportQuery::default(),
            vamyar_i18n::Lang::En,
        )
        .await
        .unwrap();
        let table = report
            .tables
            .iter()
            .find(|t| t.key == "report-funnel-complaints")
            .expect("the complaints table");
        let rows: Vec<String> = table.rows.iter().map(|r| format!("{r:?}")).collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        use vamyar_app::reports::Cell;
        let ints = |r: &[Cell]| -> Vec<i64> {
            r.iter()
                .skip(1)
                .map(|c| match c {
                    Cell::Int(n) => *n,
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        // appeal first (by kind): filed, answered, open, breached, upheld
        assert_eq!(ints(&table.rows[0]), vec![1, 1, 0, 1, 1]);
        assert_eq!(ints(&table.rows[1]), vec![1, 1, 0, 0, 0]);
    }
);
