//! What a loan shows is what settles it: the amount due now and the schedule include the late
//! charge of the days since the last close of business, so the borrower who pays exactly the
//! amount shown, today, is left with nothing due and no arrears.

use super::*;

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = call(app, Method::GET, token, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

both_engines!(
    the_amount_shown_due_is_paid_as_shown,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        // installments fell due months ago; close of business has never run, so no late
        // charge is stored
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 300).await;
        let loan = disburse(&app, &s, id, version, "C-SHOWN-1", 290).await;
        let stored: i64 = sqlx::query_scalar(
            "select cast(coalesce(sum(late_charge_due), 0) as bigint) from installment where loan_id = $1",
        )
        .bind(loan)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(stored, 0);

        let view = get(&app, &s.bank, &format!("/api/v1/loans/{loan}")).await;
        let balances = &view["balances"];
        let due_now = balances["due_now"].as_i64().unwrap();
        let late = balances["late_charge_outstanding"].as_i64().unwrap();
        assert!(late > 0, "the days overdue are charged in the view: {view}");
        assert!(view["arrears_days"].as_i64().unwrap() > 0, "{view}");

        // the schedule agrees with the loan: what is due on or before today sums to due_now
        let schedule = get(&app, &s.bank, &format!("/api/v1/loans/{loan}/schedule")).await;
        let rows = schedule["installments"].as_array().unwrap();
        let due: i64 = rows
            .iter()
            .filter(|r| day(&r["due_on"]) <= today())
            .map(|r| r["outstanding"].as_i64().unwrap())
            .sum();
        assert_eq!(due, due_now, "{schedule}");
        let charged: i64 = rows
            .iter()
            .map(|r| r["late_charge"].as_i64().unwrap())
            .sum();
        assert_eq!(charged, late);

        // paying exactly that today settles it: the late charge taken is the one shown,
        // nothing goes to credit, nothing is left due, the loan is current
        let (status, paid) = pay(&app, &s.bank, loan, due_now, today(), "REF-SHOWN-1").await;
        assert_eq!(status, 201, "{paid}");
        assert_eq!(paid["allocation"]["late_charge"], late, "{paid}");
        assert_eq!(paid["allocation"]["to_credit"], 0, "{paid}");
        let after = get(&app, &s.bank, &format!("/api/v1/loans/{loan}")).await;
        assert_eq!(after["balances"]["due_now"], 0, "{after}");
        assert_eq!(after["balances"]["late_charge_outstanding"], 0, "{after}");
        assert_eq!(after["arrears_days"], 0, "{after}");
        assert_eq!(after["arrears_bucket"], "current", "{after}");

        // showing it again charges nothing more: a view writes nothing
        let again = get(&app, &s.bank, &format!("/api/v1/loans/{loan}")).await;
        assert_eq!(again["balances"], after["balances"]);

        // a payment ahead of time on the now current loan goes to the next installment and
        // leaves the loan's own fields as they were: its row is not rewritten
        let version = || async {
            sqlx::query_scalar::<_, i64>("select version from loan where id = $1")
                .bind(loan)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap()
        };
        let before = version().await;
        let (status, paid) = pay(&app, &s.bank, loan, 1_000_000, today(), "REF-SHOWN-2").await;
        assert_eq!(status, 201, "{paid}");
        assert_eq!(version().await, before);
        let ahead = get(&app, &s.bank, &format!("/api/v1/loans/{loan}")).await;
        assert_eq!(
            ahead["balances"]["paid_total"].as_i64().unwrap(),
            after["balances"]["paid_total"].as_i64().unwrap() + 1_000_000
        );
        assert_eq!(ahead["arrears_bucket"], "current");
    }
);
