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
        // four eyes: proposed, awaiting confirmation; the file is as it was
        assert_eq!(
            p.location.as_deref(),
            Some(format!("/desk/files/{id}?done=proposed_accelerate").as_str())
        );
        assert_eq!(state_of(&app, id).await, "active");
        let p = head
            .get(&app, &format!("/desk/files/{id}?done=proposed_accelerate"))
            .await;
        assert!(p.body.contains(&fa("pg-done-proposed_accelerate")));
        assert!(p.body.contains(&fa("pg-proposal-pending-on-file")));
        assert!(
            !p.body.contains(&format!("href=\"{confirm}\"")),
            "not offered twice"
        );
        let pid: i64 = sqlx::query_scalar("select id from proposal where application_id = $1")
            .bind(id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let proposal = format!("/desk/proposals/{pid}");
        assert!(p.body.contains(&format!("href=\"{proposal}\"")));
        // the proposer sees it, but confirming is refused with the reason
        let p = head.get(&app, &proposal).await;
        assert!(p.body.contains(&fa("pg-proposal-own")));
        let token = Visitor::token(&p);
        let p = head
            .post(
                &app,
                &format!("{proposal}/confirm"),
                &[("csrf", &token), ("note", "")],
            )
            .await;
        assert_eq!(p.status, 403);
        assert!(
            alert(&p).contains(&fa("error-proposer_cannot_confirm")),
            "{}",
            alert(&p)
        );
        assert_eq!(state_of(&app, id).await, "active");
        // the province admin finds it among the proposals and confirms it
        let mut province = Visitor::staff_login(&app, "province").await;
        let p = province.get(&app, "/desk/proposals").await;
        assert!(
            p.body.contains(&format!("href=\"{proposal}\"")),
            "{}",
            p.body
        );
        let p = province.get(&app, &proposal).await;
        let token = Visitor::token(&p);
        let p = province
            .post(
                &app,
                &format!("{proposal}/confirm"),
                &[("csrf", &token), ("note", "دیده شد")],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(
            p.location.as_deref(),
            Some(format!("{proposal}?done=proposal_confirmed").as_str())
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

/// The `(amount, outstanding)` cells of each installment row of the loan table, as shown.
fn installment_cells(body: &str) -> Vec<(String, String)> {
    let at = body.find("id=\"loan\"").expect("the loan is shown");
    let table = &body[at..];
    let table = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .map(|c| &c[..c.find("</td>").unwrap()])
                .collect();
            (cells[2].to_string(), cells[3].to_string())
        })
        .collect()
}

both_engines!(
    paying_each_installment_as_the_page_shows_it_closes_the_file,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "1583250689", 30).await;
        let loan = disburse(&app, &s, id, version, "C-93", 1).await;
        let mut bank = Visitor::staff_login(&app, "bank").await;
        let file_page = format!("/desk/files/{id}");
        let unit = " تومان";
        let first = installment_cells(&bank.get(&app, &file_page).await.body);
        // the applicant is told the next installment's exact amount and Jalali due date
        let person: i64 = sqlx::query_scalar("select person_id from application where id = $1")
            .bind(id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let due_on: String = sqlx::query_scalar(
            "select due_on from installment where loan_id = $1 order by seq limit 1",
        )
        .bind(loan)
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
        let mut applicant = Visitor {
            cookies: vec![("vamyar_session".into(), token)],
        };
        let portal = applicant.get(&app, &format!("/portal/files/{id}")).await;
        let due =
            JalaliDate::from_iso(chrono::NaiveDate::parse_from_str(&due_on, "%Y-%m-%d").unwrap())
                .format_fa();
        let now = &portal.body[portal.body.find("id=\"now-h\"").unwrap()..];
        let now = &now[..now.find("</section>").unwrap()];
        assert!(
            now.contains("قسط بعدی شما") && now.contains(&first[0].1) && now.contains(&due),
            "{now} / {first:?} / {due}"
        );
        assert!(first.len() > 1);
        // every installment but the last is a whole number of tomans; the last shows its
        // odd rial instead of losing it
        assert!(
            first[..first.len() - 1]
                .iter()
                .all(|(a, _)| !a.contains('٫')),
            "{first:?}"
        );
        assert!(first.last().unwrap().0.contains('٫'), "{first:?}");
        for k in 0..first.len() {
            let p = bank.get(&app, &file_page).await;
            let rows = installment_cells(&p.body);
            assert!(
                rows[..k].iter().all(|(_, o)| o == &format!("۰{unit}")),
                "{rows:?}"
            );
            let shown = rows[k].1.strip_suffix(unit).unwrap().to_string();
            let token = Visitor::token(&p);
            let reference = format!("P-{k}");
            let paid = bank
                .post(
                    &app,
                    &format!("/desk/loans/{loan}/payments"),
                    &[
                        ("csrf", &token),
                        ("file", &id.to_string()),
                        ("amount", &shown),
                        ("paid_on", &JalaliDate::from_iso(today()).format_fa()),
                        ("bank_reference", &reference),
                    ],
                )
                .await;
            assert_eq!(paid.status, 303, "{}", paid.body);
            assert!(paid.location.as_deref().unwrap().ends_with("?done=paid"));
            if k == 0 {
                // the same reference again: the page says it was already recorded
                let again = bank
                    .post(
                        &app,
                        &format!("/desk/loans/{loan}/payments"),
                        &[
                            ("csrf", &token),
                            ("file", &id.to_string()),
                            ("amount", &shown),
                            ("paid_on", &JalaliDate::from_iso(today()).format_fa()),
                            ("bank_reference", &reference),
                        ],
                    )
                    .await;
                let to = again.location.clone().unwrap();
                assert!(to.ends_with("?done=paid_repeat"), "{to}");
                let shown = bank.get(&app, &to).await;
                assert!(
                    shown
                        .body
                        .contains("پیش‌تر با همین شمارهٔ پیگیری بانک ثبت شده بود")
                        && !shown.body.contains("پرداخت ثبت شد."),
                    "not «payment recorded»"
                );
            }
        }
        let (status, l) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{l}");
        assert_eq!(l["status"], "closed", "{l}");
        assert_eq!(state_of(&app, id).await, "closed");
        let credit: i64 = sqlx::query_scalar("select credit_balance from loan where id = $1")
            .bind(loan)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(credit, 0, "nothing paid over");
        let owed: i64 = sqlx::query_scalar("select cast(coalesce(sum(principal_due + fee_due + late_charge_due - principal_paid - fee_paid - late_charge_paid), 0) as bigint) from installment where loan_id = $1")
            .bind(loan)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(owed, 0, "nothing left owing");
    }
);
