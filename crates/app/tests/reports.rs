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

#[path = "reports/exports.rs"]
mod exports;
#[path = "reports/scopes.rs"]
mod scopes;

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
