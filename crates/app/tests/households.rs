//! Households: a desk clerk records a household by its case number and links its members'
//! national IDs; registration refuses a second open file in the household with a Persian
//! message naming the open file to the clerk; the priority counts the linked household's
//! size instead of the size the applicant declared, also for a file registered before the
//! link (scored again when linked).

use serde_json::{Value, json};
use vamyar_app::files::register::{self, Caller, RegisterBody};
use vamyar_app::households::{self, HouseholdBody, MemberBody};
use vamyar_app::{Ctx, Error, Settings};
use vamyar_domain::policy::Actor;
use vamyar_i18n::Lang;
use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

fn registration(program_id: i64, national_id: &str, household_size: i64) -> RegisterBody {
    vamyar_app::input::from_value(json!({
        "program_id": program_id, "loan_type": "self_employment", "requested_amount": 1_500_000_000_i64,
        "applicant": {"national_id": national_id, "first_name": "زهرا", "last_name": "احمدی",
            "birth_date": "1370/05/12", "gender": "female", "mobile": "09121234567",
            "province": "07", "county": "07-15", "female_head_of_household": false,
            "household_size": household_size, "beneficiary_status": "none"},
        "business": {"title": "خیاطی خانگی", "activity": "tailoring", "jobs_planned": 1}
    }))
    .unwrap()
}

async fn staff(ctx: &Ctx, username: &str) -> Actor {
    vamyar_app::actors::staff_by_username(ctx, username)
        .await
        .unwrap()
}

/// The stored household factor of a file: (size counted, where it came from).
async fn household_factor(ctx: &Ctx, id: i64) -> (i64, String) {
    let stored: String =
        sqlx::query_scalar("select priority_factors from application where id = $1")
            .bind(id)
            .fetch_one(ctx.db.pool())
            .await
            .unwrap();
    let v: Value = serde_json::from_str(&stored).unwrap();
    let size = v["factors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "household_size")
        .map_or(1, |f| f["detail"].as_i64().unwrap());
    (
        size,
        v["household_size_source"].as_str().unwrap().to_string(),
    )
}

both_engines!(
    a_household_holds_one_open_file_and_its_size_counts_in_the_priority,
    |t: TestDb| async move {
        let ctx = Ctx::new(
            t.db.clone(),
            Settings {
                upload_dir: t.scratch_folder().join("uploads"),
                ..Settings::default()
            },
        );
        vamyar_app::demo::seed(&ctx.db, ctx.today()).await.unwrap();
        let program: i64 = sqlx::query_scalar("select min(id) from program")
            .fetch_one(ctx.db.pool())
            .await
            .unwrap();
        let desk = staff(&ctx, "desk").await;
        let head = staff(&ctx, "head").await;

        // only county desk clerks and social workers record households; fields are named
        assert!(matches!(
            households::create(&ctx, &head, HouseholdBody::default())
                .await
                .unwrap_err(),
            Error::Forbidden
        ));
        let e = households::create(
            &ctx,
            &desk,
            HouseholdBody {
                case_number: Some("پرونده ۱".into()),
                size: Some(vamyar_app::fields::Flex("40".into())),
            },
        )
        .await
        .unwrap_err();
        let Error::Validation(f) = e else {
            panic!("{e:?}")
        };
        let codes: Vec<(&str, &str)> = f.0.iter().map(|(k, v)| (k.as_str(), v.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("case_number", "invalid_case_number"),
                ("size", "out_of_range")
            ]
        );
        let created = households::create(
            &ctx,
            &desk,
            HouseholdBody {
                case_number: Some("۱۴۰۵/۷۷".into()),
                size: Some(vamyar_app::fields::Flex("6".into())),
            },
        )
        .await
        .unwrap();
        assert_eq!((created.case_number.as_str(), created.size), ("1405/77", 6));
        for nid in ["0076229645", "1234567891"] {
            households::add_member(
                &ctx,
                &desk,
                "1405/77",
                MemberBody {
                    national_id: Some(nid.into()),
                },
            )
            .await
            .unwrap();
        }

        // the first member registers, declaring three: the priority counts the six linked
        let first = register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "0076229645", 3),
        )
        .await
        .unwrap();
        assert_eq!(
            household_factor(&ctx, first.id).await,
            (6, "linked".to_string())
        );
        let view = vamyar_app::files::view::get(&ctx, &desk, first.id)
            .await
            .unwrap();
        let live = serde_json::to_value(&view).unwrap();
        assert!(
            live.to_string().contains("\"household_size\""),
            "the file shows the household factor"
        );

        // the second member is refused while the first file is open, the file named
        let e = register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "1234567891", 3),
        )
        .await
        .unwrap_err();
        let Error::Validation(f) = e else {
            panic!("{e:?}")
        };
        let json = f.to_json(Lang::Fa);
        let message = json["applicant.national_id"]["message"].as_str().unwrap();
        assert_eq!(
            json["applicant.national_id"]["code"],
            "household_has_open_file"
        );
        let code_fa = vamyar_calendar::digits::to_persian_digits(&first.tracking_code);
        assert!(
            message.contains(&code_fa) && message.contains("خانوار"),
            "{message}"
        );
        let files: i64 = sqlx::query_scalar("select count(*) from application")
            .fetch_one(ctx.db.pool())
            .await
            .unwrap();
        assert_eq!(files, 1, "nothing written");
        let seen = households::get(&ctx, &desk, "1405/77").await.unwrap();
        assert_eq!(seen.members.len(), 2);
        assert_eq!(seen.open_files.len(), 1);
        assert_eq!(seen.open_files[0].tracking_code, first.tracking_code);

        // the program allows two open files per household: the second member registers
        let admin = staff(&ctx, "admin").await;
        let patch: vamyar_app::admin::programs::ProgramPatch =
            vamyar_app::input::from_value(json!({"max_open_files_per_household": 2})).unwrap();
        let out = vamyar_app::admin::programs::update(&ctx, &admin, program, patch)
            .await
            .unwrap();
        assert_eq!(out.max_open_files_per_household, 2);
        register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "1234567891", 3),
        )
        .await
        .unwrap();
        let seen = households::get(&ctx, &desk, "1405/77").await.unwrap();
        assert_eq!(seen.open_files.len(), 2);

        // someone outside the county does not see the household
        let province = staff(&ctx, "province").await;
        assert!(households::get(&ctx, &province, "1405/77").await.is_ok());
        assert!(matches!(
            households::get(&ctx, &Actor::applicant(1), "1405/77")
                .await
                .unwrap_err(),
            Error::Forbidden
        ));

        // a file registered before its applicant was linked is scored again on linking
        let later = register::register(
            &ctx,
            Caller::Actor(desk.clone()),
            registration(program, "0499370899", 2),
        )
        .await
        .unwrap();
        assert_eq!(
            household_factor(&ctx, later.id).await,
            (2, "declared".to_string())
        );
        households::create(
            &ctx,
            &desk,
            HouseholdBody {
                case_number: Some("1405/78".into()),
                size: Some(vamyar_app::fields::Flex("5".into())),
            },
        )
        .await
        .unwrap();
        households::add_member(
            &ctx,
            &desk,
            "1405/78",
            MemberBody {
                national_id: Some("0499370899".into()),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            household_factor(&ctx, later.id).await,
            (5, "linked".to_string())
        );
        // a person is in one household only
        let e = households::add_member(
            &ctx,
            &desk,
            "1405/78",
            MemberBody {
                national_id: Some("0076229645".into()),
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(e, Error::Validation(_)), "{e:?}");
    }
);
