//! A loan from disbursement to the end of the service through the API.

use super::*;

both_engines!(
    a_loan_runs_from_disbursement_to_the_end_of_the_service,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let s = staff(&app).await;
        let (id, version) = bank_approved(&app, &s, program, "0076229645", 400).await;
        let disbursed_on = today() - Duration::days(400);
        let path = format!("/api/v1/applications/{id}/actions/disburse");

        // bad disbursements change nothing
        for (body, field) in [
            (
                json!({"version": version, "amount": 1_000_000_000_i64, "disbursed_on": iso(disbursed_on)}),
                "contract_number",
            ),
            (
                json!({"version": version, "contract_number": "C-1", "amount": 1_300_000_000_i64, "disbursed_on": iso(disbursed_on)}),
                "amount",
            ),
            (
                json!({"version": version, "contract_number": "C-1", "disbursed_on": iso(today() + Duration::days(1))}),
                "disbursed_on",
            ),
            (
                json!({"version": version, "contract_number": "C-1", "disbursed_on": iso(today() - Duration::days(401))}),
                "disbursed_on",
            ),
        ] {
            let (status, err) = call(&app, Method::POST, &s.bank, &path, Some(body)).await;
            assert_eq!(status, 422, "{err}");
            assert!(err["error"]["fields"][field].is_object(), "{field}: {err}");
        }
        let (status, _) = call(&app, Method::POST, &s.head, &path,
            Some(json!({"version": version, "contract_number": "C-1", "disbursed_on": iso(disbursed_on)}))).await;
        assert_eq!(status, 403, "only the bank disburses");
        assert_eq!(app.count("loan").await, 0);

        // disbursement, the date typed in Jalali with Persian digits
        let jalali = JalaliDate::from_iso(disbursed_on).format_fa();
        let file = act(&app, &s.bank, id, "disburse",
            json!({"contract_number": "۱۴۰۵-۱۰۰۱", "amount": 1_000_000_000_i64, "disbursed_on": jalali}), version, "active").await;
        assert!(file["available_actions"].as_array().unwrap().is_empty());
        let (status, loan) = call(
            &app,
            Method::GET,
            &s.desk,
            &format!("/api/v1/applications/{id}/loan"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{loan}");
        let loan_id = loan["id"].as_i64().unwrap();
        assert_eq!(loan["contract_number"], "1405-1001");
        assert_eq!(loan["disbursed_on"], iso(disbursed_on));
        assert_eq!(loan["status"], "active");
        // flat fee 10⁹ × 4 × 61 / 2400 = 101,666,666.67 → 101,666,667, plus the grace fee
        // 10⁹ × 4 % × 6 / 12 = 20,000,000
        assert_eq!(loan["total_fee"], 121_666_667_i64);
        let b = &loan["balances"];
        let owed = |k: &str| b[k].as_i64().unwrap();
        assert_eq!(
            owed("principal_outstanding") + owed("fee_outstanding"),
            1_121_666_667_i64
        );
        // disbursed 400 days back, nothing paid: the days since the first due date are
        // already charged in what the loan shows
        assert!(owed("late_charge_outstanding") > 0, "{loan}");
        assert_eq!(
            owed("total_outstanding"),
            1_121_666_667_i64 + owed("late_charge_outstanding")
        );

        // the schedule sums exactly to principal + fee; the first installment falls 7 Jalali
        // months (6 of grace + 1) after disbursement, on a working day
        let (status, sched) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}/schedule"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{sched}");
        let rows = sched["installments"].as_array().unwrap().clone();
        assert_eq!(rows.len(), 60);
        let sum = |k: &str| rows.iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
        assert_eq!(sum("principal"), 1_000_000_000);
        assert_eq!(sum("fee"), 121_666_667);
        assert_eq!(
            sched["total_principal"].as_i64().unwrap() + sched["total_fee"].as_i64().unwrap(),
            1_121_666_667
        );
        let calendar = vamyar_store::reference::working_calendar(
            &app.db.db,
            vamyar_calendar::Clock::system().today(),
        )
        .await
        .unwrap();
        let first_due = calendar.next_working_day_on_or_after(
            JalaliDate::from_iso(disbursed_on).add_months(7).to_iso(),
        );
        assert_eq!(day(&rows[0]["due_on"]), first_due);
        assert_eq!(
            rows[0]["due_on_jalali"],
            vamyar_i18n::format::date(vamyar_i18n::Lang::Fa, first_due)
        );
        // (10⁹ + 101,666,667) / 60 → 18,361,110 (down to a toman), plus 20,000,000 / 60 →
        // 333,330: the 18,694,444 is now 18,694,440, payable in whole tomans
        assert_eq!(
            rows[1]["principal"].as_i64().unwrap() + rows[1]["fee"].as_i64().unwrap(),
            18_694_440
        );

        // the announcement carries the first due date and amount; the first visit is announced
        let payload: String = sqlx::query_scalar(
            "select payload from outbox where application_id = $1 and event = 'disbursed'",
        )
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        let payload: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["notice"]["first_due_on"], iso(first_due));
        assert_eq!(
            payload["notice"]["first_installment_amount"],
            rows[0]["principal"].as_i64().unwrap() + rows[0]["fee"].as_i64().unwrap()
        );
        let (_, visits) = call(
            &app,
            Method::GET,
            &s.expert,
            &format!("/api/v1/applications/{id}/visits"),
            None,
        )
        .await;
        let visits = visits.as_array().unwrap();
        assert_eq!(visits.len(), 3, "visits at months 3, 6 and 12");
        let referral: String =
            sqlx::query_scalar("select status from referral where application_id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(referral, "disbursed");

        // the first installment paid on its due date: no late charge
        let first_total = rows[0]["principal"].as_i64().unwrap() + rows[0]["fee"].as_i64().unwrap();
        let (status, p1) = pay(&app, &s.bank, loan_id, first_total, first_due, "REF-1").await;
        assert_eq!(status, 201, "{p1}");
        assert_eq!(
            p1["allocation"],
            json!({"late_charge": 0, "fee": rows[0]["fee"], "principal": rows[0]["principal"], "to_credit": 0})
        );

        // the same reference again: 200, the same stored result, nothing changes
        let (_, before) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}"),
            None,
        )
        .await;
        let (status, again) = pay(&app, &s.bank, loan_id, first_total, first_due, "REF-1").await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(stored(&again), stored(&p1));
        assert_eq!(
            (p1["outcome"].as_str(), again["outcome"].as_str()),
            (Some("recorded"), Some("already_recorded"))
        );
        assert!(
            again["message"].as_str().unwrap().contains("پیش‌تر")
                && !again["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("پرداخت ثبت شد"),
            "a repeat says it was already recorded: {again}"
        );
        let (_, after) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}"),
            None,
        )
        .await;
        assert_eq!(before, after);
        assert_eq!(app.count("payment").await, 1);
        // …but a reference reused for another amount is a conflict, and keeps nothing of its
        // posting (on PostgreSQL one statement writes the payment, installments and audit row)
        let audited = || async {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from audit_log where action = 'loan.payment'",
            )
            .fetch_one(app.db.db.pool())
            .await
            .unwrap()
        };
        let schedule_path = format!("/api/v1/loans/{loan_id}/schedule");
        let schedule = || call(&app, Method::GET, &s.bank, &schedule_path, None);
        let (audited_before, (_, schedule_before)) = (audited().await, schedule().await);
        let (status, err) = pay(&app, &s.bank, loan_id, 5, first_due, "REF-1").await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("bank_reference_conflict"))
        );
        assert_eq!(audited().await, audited_before);
        assert_eq!(schedule().await.1, schedule_before);
        assert_eq!(app.count("payment").await, 1);

        // a late payment pays its late charge first: 18,694,444 × (4 + 6) % × 10 / 360 days
        // = 51,929.01 → 51,929
        let due2 = day(&rows[1]["due_on"]);
        let (status, p2) = pay(
            &app,
            &s.bank,
            loan_id,
            18_694_444 + 51_929,
            due2 + Duration::days(10),
            "REF-2",
        )
        .await;
        assert_eq!(status, 201, "{p2}");
        assert_eq!(p2["allocation"]["late_charge"], 51_929);
        assert_eq!(
            p2["allocation"]["fee"].as_i64().unwrap()
                + p2["allocation"]["principal"].as_i64().unwrap(),
            18_694_444
        );
        let (_, sched) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}/schedule"),
            None,
        )
        .await;
        assert_eq!(sched["installments"][1]["late_charge"], 51_929);
        assert_eq!(sched["installments"][1]["status"], "paid");
        assert_eq!(
            sched["installments"][1]["paid_on"],
            iso(due2 + Duration::days(10))
        );

        // bad payments are refused and change nothing
        for body in [
            json!({"amount": 0, "paid_on": iso(today()), "bank_reference": "X-1"}),
            json!({"amount": 10_000_000_000_001_i64, "paid_on": iso(today()), "bank_reference": "X-2"}),
            json!({"amount": 10, "paid_on": iso(today() + Duration::days(1)), "bank_reference": "X-3"}),
            json!({"amount": 10, "paid_on": iso(disbursed_on - Duration::days(1)), "bank_reference": "X-4"}),
            json!({"amount": 10, "paid_on": iso(today())}),
        ] {
            let (status, err) = call(
                &app,
                Method::POST,
                &s.bank,
                &format!("/api/v1/loans/{loan_id}/payments"),
                Some(body),
            )
            .await;
            assert_eq!(status, 422, "{err}");
        }
        let (status, _) = pay(&app, &s.expert, loan_id, 10, today(), "X-5").await;
        assert_eq!(status, 403);
        assert_eq!(app.count("payment").await, 2);

        // everything else and more: overdue installments pay their late charges, the rest is
        // credit; the loan and the file close and that is announced
        let (_, loan) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}"),
            None,
        )
        .await;
        let outstanding = loan["balances"]["total_outstanding"].as_i64().unwrap();
        assert!(loan["arrears_days"].as_i64().unwrap() > 0, "{loan}");
        let (status, p3) = pay(
            &app,
            &s.bank,
            loan_id,
            outstanding + 50_000_000,
            today(),
            "REF-3",
        )
        .await;
        assert_eq!(status, 201, "{p3}");
        let late = p3["allocation"]["late_charge"].as_i64().unwrap();
        assert!(
            late > 0,
            "overdue installments paid their late charges: {p3}"
        );
        // the late charge was in the amount shown: what was paid over it is all credit
        assert_eq!(p3["allocation"]["to_credit"], 50_000_000);
        let (_, loan) = call(
            &app,
            Method::GET,
            &s.bank,
            &format!("/api/v1/loans/{loan_id}"),
            None,
        )
        .await;
        assert_eq!(loan["status"], "closed");
        assert_eq!(loan["closed_on"], iso(today()));
        assert_eq!(loan["balances"]["total_outstanding"], 0);
        assert_eq!(loan["balances"]["credit"], 50_000_000);
        assert_eq!(loan["installments_paid"], 60);
        let (paid, payments) = reconcile(&app, loan_id).await;
        assert_eq!(paid, payments);
        let (_, file) = call(
            &app,
            Method::GET,
            &s.desk,
            &format!("/api/v1/applications/{id}"),
            None,
        )
        .await;
        assert_eq!(file["state"], "closed");
        let ev = events(&app, id).await;
        let from = ev.iter().position(|e| e == "bank_approved").unwrap();
        assert_eq!(ev[from + 1..], ["disbursed", "visit_scheduled", "closed"]);
        let (status, err) = pay(&app, &s.bank, loan_id, 10, today(), "REF-4").await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (409, Some("loan_closed"))
        );
        // the closing payment repeated still answers with its stored result
        let (status, again) = pay(
            &app,
            &s.bank,
            loan_id,
            outstanding + 50_000_000,
            today(),
            "REF-3",
        )
        .await;
        assert_eq!((status, stored(&again)), (200, stored(&p3)));

        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        let report = vamyar_store::audit::verify(&app.db.db).await.unwrap();
        assert!(report.ok, "{report:?}");
    }
);
