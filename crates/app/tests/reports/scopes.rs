//! Each role sees its own scope of every report, and bad filters are field errors.

use super::*;

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
