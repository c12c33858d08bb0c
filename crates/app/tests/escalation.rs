//! Who hears of a late file: close of business, run day by day on a clock that moves with it,
//! tells the county's social workers and office head when a submitted file passes its level,
//! the province's administrator when it passes twice its level, and the office head each
//! working morning (desk notice, and an SMS held until 08:00 Tehran). Due days are computed
//! here by counting working days by hand, not with the code under test.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde_json::json;
use vamyar_app::files::actions;
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::{Clock, Ctx, Settings, notices};
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

/// `n` working days after `from`: Fridays are the only days off in these weeks (no official
/// holiday falls between 1405/09/10 and 1405/10/10).
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

async fn notices_of(ctx: &Ctx, username: &str) -> Vec<(String, Option<i64>)> {
    let me = staff(ctx, username).await;
    let mut all: Vec<(String, Option<i64>)> = notices::mine(ctx, &me)
        .await
        .unwrap()
        .notices
        .into_iter()
        .map(|n| (n.kind, n.application_id))
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

/// Runs close of business for `day` just after midnight of `day`, as `serve` does.
async fn cob(ctx: &Ctx, day: NaiveDate) {
    let out = vamyar_app::cob::run(&at(ctx, day, 0), day, "test")
        .await
        .unwrap();
    assert!(
        matches!(out, vamyar_app::cob::Outcome::Ran { .. }),
        "{out:?}"
    );
}

both_engines!(
    late_files_reach_the_people_who_can_move_them,
    |t: TestDb| async move {
        let base = Ctx::new(
            t.db.clone(),
            Settings {
                upload_dir: t.scratch_folder().join("uploads"),
                ..Settings::default()
            },
        );
        let ctx = at(&base, start(), 10);
        vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
        sqlx::query("update staff_user set mobile = '09127654321' where username = 'head'")
            .execute(ctx.db.pool())
            .await
            .unwrap();
        let program: i64 = count(&ctx, "select min(id) from program").await;
        let desk = staff(&ctx, "desk").await;
        let late = register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "0076229645"),
        )
        .await
        .unwrap()
        .id;
        let moved = register::register(
            &ctx,
            Caller::Actor(desk),
            registration(program, "1234567891"),
        )
        .await
        .unwrap()
        .id;
        // the social-work review of a submitted file: 3 working days
        let due = working_days_after(start(), 3);
        let escalate = working_days_after(due, 3);

        // up to the due day nobody is told
        let mut day = start() + Duration::days(1);
        while day <= due {
            cob(&ctx, day).await;
            day += Duration::days(1);
        }
        assert_eq!(
            count(
                &ctx,
                "select count(*) from staff_notice where kind <> 'digest'"
            )
            .await,
            0
        );

        // the day after the due day: the social worker and the office head, once per file
        cob(&ctx, day).await;
        let breach = |id| ("breach".to_string(), Some(id));
        assert_eq!(
            notices_of(&ctx, "social").await,
            vec![breach(late), breach(moved)]
        );
        let head = notices_of(&ctx, "head").await;
        assert!(
            head.contains(&breach(late)) && head.contains(&breach(moved)),
            "{head:?}"
        );
        assert!(
            notices_of(&ctx, "expert").await.is_empty(),
            "not the expert's stage"
        );
        assert!(
            notices_of(&ctx, "province").await.is_empty(),
            "not yet twice the level"
        );

        // one file moves on: its stage ends, so it is never escalated
        let social = staff(&ctx, "social").await;
        let today = at(&ctx, day, 9);
        actions::perform(&today, &social, moved, "approve", json!({"version": 1}))
            .await
            .unwrap();

        day += Duration::days(1);
        while day <= escalate {
            cob(&ctx, day).await;
            day += Duration::days(1);
        }
        assert!(
            notices_of(&ctx, "province").await.is_empty(),
            "on the day itself, not yet"
        );
        cob(&ctx, day).await;
        assert_eq!(
            notices_of(&ctx, "province").await,
            vec![("escalation".to_string(), Some(late))]
        );
        let breaches = "select count(*) from staff_notice where kind = 'breach'";
        let before = count(&ctx, breaches).await;
        assert_eq!(
            before, 4,
            "two files, two people each: nobody is told twice"
        );

        // every working morning from the first breach on, one digest for the office head
        let mut mornings = 0;
        let mut d = due + Duration::days(1);
        while d <= day {
            if d.weekday() != Weekday::Fri {
                mornings += 1;
            }
            d += Duration::days(1);
        }
        let digests = "select count(*) from staff_notice where kind = 'digest'";
        assert_eq!(count(&ctx, digests).await, mornings);
        let sms: Vec<(String, String)> = sqlx::query_as(
        "select recipient, next_attempt_at from outbox where event = 'breach_digest' order by id",
    )
    .fetch_all(ctx.db.pool())
    .await
    .unwrap();
        assert_eq!(sms.len() as i64, mornings, "one SMS per digest");
        let last = &sms[sms.len() - 1];
        assert_eq!(last.0, "09127654321");
        // 08:00 in Tehran is 04:30 UTC
        assert_eq!(&last.1[..16], format!("{}T04:30", day).as_str());
        let payload: String = sqlx::query_scalar(
            "select payload from outbox where event = 'breach_digest' order by id desc limit 1",
        )
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(
            payload["notice"]["files"], 1,
            "only the late file is still late"
        );

        // the funnel lists both breaches, the oldest due first (then the file registered
        // first): the late file still in its stage (close of business flagged its running
        // clock; working days up to today), the moved one with the day it left
        let report_day = at(&ctx, day, 10);
        let admin = staff(&ctx, "admin").await;
        let funnel = vamyar_app::reports::run(
            &report_day,
            &admin,
            "funnel",
            &vamyar_app::reports::ReportQuery::default(),
            vamyar_i18n::Lang::Fa,
        )
        .await
        .unwrap();
        let listed = &funnel.tables[1].rows;
        let worked = |to: NaiveDate| {
            let mut n = 0;
            let mut d = start();
            while d < to {
                d += Duration::days(1);
                n += i64::from(d.weekday() != Weekday::Fri);
            }
            n * 10
        };
        use vamyar_app::reports::Cell;
        let moved_on = due + Duration::days(1);
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert_eq!(
            listed[0][2..],
            [
                Cell::Int(30),
                Cell::Date(due),
                Cell::Empty,
                Cell::Int(worked(day))
            ]
        );
        assert_eq!(
            listed[1][2..],
            [
                Cell::Int(30),
                Cell::Date(due),
                Cell::Date(moved_on),
                Cell::Int(worked(moved_on))
            ]
        );
        // and the moved file's stay counts, late, in the stage's times
        let submitted = &funnel.tables[0].rows[0];
        assert_eq!(
            submitted[6..],
            [Cell::Int(1), Cell::Int(0), Cell::Int(0)],
            "measured, on time, compliance: {submitted:?}"
        );

        // the office head reads them
        let head = staff(&ctx, "head").await;
        let mine = notices::mine(&ctx, &head).await.unwrap();
        assert!(mine.unread > 0);
        let newest = mine.notices[0].id;
        notices::mark_read(
            &ctx,
            &head,
            notices::ReadBody {
                through_id: Some(newest),
            },
        )
        .await
        .unwrap();
        assert_eq!(notices::mine(&ctx, &head).await.unwrap().unread, 0);
        assert!(
            notices::mine(&ctx, &social).await.unwrap().unread > 0,
            "each their own"
        );

        // an old day caught up later sends no digest: the morning has passed
        let outbox = count(
            &ctx,
            "select count(*) from outbox where event = 'breach_digest'",
        )
        .await;
        let skipped = day + Duration::days(2);
        let later = skipped + Duration::days(1);
        let out = vamyar_app::cob::run(&at(&ctx, later, 0), later, "test")
            .await
            .unwrap();
        let vamyar_app::cob::Outcome::Ran { days } = out else {
            panic!("{out:?}")
        };
        assert_eq!(days.len(), 3, "caught up");
        let expected = i64::from(later.weekday() != Weekday::Fri);
        assert_eq!(
            count(
                &ctx,
                "select count(*) from outbox where event = 'breach_digest'"
            )
            .await,
            outbox + expected
        );
        assert_eq!(count(&ctx, breaches).await, before);
    }
);
