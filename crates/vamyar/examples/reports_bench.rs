//! Benchmark (not a test): every report over a seeded database, for a national administrator
//! (everything), a province administrator and a bank officer, through the use case
//! (`vamyar_app::reports::run`: filters, the report's queries, the tables). The peers, timed
//! in the same run on the same database: a plain `count(*)` over `loan` and over
//! `stage_timing`, the least a report reading every loan or every stage clock can cost.
//!
//! ```sh
//! target/release/vamyar --database-url sqlite://r.db seed --applicants 1000000 --loans
//! cargo run --release -p vamyar --example reports_bench -- sqlite://r.db 5
//! ```
//! `scripts/bench_reports.sh` does both engines.

use std::time::{Duration, Instant};

use vamyar_app::reports::{self, ReportName, ReportQuery};
use vamyar_app::{Ctx, Settings};
use vamyar_i18n::Lang;

fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

async fn peer(ctx: &Ctx, table: &str, rounds: usize) -> f64 {
    let sql = format!("select count(*) from {table}");
    let mut times = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let _: i64 = sqlx::query_scalar(&sql)
            .fetch_one(ctx.db.pool())
            .await
            .unwrap();
        times.push(t.elapsed());
    }
    let ms = median_ms(times);
    println!("peer count(*) {table:<14} median {ms:8.1} ms");
    ms
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args.get(1).expect("a database URL");
    let rounds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let db = vamyar_store::Db::connect(url).await.expect("the database");
    db.migrate().await.expect("migrations");
    let ctx = Ctx::new(db, Settings::default());
    let t = Instant::now();
    if let Some(stays) = reports::stays::ensure_built(&ctx).await.unwrap() {
        println!(
            "built the funnel's tally: {stays} stays in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let count = |table: &'static str| {
        let ctx = ctx.clone();
        async move {
            let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(ctx.db.pool())
                .await
                .unwrap();
            n
        }
    };
    println!(
        "{} files, {} loans, {} stage clocks; median of {rounds} runs (after one warm-up)",
        count("application").await,
        count("loan").await,
        count("stage_timing").await
    );
    let loans = peer(&ctx, "loan", rounds).await;
    let clocks = peer(&ctx, "stage_timing", rounds).await;
    // every report over everything, then the funnel and the priority groups as a manager
    // opens them: the files registered in one Jalali month, and in one Jalali year
    let month = ReportQuery {
        from: Some("1405/07/01".into()),
        to: Some("1405/07/30".into()),
        ..ReportQuery::default()
    };
    let year = ReportQuery {
        from: Some("1404/01/01".into()),
        to: Some("1404/12/29".into()),
        ..ReportQuery::default()
    };
    let mut cases: Vec<(&str, ReportName, &str, ReportQuery)> = Vec::new();
    for who in ["admin", "province", "bank"] {
        for name in ReportName::ALL {
            cases.push((who, *name, "", ReportQuery::default()));
        }
    }
    for (range, q) in [("1405/07", &month), ("1404", &year)] {
        for name in [ReportName::Funnel, ReportName::Priority] {
            cases.push(("admin", name, range, q.clone()));
        }
    }
    // the funnel where the tally cannot answer alone: days that are not whole months (read
    // from the stays), and filters the tally is not kept by (a county; women, nationwide)
    let days = ReportQuery {
        from: Some("1405/07/10".into()),
        to: Some("1405/08/20".into()),
        ..ReportQuery::default()
    };
    let edges = ReportQuery {
        from: Some("1404/01/10".into()),
        to: Some("1404/12/20".into()),
        ..ReportQuery::default()
    };
    let county = ReportQuery {
        county: Some("07-15".into()),
        ..ReportQuery::default()
    };
    let women = ReportQuery {
        gender: Some("female".into()),
        ..ReportQuery::default()
    };
    cases.push(("admin", ReportName::Funnel, "1405/07/10–08/20", days));
    cases.push(("admin", ReportName::Funnel, "1404/01/10–12/20", edges));
    cases.push(("province", ReportName::Funnel, "county 07-15", county));
    cases.push(("admin", ReportName::Funnel, "women", women));
    for (who, name, range, q) in cases {
        let actor = vamyar_app::actors::staff_by_username(&ctx, who)
            .await
            .unwrap();
        {
            let mut times = Vec::new();
            let mut rows = 0;
            for i in 0..=rounds {
                let t = Instant::now();
                let r = reports::run(&ctx, &actor, name.as_str(), &q, Lang::Fa)
                    .await
                    .unwrap();
                if i > 0 {
                    times.push(t.elapsed());
                }
                rows = r.tables.iter().map(|t| t.rows.len()).sum::<usize>();
            }
            let ms = median_ms(times);
            let peer = match name {
                ReportName::Funnel | ReportName::Priority => clocks,
                _ => loans,
            };
            println!(
                "{who:<9} {:<22} median {ms:8.1} ms  {:5.1} × its peer  ({rows} rows)",
                format!("{} {range}", name.as_str()),
                ms / peer
            );
        }
    }
}
