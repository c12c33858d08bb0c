//! Holidays for a loan's whole life: the fixed solar holidays are generated for every year a
//! schedule reaches, not only the years seeded into the holiday table.

use chrono::{Datelike, NaiveDate, Weekday};
use reqwest::Method;
use serde_json::json;
use vamyar_calendar::{JalaliDate, fixed_solar_holidays};
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{act, call, demo_program};
use crate::loans::{bank_approved, day, iso, staff, today};

fn j(y: i32, m: u8, d: u8) -> NaiveDate {
    JalaliDate::new(y, m, d).unwrap().to_iso()
}

both_engines!(
    a_6_plus_60_month_schedule_from_1405_08_30_has_no_due_date_on_a_1411_holiday,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let disbursed = j(1405, 8, 30);
        let days_ago = (today() - disbursed).num_days();
        let (id, version) = bank_approved(&app, &s, program, "1583250689", days_ago + 1).await;
        // whatever years the table was seeded with, it holds nothing from 1411 on
        sqlx::query("delete from holiday where holiday_date >= $1")
            .bind(iso(j(1411, 1, 1)))
            .execute(app.db.db.pool())
            .await
            .unwrap();
        // the demo memorandum: 6 months of grace, then 60 installments
        let body = json!({"contract_number": "C-1411", "amount": 1_000_000_000_i64,
            "disbursed_on": iso(disbursed)});
        act(&app, &s.bank, id, "disburse", body, version, "active").await;
        let (status, loan) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/applications/{id}/loan"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{loan}");
        let loan = loan["id"].as_i64().unwrap();
        let (status, schedule) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan}/schedule"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{schedule}");
        let due: Vec<NaiveDate> = schedule["installments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| day(&i["due_on"]))
            .collect();
        assert_eq!(due.len(), 60);
        let in_1411: Vec<NaiveDate> = due
            .iter()
            .copied()
            .filter(|d| JalaliDate::from_iso(*d).year() == 1411)
            .collect();
        assert!(!in_1411.is_empty(), "the schedule reaches 1411: {due:?}");
        let holidays: Vec<NaiveDate> = (1405..=1411)
            .flat_map(fixed_solar_holidays)
            .map(|h| h.date)
            .collect();
        for d in &due {
            assert!(
                !holidays.contains(d),
                "due on a holiday: {}",
                JalaliDate::from_iso(*d)
            );
            assert_ne!(
                d.weekday(),
                Weekday::Fri,
                "due on a Friday: {}",
                JalaliDate::from_iso(*d)
            );
        }
        for h in [
            (1, 1),
            (1, 2),
            (1, 3),
            (1, 4),
            (1, 12),
            (1, 13),
            (3, 14),
            (3, 15),
            (11, 22),
            (12, 29),
        ] {
            assert!(!in_1411.contains(&j(1411, h.0, h.1)));
        }
        // the installment of Esfand 1410 (the 30th, clamped to the 29th, Oil Day) moves past
        // the whole of Nowruz 1411
        let esfand = due
            .iter()
            .find(|d| *d >= &j(1410, 12, 1) && *d < &j(1411, 1, 30))
            .copied()
            .unwrap();
        assert!(esfand > j(1411, 1, 4), "{}", JalaliDate::from_iso(esfand));
    }
);

both_engines!(
    the_holidays_page_warns_of_years_without_lunar_holidays_and_imports_a_file,
    |db: TestDb| async move {
        use crate::loans::disburse;
        use crate::pages::{Visitor, no_redirects};
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 30).await;
        disburse(&app, &s, id, version, "C-77", 1).await;
        sqlx::query("delete from holiday where kind = 'lunar'")
            .execute(app.db.db.pool())
            .await
            .unwrap();
        let this_year = JalaliDate::from_iso(today()).year();
        let mut admin = Visitor::staff_login(&app, "admin").await;
        let p = admin.get(&app, "/admin/holidays").await;
        assert_eq!(p.status, 200);
        assert!(
            p.body.contains("class=\"alert warning\""),
            "a warning is shown"
        );
        let year_fa = vamyar_calendar::digits::to_persian_digits(&(this_year + 1).to_string());
        assert!(p.body.contains(&year_fa), "it names the years");
        assert!(p.body.contains("action=\"/admin/holidays/import\""));
        let token = Visitor::token(&p);
        // the years the loan reaches, one lunar holiday each, CRLF, a bad row on line 3
        let last: String = sqlx::query_scalar("select max(due_on) from installment")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let last =
            JalaliDate::from_iso(NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap()).year();
        let mut csv = String::from("\u{feff}date,name_fa,name_en\r\n");
        csv.push_str(&format!(
            "{this_year}/12/20,تاسوعا,Tasua\r\nnot a date,عاشورا,Ashura\r\n"
        ));
        for y in this_year + 1..=last {
            csv.push_str(&format!("{y}/05/10,تاسوعا,Tasua\r\n"));
        }
        let upload = |token: String, csv: String| {
            let form = reqwest::multipart::Form::new().text("csrf", token).part(
                "file",
                reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("h.csv"),
            );
            no_redirects()
                .post(app.url("/admin/holidays/import"))
                .multipart(form)
        };
        // only the national administrator imports
        let mut expert = Visitor::staff_login(&app, "expert").await;
        let e = expert.get(&app, "/desk").await;
        let p = expert
            .send(&app, upload(Visitor::token(&e), csv.clone()))
            .await;
        assert_eq!(p.status, 403);
        let p = admin.send(&app, upload(token.clone(), csv)).await;
        assert_eq!(p.status, 200, "{}", p.body);
        assert!(p.body.contains("سطر ۳: افزوده نشد"), "{}", p.body);
        assert!(p.body.contains("سطر ۲: "), "{}", p.body);
        assert!(
            !p.body.contains("class=\"alert warning\""),
            "no year is missing now: {}",
            &p.body[p.body.find("alert warning").unwrap_or(0)..][..400.min(p.body.len())]
        );
        let lunar: i64 = sqlx::query_scalar("select count(*) from holiday where kind = 'lunar'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(lunar, i64::from(last - this_year + 1));
        // a wrong header adds nothing and says why
        let p = admin.send(&app, upload(token, "day,name\n".into())).await;
        assert_eq!(p.status, 422);
    }
);

both_engines!(
    a_thursday_and_friday_weekend_keeps_due_dates_and_the_calendar_off_thursdays,
    |db: TestDb| async move {
        use crate::loans::disburse;
        let app = TestApp::spawn_with(db, |mut state| {
            let mut settings = (*state.ctx.settings).clone();
            settings.weekend = vec![Weekday::Thu, Weekday::Fri];
            state.ctx.settings = std::sync::Arc::new(settings);
            state
        })
        .await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 30).await;
        let loan = disburse(&app, &s, id, version, "C-78", 1).await;
        let (status, schedule) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan}/schedule"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{schedule}");
        let due: Vec<NaiveDate> = schedule["installments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| day(&i["due_on"]))
            .collect();
        assert_eq!(due.len(), 60);
        assert!(
            due.iter()
                .all(|d| !matches!(d.weekday(), Weekday::Thu | Weekday::Fri)),
            "{due:?}"
        );
        // the same calendar is what service levels count on
        let ctx = vamyar_app::Ctx::new(
            app.db.db.clone(),
            vamyar_app::Settings {
                weekend: vec![Weekday::Thu, Weekday::Fri],
                ..Default::default()
            },
        );
        let cal = ctx.calendar().await.unwrap();
        assert!(cal.is_weekend_day(Weekday::Thu) && cal.is_weekend_day(Weekday::Fri));
        let plain = vamyar_app::Ctx {
            settings: Default::default(),
            ..ctx
        };
        assert!(!plain.calendar().await.unwrap().is_weekend_day(Weekday::Thu));
    }
);

both_engines!(
    an_imported_decile_wins_over_the_declared_one_and_the_file_says_which,
    |db: TestDb| async move {
        use crate::journey::registration;
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (status, reg) = call(
            &app,
            Method::POST,
            &s.desk,
            "/api/v1/applications",
            Some(registration(program, "1583250689")),
        )
        .await;
        assert_eq!(status, 201, "{reg}");
        let id = reg["id"].as_i64().unwrap();
        let url = format!("/api/v1/applications/{id}");
        let declared = call(&app, Method::GET, &s.desk, &url, None).await.1;
        assert_eq!(declared["applicant"]["income_decile"], 2);
        assert_eq!(declared["applicant"]["income_decile_source"], "declared");
        let points = |f: &serde_json::Value| {
            f["priority"]["factors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == "income_decile")
                .map(|x| x["points"].as_i64().unwrap())
                .unwrap_or(0)
        };
        assert!(points(&declared) > 0, "{}", declared["priority"]);

        // the ministry's list says decile 7: it wins, and the decile earns nothing now
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        let report = vamyar_app::admin::decile_import::import_deciles(
            &ctx,
            None,
            "national_id,decile\r\n1583250689,7\r\n".as_bytes(),
            "test",
            vamyar_i18n::Lang::En,
        )
        .await
        .unwrap();
        assert_eq!((report.imported, report.refused), (1, 0));
        let imported = call(&app, Method::GET, &s.desk, &url, None).await.1;
        assert_eq!(imported["applicant"]["income_decile"], 7);
        assert_eq!(imported["applicant"]["income_decile_source"], "imported");
        assert_eq!(points(&imported), 0, "{}", imported["priority"]);
        // the staff file page says where the decile comes from
        let mut desk = crate::pages::Visitor::staff_login(&app, "desk").await;
        let page = desk.get(&app, &format!("/desk/files/{id}")).await;
        let said = vamyar_i18n::text(vamyar_i18n::Lang::Fa, "pg-decile-imported", &[]);
        assert!(page.body.contains(&said), "the page names the source");
    }
);
