//! Every report's numbers over a known dataset (`reports/dataset.rs`), on both engines. The
//! expected values are counted by hand from the dataset's table (working days on the
//! calendar of December 2026: Fridays off, no holiday), not by the report code; then the
//! scoping of each role, bad filters, and the two exports.

mod reports {
    pub mod dataset;
}

use std::collections::BTreeMap;

use reports::dataset;
use vamyar_app::reports::{self as r, Cell, Report, ReportQuery};
use vamyar_app::{Ctx, Error};
use vamyar_domain::policy::Actor;
use vamyar_i18n::Lang;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

async fn run(ctx: &Ctx, actor: &Actor, name: &str, q: ReportQuery) -> Report {
    r::run(ctx, actor, name, &q, Lang::Fa)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// The rows of table `key`, each keyed by its first cell's text.
fn rows(report: &Report, key: &str) -> BTreeMap<String, Vec<Cell>> {
    let t = report
        .tables
        .iter()
        .find(|t| t.key == key)
        .unwrap_or_else(|| panic!("no table {key}"));
    t.rows
        .iter()
        .map(|row| match &row[0] {
            Cell::Text(s) => (s.clone(), row.clone()),
            other => panic!("first cell {other:?}"),
        })
        .collect()
}

fn ints(row: &[Cell]) -> Vec<Option<i64>> {
    row.iter()
        .skip(1)
        .map(|c| match c {
            Cell::Int(n) => Some(*n),
            Cell::Empty => None,
            other => panic!("not a number: {other:?}"),
        })
        .collect()
}

fn stage(name: &str) -> String {
    vamyar_i18n::text(Lang::Fa, &format!("report-stage-{name}"), &[])
}

fn field_codes(e: Error) -> Vec<(String, String)> {
    match e {
        Error::Validation(f) => {
            f.0.iter()
                .map(|(field, fe)| (field.clone(), fe.code.to_string()))
                .collect()
        }
        other => panic!("expected a field error, got {other:?}"),
    }
}

both_engines!(
    each_report_counts_the_known_dataset,
    |t: TestDb| async move {
        let ctx = dataset::ctx_of(&t).await;
        dataset::build(&ctx).await;
        let admin = dataset::staff(&ctx, "admin").await;

        // Funnel. Stays that left a stage with a service level (working days by hand):
        // submitted A 0 (12-01→12-01), E 1 (→12-02), D 2 (→12-03), B 4 (→12-06, due 12-05: late);
        // documents (agency part) A 0, E 0; counselling A 1 (12-06→12-07), E 3 (→12-09);
        // awaiting referral A 2 (12-07→12-09), E 0; referred A 0, E 0;
        // bank approved A 1 (12-09→12-10), E 1 (12-22→12-23).
        let funnel = run(&ctx, &admin, "funnel", ReportQuery::default()).await;
        let stages = rows(&funnel, "report-funnel-stages");
        // entered, in stage, left, median, p90 (tenths), measured, on time, compliance (bp)
        let expect: &[(&str, [Option<i64>; 8])] = &[
            (
                "submitted",
                [
                    Some(5),
                    Some(1),
                    Some(4),
                    Some(15),
                    Some(40),
                    Some(4),
                    Some(3),
                    Some(7500),
                ],
            ),
            (
                "rejected",
                [
                    Some(1),
                    Some(1),
                    Some(0),
                    None,
                    None,
                    Some(0),
                    Some(0),
                    None,
                ],
            ),
            (
                "documents_pending",
                [
                    Some(3),
                    Some(1),
                    Some(2),
                    Some(0),
                    Some(0),
                    Some(2),
                    Some(2),
                    Some(10_000),
                ],
            ),
            (
                "counselling",
                [
                    Some(2),
                    Some(0),
                    Some(2),
                    Some(20),
                    Some(30),
                    Some(2),
                    Some(2),
                    Some(10_000),
                ],
            ),
            (
                "awaiting_referral",
                [
                    Some(2),
                    Some(0),
                    Some(2),
                    Some(10),
                    Some(20),
                    Some(2),
                    Some(2),
                    Some(10_000),
                ],
            ),
            (
                "referred",
                [
                    Some(2),
                    Some(0),
                    Some(2),
                    Some(0),
                    Some(0),
                    Some(2),
                    Some(2),
                    Some(10_000),
                ],
            ),
            (
                "guarantees_pending",
                [
                    Some(2),
                    Some(0),
                    Some(2),
                    None,
                    None,
                    Some(0),
                    Some(0),
                    None,
                ],
            ),
            (
                "bank_approved",
                [
                    Some(2),
                    Some(0),
                    Some(2),
                    Some(10),
                    Some(10),
                    Some(2),
                    Some(2),
                    Some(10_000),
                ],
            ),
            (
                "active",
                [
                    Some(2),
                    Some(1),
                    Some(1),
                    None,
                    None,
                    Some(0),
                    Some(0),
                    None,
                ],
            ),
            (
                "accelerated",
                [
                    Some(1),
                    Some(1),
                    Some(0),
                    None,
                    None,
                    Some(0),
                    Some(0),
                    None,
                ],
            ),
        ];
        for (name, want) in expect {
            let row = stages
                .get(&stage(name))
                .unwrap_or_else(|| panic!("no stage {name}"));
            assert_eq!(ints(row), want.to_vec(), "funnel stage {name}");
        }
        assert_eq!(stages.len(), expect.len(), "{:?}", stages.keys());
        let breaches = &funnel.tables[1].rows;
        assert_eq!(breaches.len(), 1, "{breaches:?}");
        let day = |d| Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap());
        assert_eq!(breaches[0][1], Cell::Text(stage("submitted")));
        assert_eq!(
            &breaches[0][2..],
            &[Cell::Int(30), day(5), day(6), Cell::Int(40)]
        );

        // Disbursements: A 1,200,000,000 on 1405/09/19, E 900,000,000 on 1405/10/02
        let money = run(&ctx, &admin, "disbursements", ReportQuery::default()).await;
        let months = rows(&money, "report-disbursements-months");
        assert_eq!(
            ints(&months["آذر ۱۴۰۵"]),
            [Some(1), Some(1_200_000_000), Some(1_200_000_000)]
        );
        assert_eq!(
            ints(&months["دی ۱۴۰۵"]),
            [Some(1), Some(900_000_000), Some(900_000_000)]
        );
        assert_eq!(months.len(), 2);
        let total = &money.tables[1].rows[0];
        assert_eq!(
            total,
            &[
                Cell::Int(2),
                Cell::Int(2_100_000_000),
                Cell::Int(1_050_000_000)
            ]
        );
        // a range holding only Dey 1405, typed Jalali in Persian digits
        let q = ReportQuery {
            from: Some("۱۴۰۵/۱۰/۰۱".into()),
            ..Default::default()
        };
        let dey = run(&ctx, &admin, "disbursements", q).await;
        assert_eq!(dey.tables[1].rows[0][1], Cell::Int(900_000_000));

        // Quotas: the demo gives each memorandum 500 referrals and 1,000,000,000,000 rials per
        // province; A and E took two referrals from the Mehr quota of province 07
        let quotas = run(&ctx, &admin, "quotas", ReportQuery::default()).await;
        let table = &quotas.tables[0];
        let tehran: Vec<&Vec<Cell>> = table
            .rows
            .iter()
            .filter(|row| row[2] == Cell::Text("تهران".into()) && row[5] != Cell::Int(500))
            .collect();
        assert_eq!(tehran.len(), 1, "{tehran:?}");
        assert_eq!(
            &tehran[0][3..],
            &[
                500,
                2,
                498,
                1_000_000_000_000,
                2_100_000_000,
                997_900_000_000,
                21
            ]
            .map(Cell::Int)
        );

        // Portfolio: A (accelerated, not past due at the last close) and E (100 days past due)
        let pool = ctx.db.pool();
        let repaid: i64 = sqlx::query_scalar(
            "select cast(coalesce(sum(principal_paid), 0) as bigint) from installment",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(repaid, 0);
        let outstanding = 2_100_000_000;
        let portfolio = run(&ctx, &admin, "portfolio", ReportQuery::default()).await;
        let totals = ints(&[vec![Cell::Empty], portfolio.tables[1].rows[0].clone()].concat());
        let par_bp = (900_000_000 * 10_000 * 2 + outstanding) / (2 * outstanding); // 4286
        assert_eq!(
            totals,
            [
                2,
                outstanding,
                900_000_000,
                par_bp,
                1,
                900_000_000,
                0,
                0,
                0,
                0
            ]
            .map(Some)
        );
        // thresholds 30/90/99 days put E's 100 days in the doubtful class
        let mut strict = ctx.clone();
        strict.settings = std::sync::Arc::new(vamyar_app::Settings {
            arrears_classes: r::ArrearsClasses {
                overdue_days: 30,
                deferred_days: 90,
                doubtful_days: 99,
            },
            ..(*ctx.settings).clone()
        });
        let p = run(&strict, &admin, "portfolio", ReportQuery::default()).await;
        assert_eq!(
            &p.tables[1].rows[0][4..],
            &[0, 0, 0, 0, 1, 900_000_000].map(Cell::Int)
        );

        // Jobs: plans 3 (A) + 1 (E); A's visit found 2; A accelerated
        let jobs = run(&ctx, &admin, "jobs", ReportQuery::default()).await;
        let by = rows(&jobs, "report-jobs-table");
        assert_eq!(
            ints(&by["تهران"]),
            [
                Some(2),
                Some(2),
                Some(4),
                Some(1),
                Some(2),
                Some(5000),
                Some(1),
                Some(0)
            ]
        );

        // Priority groups: female heads A, B; deprived C only
        let priority = run(&ctx, &admin, "priority", ReportQuery::default()).await;
        let groups = rows(&priority, "report-priority-table");
        let expect: &[(&str, [i64; 5])] = &[
            ("registered", [5, 2, 4000, 1, 2000]),
            ("submitted", [5, 2, 4000, 1, 2000]),
            ("rejected", [1, 0, 0, 0, 0]),
            ("documents_pending", [3, 2, 6667, 0, 0]),
            ("counselling", [2, 1, 5000, 0, 0]),
            ("active", [2, 1, 5000, 0, 0]),
            ("accelerated", [1, 1, 10_000, 0, 0]),
        ];
        for (name, want) in expect {
            assert_eq!(
                ints(&groups[&stage(name)]),
                want.map(Some),
                "priority {name}"
            );
        }

        // filters narrow: female heads only, and E's loan type is the only one
        let q = ReportQuery {
            female_head_of_household: Some("true".into()),
            ..Default::default()
        };
        let heads = run(&ctx, &admin, "disbursements", q).await;
        assert_eq!(
            heads.tables[1].rows[0][..2],
            [Cell::Int(1), Cell::Int(1_200_000_000)]
        );
        let q = ReportQuery {
            gender: Some("male".into()),
            ..Default::default()
        };
        let men = run(&ctx, &admin, "priority", q).await;
        assert_eq!(
            ints(&rows(&men, "report-priority-table")[&stage("registered")])[0],
            Some(2)
        );
    }
);

both_engines!(each_role_sees_its_own_scope, |t: TestDb| async move {
    let ctx = dataset::ctx_of(&t).await;
    let files = dataset::build(&ctx).await;
    let province = dataset::staff(&ctx, "province").await;
    let bank = dataset::staff(&ctx, "bank").await;
    let auditor = dataset::staff(&ctx, "auditor").await;

    // the province administrator of 07 does not see C (13-24)
    let p = run(&ctx, &province, "priority", ReportQuery::default()).await;
    assert_eq!(
        ints(&rows(&p, "report-priority-table")[&stage("registered")])[0],
        Some(4)
    );
    assert_eq!(p.filters.province.as_deref(), Some("07"));
    let q = ReportQuery {
        province: Some("13".into()),
        ..Default::default()
    };
    let refused = r::run(&ctx, &province, "funnel", &q, Lang::Fa)
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(refused),
        [("province".into(), "outside_your_scope".into())]
    );
    let q = ReportQuery {
        county: Some("13-24".into()),
        ..Default::default()
    };
    let refused = r::run(&ctx, &province, "jobs", &q, Lang::Fa)
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(refused),
        [("county".into(), "outside_your_scope".into())]
    );
    let quotas = run(&ctx, &province, "quotas", ReportQuery::default()).await;
    assert_eq!(
        quotas.tables[0].rows.len(),
        2,
        "one quota per memorandum in 07"
    );

    // the auditor sees all five files
    let all = run(&ctx, &auditor, "priority", ReportQuery::default()).await;
    assert_eq!(
        ints(&rows(&all, "report-priority-table")[&stage("registered")])[0],
        Some(5)
    );

    // the bank officer sees the funnel from the referral on, and only Mehr's quotas
    let f = run(&ctx, &bank, "funnel", ReportQuery::default()).await;
    let stages = rows(&f, "report-funnel-stages");
    assert!(
        !stages.contains_key(&stage("submitted")),
        "{:?}",
        stages.keys()
    );
    assert_eq!(ints(&stages[&stage("referred")])[0], Some(2));
    assert_eq!(f.filters.bank_id, Some(files.mehr));
    let quotas = run(&ctx, &bank, "quotas", ReportQuery::default()).await;
    assert!(
        quotas.tables[0]
            .rows
            .iter()
            .all(|row| row[1] == quotas.tables[0].rows[0][1])
    );
    assert_eq!(quotas.tables[0].rows.len(), 31);
    let other: i64 = sqlx::query_scalar("select id from bank where id <> $1 order by id limit 1")
        .bind(files.mehr)
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    let q = ReportQuery {
        bank_id: Some(other.to_string()),
        ..Default::default()
    };
    let refused = r::run(&ctx, &bank, "portfolio", &q, Lang::Fa)
        .await
        .unwrap_err();
    assert_eq!(
        field_codes(refused),
        [("bank_id".into(), "outside_your_scope".into())]
    );
    let q = ReportQuery {
        bank_id: Some(other.to_string()),
        ..Default::default()
    };
    let admin = dataset::staff(&ctx, "admin").await;
    let none = run(&ctx, &admin, "portfolio", q).await;
    assert!(none.tables[0].rows.is_empty());

    // county staff and applicants have no reports
    for who in ["head", "desk", "social", "expert"] {
        let actor = dataset::staff(&ctx, who).await;
        assert!(
            matches!(r::list(&actor, Lang::Fa), Err(Error::Forbidden)),
            "{who}"
        );
        let refused = r::run(&ctx, &actor, "funnel", &ReportQuery::default(), Lang::Fa).await;
        assert!(matches!(refused, Err(Error::Forbidden)), "{who}");
    }
    let person: i64 = sqlx::query_scalar("select person_id from application where id = $1")
        .bind(files.a)
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    let applicant = Actor::applicant(person);
    let refused = r::run(
        &ctx,
        &applicant,
        "funnel",
        &ReportQuery::default(),
        Lang::Fa,
    )
    .await;
    assert!(matches!(refused, Err(Error::Forbidden)));
    let unknown = r::run(&ctx, &admin, "nonsense", &ReportQuery::default(), Lang::Fa).await;
    assert!(matches!(unknown, Err(Error::NotFound)));
});

both_engines!(bad_filters_are_field_errors, |t: TestDb| async move {
    let ctx = dataset::ctx_of(&t).await;
    let admin = dataset::staff(&ctx, "admin").await;
    let q = ReportQuery {
        from: Some("1405/13/01".into()),
        gender: Some("x".into()),
        female_head_of_household: Some("perhaps".into()),
        province: Some("99".into()),
        program_id: Some("abc".into()),
        sector: Some("mining".into()),
        format: Some("pdf".into()),
        ..Default::default()
    };
    let mut codes = field_codes(
        r::run(&ctx, &admin, "funnel", &q, Lang::Fa)
            .await
            .unwrap_err(),
    );
    codes.sort();
    let mut want: Vec<(String, String)> = [
        ("female_head_of_household", "invalid_value"),
        ("format", "invalid_choice"),
        ("gender", "invalid_choice"),
        ("program_id", "invalid_number"),
        ("province", "unknown_province"),
        ("sector", "invalid_choice"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    let from = codes
        .iter()
        .find(|(f, _)| f == "from")
        .cloned()
        .expect("from refused");
    want.push(from);
    want.sort();
    assert_eq!(codes, want);
    let q = ReportQuery {
        from: Some("1405/10/01".into()),
        to: Some("1405/09/01".into()),
        ..Default::default()
    };
    let codes = field_codes(
        r::run(&ctx, &admin, "jobs", &q, Lang::Fa)
            .await
            .unwrap_err(),
    );
    assert_eq!(codes, [("to".into(), "date_before_from".into())]);
    let q = ReportQuery {
        from: Some("1405/10/01".into()),
        ..Default::default()
    };
    let codes = field_codes(
        r::run(&ctx, &admin, "quotas", &q, Lang::Fa)
            .await
            .unwrap_err(),
    );
    assert_eq!(codes, [("from".into(), "filter_not_applicable".into())]);
    // the messages are Persian and name nothing internal
    let message = vamyar_i18n::text(Lang::Fa, "error-outside_your_scope", &[]);
    assert!(message.contains("حوزهٔ کاری"));
});

both_engines!(
    exports_have_a_bom_and_a_right_to_left_sheet,
    |t: TestDb| async move {
        let ctx = dataset::ctx_of(&t).await;
        dataset::build(&ctx).await;
        let admin = dataset::staff(&ctx, "admin").await;
        let funnel = run(&ctx, &admin, "funnel", ReportQuery::default()).await;
        let csv = r::export::csv(&funnel).unwrap();
        assert!(csv.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(csv).unwrap();
        assert!(text.contains("مرحله,واردشده,اکنون در مرحله"), "{text}");
        // 7500 bp as a percentage, 1.5 working days
        assert!(text.contains(",75.00"), "{text}");
        assert!(text.contains(",1.5,"), "{text}");
        let en = r::run(&ctx, &admin, "funnel", &ReportQuery::default(), Lang::En)
            .await
            .unwrap();
        let english = String::from_utf8(r::export::csv(&en).unwrap()).unwrap();
        assert!(
            english.contains("Stage,Entered,In the stage now"),
            "{english}"
        );

        let money = run(&ctx, &admin, "disbursements", ReportQuery::default()).await;
        let bytes = r::xlsx::workbook(&money).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        assert!(sheet.contains("rightToLeft=\"1\""), "{sheet}");
        use calamine::{DataType, Reader};
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        let range = book.worksheet_range(&names[0]).unwrap();
        assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "ماه");
        assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "آذر ۱۴۰۵");
        assert_eq!(
            range.get_value((1, 2)).unwrap().as_f64(),
            Some(1_200_000_000.0)
        );
    }
);
