//! The file imports from the command line: a bank payment file, lunar holidays and income deciles,
//! each reported line by line.

use super::*;

vamyar_store::both_engines!(
    a_payment_file_posts_its_good_rows_and_names_its_bad_line,
    |t: vamyar_store::testdb::TestDb| async move {
        let loans = support::disbursed_loans(&t.db, 2, "زهرا").await;
        sqlx::query("update person set first_name = '=HYPERLINK(1)' where id = (select person_id from application where id = $1)")
            .bind(loans[1].application_id)
            .execute(t.db.pool())
            .await
            .unwrap();
        let dir = temp_dir(&format!("import-{}", t.db.backend().name()));
        let today = vamyar_app::Clock::system().today();
        let jalali = vamyar_calendar::JalaliDate::from_iso(today).format_fa();
        let csv = dir.join("payments.csv");
        std::fs::write(
            &csv,
            format!(
                "\u{feff}contract_number,bank_reference,amount,paid_on\n\
                 FX-0000,REF-A,5000000,{today}\n\
                 FX-0000,REF-BAD,five million,{today}\n\
                 FX-0000,REF-A,5000000,{today}\n\
                 FX-0001,REF-B,۳٬۰۰۰٬۰۰۰,{jalali}\n"
            ),
        )
        .unwrap();
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "import",
                "payments",
                "--bank",
                "mehr",
                csv.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(2), "{out}");
        assert!(out.contains("line 2: posted REF-A"), "{out}");
        assert!(out.contains("line 3: refused: amount:"), "{out}");
        assert!(out.contains("line 4: REF-A was already posted"), "{out}");
        assert!(out.contains("line 5: posted REF-B"), "{out}");
        assert!(
            out.contains("4 rows, 2 posted, 1 already posted, 1 refused"),
            "{out}"
        );
        let payments: Vec<(String, i64, String)> =
            sqlx::query_as("select bank_reference, amount, channel from payment order by id")
                .fetch_all(t.db.pool())
                .await
                .unwrap();
        assert_eq!(
            payments,
            [
                ("REF-A".to_string(), 5_000_000, "file".to_string()),
                ("REF-B".to_string(), 3_000_000, "file".to_string())
            ]
        );
        for l in &loans {
            let (paid, posted) = support::reconcile(&t.db, l.loan_id).await;
            assert_eq!(paid, posted);
        }

        // the same file again: the good rows are repeats and change nothing
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "import",
                "payments",
                "--bank",
                "mehr",
                csv.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(2), "{out}");
        assert!(
            out.contains("4 rows, 0 posted, 3 already posted, 1 refused"),
            "{out}"
        );
        // a file with the wrong header is refused whole
        std::fs::write(&csv, format!("reference,amount\nREF-Z,10,{today}\n")).unwrap();
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "import",
                "payments",
                "--bank",
                "mehr",
                csv.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(1), "{out}");
        assert!(out.contains("header"), "{out}");
        let count: i64 = sqlx::query_scalar("select count(*) from payment")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(count, 2);

        // the bank's export: BOM, the applicant's national ID, what is outstanding, no formulas
        let export = dir.join("referrals.csv");
        let (code, out) = vamyar_on(
            &dir,
            &t.url,
            &[
                "export",
                "referrals",
                "--bank",
                "mehr",
                "--out",
                export.to_str().unwrap(),
            ],
        );
        assert_eq!(code, Some(0), "{out}");
        let bytes = std::fs::read(&export).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(
            header[..4],
            [
                "letter_number",
                "tracking_code",
                "applicant_name",
                "national_id"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[0][col("national_id")], support::national_id(7_000));
        assert_eq!(&rows[0][col("contract_number")], "FX-0000");
        assert_eq!(&rows[0][col("loan_status")], "active");
        assert_eq!(
            rows[0][col("outstanding")].parse::<i64>().unwrap(),
            loans[0].total - 5_000_000
        );
        assert!(
            rows[1][col("applicant_name")].starts_with("'=HYPERLINK"),
            "{:?}",
            &rows[1]
        );
        let exported: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'referrals.export'")
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        assert_eq!(exported, 1);
        let _ = std::fs::remove_dir_all(dir);
    }
);

vamyar_store::both_engines!(
    lunar_holidays_import_line_by_line_and_the_years_without_them_are_named,
    |t: vamyar_store::testdb::TestDb| async move {
        support::disbursed_loans(&t.db, 1, "زهرا").await;
        let dir = temp_dir(&format!("holidays-{}", t.db.backend().name()));
        let reach: String = sqlx::query_scalar("select max(due_on) from installment")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        let reach = chrono::NaiveDate::parse_from_str(&reach, "%Y-%m-%d").unwrap();
        let today = vamyar_app::Clock::system().today();
        let first = vamyar_calendar::JalaliDate::from_iso(today).year();
        let last = vamyar_calendar::JalaliDate::from_iso(reach).year();
        assert!(last > first, "the loan runs into later years");
        let csv = dir.join("holidays.csv");
        // BOM, CRLF, a blank line, a bad date, a repeated date
        std::fs::write(
            &csv,
            format!(
                "\u{feff}date,name_fa,name_en\r\n\
                 {first}/05/10,تاسوعا,Tasua\r\n\
                 \r\n\
                 {first}/13/40,عاشورا,Ashura\r\n\
                 {first}/05/10,تاسوعا,Tasua\r\n"
            ),
        )
        .unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "holidays", csv.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{out}");
        assert!(out.contains("line 2: added"), "{out}");
        assert!(out.contains("line 4: refused: date:"), "{out}");
        assert!(
            out.contains("line 5: ") && out.contains("already is a holiday"),
            "{out}"
        );
        assert!(
            out.contains("3 rows, 1 added, 1 already holidays, 1 refused"),
            "{out}"
        );
        assert!(
            out.contains(&format!("warning: no lunar holidays for {}", first + 1)),
            "{out}"
        );
        assert!(
            !out.contains(&format!("{first},")),
            "{first} has one now: {out}"
        );
        let kind: String = sqlx::query_scalar("select kind from holiday where name_en = 'Tasua'")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert_eq!(kind, "lunar");

        // every year the loan reaches: no warning any more
        let rows: String = (first + 1..=last)
            .map(|y| format!("{y}/05/10,تاسوعا,Tasua\n"))
            .collect();
        std::fs::write(&csv, format!("date,name_fa,name_en\n{rows}")).unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "holidays", csv.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{out}");
        assert!(!out.contains("warning"), "{out}");
        // a wrong header adds nothing
        std::fs::write(&csv, "day,name\n1405/01/01,x\n").unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "holidays", csv.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{out}");
        let _ = std::fs::remove_dir_all(dir);
    }
);

vamyar_store::both_engines!(
    imported_deciles_are_reported_line_by_line_and_a_newer_list_replaces_them,
    |t: vamyar_store::testdb::TestDb| async move {
        let dir = temp_dir(&format!("deciles-{}", t.db.backend().name()));
        let csv = dir.join("deciles.csv");
        std::fs::write(
            &csv,
            "\u{feff}national_id,decile\r\n\
             0076229645,۲\r\n\
             \r\n\
             1234567890,3\r\n\
             1583250689,11\r\n\
             1583250689,4\r\n",
        )
        .unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "deciles", csv.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{out}");
        assert!(out.contains("line 2: imported"), "{out}");
        assert!(out.contains("line 4: refused: national_id:"), "{out}");
        assert!(out.contains("line 5: refused: decile:"), "{out}");
        assert!(out.contains("line 6: imported"), "{out}");
        assert!(
            out.contains("4 rows, 2 imported, 0 replaced, 0 unchanged, 2 refused"),
            "{out}"
        );
        assert!(
            !out.contains("0076229645"),
            "no national ID is printed: {out}"
        );
        let decile = |id: &'static str| {
            let pool = t.db.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "select decile from income_decile where national_id = $1",
                )
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(decile("0076229645").await, 2);
        assert_eq!(decile("1583250689").await, 4);

        // a newer list replaces, and the import is audited
        std::fs::write(&csv, "national_id,decile\n0076229645,5\n1583250689,4\n").unwrap();
        let (code, out) = vamyar_on(&dir, &t.url, &["import", "deciles", csv.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{out}");
        assert!(
            out.contains("2 rows, 0 imported, 1 replaced, 1 unchanged, 0 refused"),
            "{out}"
        );
        assert_eq!(decile("0076229645").await, 5);
        let audited: i64 =
            sqlx::query_scalar("select count(*) from audit_log where action = 'deciles.import'")
                .fetch_one(t.db.pool())
                .await
                .unwrap();
        assert_eq!(audited, 2);
        // a wrong header imports nothing
        std::fs::write(&csv, "id,d\n0076229645,1\n").unwrap();
        let (code, _) = vamyar_on(&dir, &t.url, &["import", "deciles", csv.to_str().unwrap()]);
        assert_eq!(code, Some(1));
        assert_eq!(decile("0076229645").await, 5);
        let _ = std::fs::remove_dir_all(dir);
    }
);
#[test]
fn serve_demo_refuses_a_postgres_url_and_a_database_with_real_accounts() {
    let dir = temp_dir("demo-refusal");
    let (code, out) = vamyar_on(
        &dir,
        "postgres://nobody@127.0.0.1:1/none",
        &["serve", "--demo", "--addr", "127.0.0.1:0"],
    );
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("refusing --demo"), "{out}");
    // a SQLite database with a real account
    let url = format!("sqlite://{}/real.db", dir.display());
    let (code, out) = vamyar_on(
        &dir,
        &url,
        &[
            "user",
            "add",
            "--username",
            "sara",
            "--password",
            "a long password for sara",
            "--role",
            "auditor",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = vamyar_on(&dir, &url, &["serve", "--demo", "--addr", "127.0.0.1:0"]);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("not the demo's"), "{out}");
    // `seed` brings the demo's accounts too, and is refused the same way, writing nothing
    let (code, out) = vamyar_on(&dir, &url, &["seed", "--applicants", "5"]);
    assert_ne!(code, Some(0), "{out}");
    assert!(out.contains("not the demo's"), "{out}");
    let staff: Vec<String> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = vamyar_store::Db::connect(&url).await.unwrap();
        sqlx::query_scalar("select username from staff_user")
            .fetch_all(db.pool())
            .await
            .unwrap()
    });
    assert_eq!(staff, vec!["sara".to_string()]);
    let _ = std::fs::remove_dir_all(dir);
}
