//! The loan's pages through the plain forms: the employment expert records a monitoring
//! visit on the file page (Jalali date in Persian digits), which is what makes the office
//! head's `accelerate` appear there; and the bank officer uploads a payment file on the bank
//! desk and reads its report line by line.

use reqwest::Method;
use vamyar_calendar::JalaliDate;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::{call, demo_program};
use crate::loans::{bank_approved, disburse, iso, pay, staff, today, v};
use crate::pages::{Page, Visitor, assert_same_origin, no_redirects};

/// The text of the page's alert (the refusal on top), empty when there is none.
fn alert(p: &Page) -> String {
    // the error summary at the top of the page
    let Some(at) = p.body.find("class=\"error-summary\"") else {
        return String::new();
    };
    let rest = &p.body[at..];
    rest[..rest.find("</div>").unwrap_or(rest.len())].to_string()
}

fn fa(id: &str) -> String {
    vamyar_i18n::text(vamyar_i18n::Lang::Fa, id, &[])
}

async fn state_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("select state from application where id = $1")
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap()
}

both_engines!(
    a_visit_recorded_on_the_file_page_lets_the_office_head_accelerate_there,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        disburse(&app, &s, id, version, "C-91", 300).await;
        let file_page = format!("/desk/files/{id}");
        let mut expert = Visitor::staff_login(&app, "expert").await;
        let mut head = Visitor::staff_login(&app, "head").await;

        // before any visit: the visits are listed, accelerate is not offered
        let p = head.get(&app, &file_page).await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains("id=\"visits\""), "the visits are listed");
        assert!(
            !p.body.contains("/actions/accelerate"),
            "nothing to accelerate on"
        );
        assert!(
            !p.body.contains("/visits\" class=\"form\""),
            "only experts record"
        );
        // forcing it anyway shows the service's refusal in Persian
        let (_, file) = call(
            &app,
            Method::GET,
            &s.head,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        let version = v(&file).to_string();
        let token = Visitor::token(&p);
        let p = head
            .post(
                &app,
                &format!("/desk/files/{id}/actions/accelerate"),
                &[
                    ("csrf", &token),
                    ("version", &version),
                    ("confirm", "1"),
                    ("reason", "طرح اجرا نشده"),
                ],
            )
            .await;
        assert_eq!(p.status, 409);
        assert!(
            alert(&p).contains(&fa("error-no_failed_visit")),
            "the refusal says why: {}",
            alert(&p)
        );

        // the expert sees the form; a date in the future is refused on the page
        // (Persian last: the language chosen is remembered)
        for lang in ["en", "fa"] {
            let p = expert.get(&app, &format!("{file_page}?lang={lang}")).await;
            assert_eq!(p.status, 200);
            assert_same_origin(&file_page, &p.body);
            assert!(!p.body.contains(">pg-"), "every text is translated");
        }
        let p = expert.get(&app, &file_page).await;
        assert!(
            p.body
                .contains(&format!("action=\"/desk/files/{id}/visits\""))
        );
        let visit: i64 =
            sqlx::query_scalar("select min(id) from monitoring_visit where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        let token = Visitor::token(&p);
        let visit = visit.to_string();
        let jalali = JalaliDate::from_iso(today()).format_fa();
        let tomorrow = iso(today() + chrono::Duration::days(1));
        let mut fields = vec![
            ("csrf", token.as_str()),
            ("visit_id", visit.as_str()),
            ("visited_on", tomorrow.as_str()),
            ("business_running", "no"),
            ("people_employed", "۰"),
            ("plan_carried_out", "no"),
            ("findings", "کارگاه تعطیل است"),
            ("recommendation", "دین به حال"),
        ];
        let p = expert
            .post(&app, &format!("/desk/files/{id}/visits"), &fields)
            .await;
        assert_eq!(p.status, 422);
        let problem = alert(&p);
        assert!(
            problem.contains(&fa("pg-field-visited-on"))
                && problem.contains(&fa("error-date_in_future")),
            "the field and its problem are named: {problem}"
        );
        fields[2] = ("visited_on", jalali.as_str());
        let p = expert
            .post(&app, &format!("/desk/files/{id}/visits"), &fields)
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(
            p.location.as_deref(),
            Some(format!("/desk/files/{id}?done=visit").as_str())
        );
        let recorded: (Option<String>, Option<i64>, Option<i64>) = sqlx::query_as(
            "select visited_on, people_employed, plan_carried_out from monitoring_visit where id = $1",
        )
        .bind(visit.parse::<i64>().unwrap())
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(recorded, (Some(iso(today())), Some(0), Some(0)));

        // now the head is offered accelerate, as a link to its own confirmation page (no
        // one-click form); the confirmation needs a reason, then it is done
        let p = head.get(&app, &file_page).await;
        let confirm = format!("/desk/files/{id}/actions/accelerate");
        assert!(p.body.contains(&format!("href=\"{confirm}\"")));
        assert!(!p.body.contains(&format!("action=\"{confirm}\"")));
        let token = Visitor::token(&p);
        // a post without the confirmation is sent to the confirmation page; nothing happens
        let p = head
            .post(
                &app,
                &confirm,
                &[
                    ("csrf", &token),
                    ("version", &version),
                    ("reason", "طرح اجرا نشده است"),
                ],
            )
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(p.location.as_deref(), Some(confirm.as_str()));
        assert_eq!(state_of(&app, id).await, "active", "nothing changed");
        let p = head.get(&app, &confirm).await;
        assert_eq!(p.status, 200);
        assert!(p.body.contains(&fa("pg-confirm-lead-accelerate")));
        assert!(p.body.contains(&format!("action=\"{confirm}\"")));
        let p = head
            .post(
                &app,
                &confirm,
                &[
                    ("csrf", &token),
                    ("version", &version),
                    ("confirm", "1"),
                    ("reason", " "),
                    ("note", "کارشناس دیده است"),
                ],
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(
            alert(&p).contains(&fa("error-reason_required"))
                && alert(&p).contains("href=\"#reason\""),
            "{}",
            alert(&p)
        );
        assert!(
            p.body.contains("value=\"کارشناس دیده است\""),
            "the note is kept"
        );
        assert_eq!(state_of(&app, id).await, "active", "nothing changed");
        let p = head
            .post(
                &app,
                &confirm,
                &[
                    ("csrf", &token),
                    ("version", &version),
                    ("confirm", "1"),
                    ("reason", "طرح اجرا نشده است"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(
            p.location.as_deref(),
            Some(format!("/desk/files/{id}?done=act_accelerate").as_str())
        );
        assert_eq!(state_of(&app, id).await, "accelerated");
        let p = head.get(&app, &file_page).await;
        assert!(
            !p.body.contains("/actions/accelerate"),
            "nothing left to offer"
        );
    }
);

both_engines!(
    the_bank_desk_uploads_a_payment_file_and_shows_its_report,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 300).await;
        let loan = disburse(&app, &s, id, version, "C-92", 300).await;
        let (status, _) = pay(&app, &s.bank, loan, 2_000_000, today(), "REF-0").await;
        assert_eq!(status, 201);
        let mut bank = Visitor::staff_login(&app, "bank").await;
        let form = bank.get(&app, "/bank/payments").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        let token = Visitor::token(&form);
        let today = iso(today());
        let csv = format!(
            "contract_number,bank_reference,amount,paid_on\n\
             C-92,REF-1,5000000,{today}\nC-92,REF-2,five,{today}\nC-92,REF-0,2000000,{today}\n"
        );
        let upload = |token: String, csv: String| {
            let form = reqwest::multipart::Form::new().text("csrf", token).part(
                "file",
                reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("p.csv"),
            );
            no_redirects()
                .post(app.url("/bank/payments"))
                .multipart(form)
        };
        let p = bank.send(&app, upload(token.clone(), csv.clone())).await;
        assert_eq!(p.status, 200, "{}", p.body);
        for text in [
            "ثبت شد",
            "پذیرفته نشد",
            "پیش‌تر ثبت شده بود",
            "<td>۳</td>",
            "amount: ",
        ] {
            assert!(p.body.contains(text), "the report shows {text}");
        }
        assert_eq!(app.count("payment").await, 2);
        // without the token nothing is read; a wrong header shows the form with the problem
        let p = bank.send(&app, upload("0".repeat(64), csv)).await;
        assert_eq!(p.status, 403);
        let p = bank
            .send(&app, upload(token, "reference,amount\n".to_string()))
            .await;
        assert_eq!(p.status, 422);
        assert!(alert(&p).contains(&fa("error-csv_header")), "{}", alert(&p));
        assert_eq!(app.count("payment").await, 2);
        // other roles have no such page
        let mut expert = Visitor::staff_login(&app, "expert").await;
        assert_eq!(expert.get(&app, "/bank/payments").await.status, 403);
    }
);
