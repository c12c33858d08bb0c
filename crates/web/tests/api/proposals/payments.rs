//! Payments posted out of order, back-dated and reversed end as the surviving payments in date
//! order.

use super::*;

both_engines!(
    posts_out_of_order_back_dated_and_reversed_end_as_the_surviving_payments_in_date_order,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        // two identical loans, disbursed the same day
        let (a_file, va) = bank_approved(&app, &s, program, "1583250689", 300).await;
        let a = disburse(&app, &s, a_file, va, "C-A", 290).await;
        let (b_file, vb) = bank_approved(&app, &s, program, "0076229645", 300).await;
        let b = disburse(&app, &s, b_file, vb, "C-B", 290).await;
        assert_eq!(ledger(&app, a).await, ledger(&app, b).await);
        let (_, plan) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{a}/schedule"),
            None,
        )
        .await;
        let plan = plan["installments"].as_array().unwrap().clone();
        let first = day(&plan[0]["due_on"]);
        let second = day(&plan[1]["due_on"]);
        let whole = plan[0]["principal"].as_i64().unwrap() + plan[0]["fee"].as_i64().unwrap();
        assert!(second + Duration::days(5) < today());
        let ctx = vamyar_app::Ctx::new(app.db.db.clone(), Default::default());
        let cob = |d: NaiveDate| {
            let ctx = ctx.clone();
            async move { vamyar_web::cob::run(&ctx, d, "test").await.unwrap() }
        };

        cob(first - Duration::days(1)).await;
        // A: half an installment the day before it is due (will be reversed)
        let wrong = pay(
            &app,
            &s.bank,
            a,
            "A-1",
            first - Duration::days(1),
            whole / 2,
        )
        .await;
        cob(first + Duration::days(10)).await;
        // B: the surviving payments, each posted on its day
        pay(&app, &s.bank, b, "B-3", first + Duration::days(10), whole).await;
        cob(first + Duration::days(25)).await;
        pay(
            &app,
            &s.bank,
            b,
            "B-2",
            first + Duration::days(25),
            whole / 3,
        )
        .await;
        // A: the later payment first, then one back-dated before days already charged
        pay(
            &app,
            &s.bank,
            a,
            "A-2",
            first + Duration::days(25),
            whole / 3,
        )
        .await;
        let charged_before = ledger(&app, a).await;
        pay(&app, &s.bank, a, "A-3", first + Duration::days(10), whole).await;
        assert_ne!(ledger(&app, a).await, charged_before);
        cob(second + Duration::days(5)).await;
        assert_ne!(
            ledger(&app, a).await,
            ledger(&app, b).await,
            "A still has the wrong payment"
        );

        // A: the wrong payment is reversed under four eyes
        let (status, err) = call(
            &app,
            Method::POST,
            &s.bank,
            &format!("/api/v1/payments/{wrong}/reversal"),
            Some(json!({})),
        )
        .await;
        assert_eq!(
            (status, err["error"]["fields"]["reason"]["code"].as_str()),
            (422, Some("reason_required")),
            "{err}"
        );
        let (status, body) = call(
            &app,
            Method::POST,
            &s.bank,
            &format!("/api/v1/payments/{wrong}/reversal"),
            Some(json!({"reason": "به وام دیگری تعلق داشت"})),
        )
        .await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["proposal"]["action"], "reversal");
        let proposed_told: i64 =
            sqlx::query_scalar("select count(*) from outbox where event = 'payment_reversed'")
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(proposed_told, 0, "nobody is told of a proposal");
        let pid = body["proposal"]["id"].as_i64().unwrap();
        let confirm = format!("/api/v1/proposals/{pid}/confirm");
        let (status, err) = call(&app, Method::POST, &s.bank, &confirm, Some(json!({}))).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (403, Some("proposer_cannot_confirm"))
        );
        let (status, _) = call(&app, Method::POST, &s.head, &confirm, Some(json!({}))).await;
        assert_eq!(
            status, 403,
            "the office head is no second person for a bank's payment"
        );
        let bank_id: i64 = sqlx::query_scalar("select bank_id from loan where id = $1")
            .bind(a)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        app.create_staff("bank2", "bank_officer", StaffScope::Bank(bank_id))
            .await;
        let bank2 = app.login("bank2", TEST_PASSWORD).await;
        let (status, done) = call(
            &app,
            Method::POST,
            &bank2,
            &confirm,
            Some(json!({"note": "بررسی شد"})),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["status"], "confirmed");
        // the borrower is told once the reversal is carried out, of the payment's amount
        let told: Vec<String> = sqlx::query_scalar(
            "select payload from outbox where application_id = \
             (select application_id from loan where id = $1) and event = 'payment_reversed'",
        )
        .bind(a)
        .fetch_all(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(told.len(), 1, "one message about the reversal");
        let wrong_amount: i64 = sqlx::query_scalar("select amount from payment where id = $1")
            .bind(wrong)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert!(
            told[0].contains(&format!("\"amount\":{wrong_amount}")),
            "{}",
            told[0]
        );

        // A is now exactly B
        assert_eq!(ledger(&app, a).await, ledger(&app, b).await);
        assert_eq!(allocations(&app, a).await, allocations(&app, b).await);
        // the reversed payment is kept, marked, and counts for nothing
        let (_, payments) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{a}/payments"),
            None,
        )
        .await;
        let reversed = payments
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == wrong)
            .unwrap();
        assert!(reversed["reversed_at"].is_string(), "{reversed}");
        assert_eq!(reversed["reversal_reason"], "به وام دیگری تعلق داشت");
        assert_eq!(reversed["allocation"]["principal"], 0);
        let (status, err) = call(
            &app,
            Method::POST,
            &s.bank,
            &format!("/api/v1/payments/{wrong}/reversal"),
            Some(json!({"reason": "دوباره"})),
        )
        .await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("payment_already_reversed"))
        );
        // the bank's export shows the reversal beside what the standing payments paid
        let export = vamyar_store::loan::export::referrals_for_bank(app.db.db.pool(), bank_id)
            .await
            .unwrap();
        let row = export
            .iter()
            .find(|r| r.contract_number.as_deref() == Some("C-A"))
            .unwrap();
        assert_eq!(row.reversed_payments, Some(1));
        assert_eq!(row.reversed_amount, Some(whole / 2));
        assert_eq!(row.paid, Some(whole + whole / 3));
        let other = export
            .iter()
            .find(|r| r.contract_number.as_deref() == Some("C-B"))
            .unwrap();
        assert_eq!((other.reversed_payments, other.paid), (Some(0), row.paid));
        let (_, history) = call(
            &app,
            Method::GET,
            &s.head,
            &format!("/api/v1/applications/{a_file}/history"),
            None,
        )
        .await;
        let actions: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert!(
            actions.ends_with(&["propose_reversal", "confirm_reversal"]),
            "{actions:?}"
        );
        // on the file page the bank officer sees the reversal, and proposes another from the
        // payments table (confirmed later by a second officer, as above)
        let mut officer = crate::pages::Visitor::staff_login(&app, "bank").await;
        let file_page = format!("/desk/files/{a_file}");
        let p = officer.get(&app, &file_page).await;
        let fa = |id: &str| vamyar_i18n::text(vamyar_i18n::Lang::Fa, id, &[]);
        assert!(
            p.body.contains(&fa("pg-payment-reversed")),
            "the reversal is shown"
        );
        assert!(
            !p.body
                .contains(&format!("action=\"/desk/payments/{wrong}/reversal\""))
        );
        let standing: i64 = sqlx::query_scalar(
            "select id from payment where loan_id = $1 and reversed_at is null order by id limit 1",
        )
        .bind(a)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        let form = format!("/desk/payments/{standing}/reversal");
        assert!(p.body.contains(&format!("action=\"{form}\"")));
        let token = crate::pages::Visitor::token(&p);
        let file_id = a_file.to_string();
        let p = officer
            .post(
                &app,
                &form,
                &[("csrf", &token), ("file", &file_id), ("reason", " ")],
            )
            .await;
        assert_eq!(p.status, 422, "a reason is needed");
        let p = officer
            .post(
                &app,
                &form,
                &[
                    ("csrf", &token),
                    ("file", &file_id),
                    ("reason", "مبلغ اشتباه"),
                ],
            )
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(
            p.location.as_deref(),
            Some(format!("{file_page}?done=proposed_reversal").as_str())
        );
        let pending = "select count(*) from proposal where payment_id = $1 and status = 'pending'";
        assert_eq!(count(&app, pending, standing).await, 1);
        let p = officer.get(&app, &file_page).await;
        assert!(p.body.contains(&fa("pg-proposal-pending-on-file")));
        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        assert!(vamyar_store::audit::verify(&app.db.db).await.unwrap().ok);
    }
);
