//! The funnel's tally (kept as files move) against the stays it is kept from, on both
//! engines, over the known dataset of the report tests: for every narrowing the tally keeps
//! (registration months, province, bank, the bank's stages) it gives the same histograms as
//! the stays grouped in the database; folding changes no report; building everything again
//! from the stage clocks gives the same stays and tally as keeping them did; and the funnel
//! over whole months, over a range with partial months at its edges and over single days
//! agrees with the funnel without dates.

mod reports {
    pub mod dataset;
}

use reports::dataset;
use vamyar_app::reports::{self as r, Cell, ReportQuery};
use vamyar_app::{Ctx, reports::funnel::BANK_STAGES};
use vamyar_domain::policy::Actor;
use vamyar_i18n::Lang;
use vamyar_store::both_engines;
use vamyar_store::report::ReportFilter;
use vamyar_store::report::tally::{self, Histograms, TallyRange};
use vamyar_store::testdb::TestDb;

async fn from_tally(ctx: &Ctx, range: &TallyRange, states: Option<&[&str]>) -> Histograms {
    let mut h = Histograms::new();
    tally::read_tally(ctx.db.pool(), range, states, &mut h)
        .await
        .unwrap();
    // a key whose changes cancel out counts nothing
    for days in h.values_mut() {
        days.retain(|_, c| c.files != 0 || c.on_time != 0);
    }
    h.retain(|_, days| !days.is_empty());
    h
}

async fn from_stays(ctx: &Ctx, f: &ReportFilter, states: Option<&[&str]>) -> Histograms {
    let mut h = Histograms::new();
    tally::read_stays(ctx.db.pool(), f, states, &mut h)
        .await
        .unwrap();
    h
}

/// Every narrowing the tally keeps, with the same narrowing of the stays.
fn narrowings(mehr: i64) -> Vec<(TallyRange, ReportFilter)> {
    // 1405/09 is 2026-11-22 to 2026-12-21 (Tehran days); the files were registered on 12-01
    let azar = ("2026-11-21T20:30:00.000000Z", "2026-12-21T20:30:00.000000Z");
    let dey = ("2026-12-21T20:30:00.000000Z", "2027-01-20T20:30:00.000000Z");
    let month = |m: i64, (from, to): (&str, &str)| {
        (
            TallyRange {
                from_month: Some(m),
                to_month: Some(m),
                ..TallyRange::default()
            },
            ReportFilter {
                from: Some(from.into()),
                to: Some(to.into()),
                ..ReportFilter::default()
            },
        )
    };
    let province = |p: &str| {
        (
            TallyRange {
                province_code: Some(p.into()),
                ..TallyRange::default()
            },
            ReportFilter {
                province_code: Some(p.into()),
                ..ReportFilter::default()
            },
        )
    };
    vec![
        (TallyRange::default(), ReportFilter::default()),
        month(140509, azar),
        month(140510, dey),
        province("07"),
        province("13"),
        (
            TallyRange {
                bank_id: Some(mehr),
                province_code: Some("07".into()),
                ..TallyRange::default()
            },
            ReportFilter {
                bank_id: Some(mehr),
                province_code: Some("07".into()),
                ..ReportFilter::default()
            },
        ),
    ]
}

async fn check_tally_matches_stays(ctx: &Ctx, mehr: i64, when: &str) {
    for (range, filter) in narrowings(mehr) {
        for states in [None, Some(BANK_STAGES)] {
            let kept = from_tally(ctx, &range, states).await;
            let grouped = from_stays(ctx, &filter, states).await;
            assert_eq!(kept, grouped, "{when}: {range:?} / {filter:?} / {states:?}");
        }
    }
    // the whole dataset is not empty: the comparison above compared something
    let all = from_tally(ctx, &TallyRange::default(), None).await;
    let files: i64 = all.values().flat_map(|d| d.values()).map(|c| c.files).sum();
    assert_eq!(files, 14, "{when}: stays that left a stage: {all:?}");
}

/// Every stay: file, stage, month, registration, province, bank, days, left, breached.
type StayCells = (i64, String, i64, String, String, i64, i64, i64, i64);

async fn all_stays(ctx: &Ctx) -> Vec<StayCells> {
    sqlx::query_as(
        "select application_id, state, reg_month, submitted_at, province_code, bank_id, \
         working_days, left_stage, breached from funnel_stay order by application_id, state",
    )
    .fetch_all(ctx.db.pool())
    .await
    .unwrap()
}

async fn funnel_rows(ctx: &Ctx, admin: &Actor, from: &str, to: &str) -> Vec<Vec<Cell>> {
    let q = ReportQuery {
        from: (!from.is_empty()).then(|| from.to_string()),
        to: (!to.is_empty()).then(|| to.to_string()),
        ..ReportQuery::default()
    };
    let report = r::run(ctx, admin, "funnel", &q, Lang::Fa)
        .await
        .unwrap_or_else(|e| panic!("funnel {from}–{to}: {e:?}"));
    report.tables[0].rows.clone()
}

both_engines!(the_tally_is_the_stays_counted, |t: TestDb| async move {
    let ctx = dataset::ctx_of(&t).await;
    let files = dataset::build(&ctx).await;
    let admin = dataset::staff(&ctx, "admin").await;
    check_tally_matches_stays(&ctx, files.mehr, "as kept").await;
    let before = funnel_rows(&ctx, &admin, "", "").await;

    // folding moves the changes into the tally and changes no report
    let mut tx = ctx.db.begin().await.unwrap();
    let folded = tally::fold(&mut tx, 1_000_000).await.unwrap();
    tx.commit().await.unwrap();
    assert!(folded > 0, "the use cases appended changes");
    let left: i64 = sqlx::query_scalar("select count(*) from funnel_tally_delta")
        .fetch_one(ctx.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
    check_tally_matches_stays(&ctx, files.mehr, "folded").await;
    assert_eq!(funnel_rows(&ctx, &admin, "", "").await, before);

    // built again from the stage clocks: the same stays, the same tally
    let stays = all_stays(&ctx).await;
    assert!(
        stays
            .iter()
            .any(|s| s.0 == files.a && s.1 == "bank_approved"),
        "file A left bank_approved: {stays:?}"
    );
    let tallied = from_tally(&ctx, &TallyRange::default(), None).await;
    let written = r::stays::rebuild(&ctx).await.unwrap();
    assert_eq!(written as usize, stays.len());
    assert_eq!(all_stays(&ctx).await, stays);
    assert_eq!(
        from_tally(&ctx, &TallyRange::default(), None).await,
        tallied
    );
    check_tally_matches_stays(&ctx, files.mehr, "rebuilt").await;

    // dates: whole months (the tally), partial months at the edges (stays), one day
    // (stays), all containing the registration day 1405/09/10, agree with no dates
    for (from, to) in [
        ("1405/09/01", "1405/09/30"),
        ("1405/09/01", "1405/10/30"),
        ("1405/08/15", "1405/10/03"),
        ("1405/09/05", "1405/10/30"),
        ("1405/09/10", "1405/09/10"),
        ("", "1405/09/30"),
        ("1405/09/01", ""),
        ("1405/09/10", ""),
    ] {
        assert_eq!(
            funnel_rows(&ctx, &admin, from, to).await,
            before,
            "{from}–{to}"
        );
    }
    // and ranges without that day measure nothing
    for (from, to) in [("1405/09/11", "1405/10/30"), ("1405/08/01", "1405/09/09")] {
        let rows = funnel_rows(&ctx, &admin, from, to).await;
        assert!(rows.is_empty(), "{from}–{to}: {rows:?}");
    }
});
