//! What is on record, each read in one statement: for a national ID before a registration
//! (`person::on_record`), for a file's person (`person::facts`), and a session with its
//! staff account (`session::find_with_staff`). Each must answer exactly what the single reads
//! it replaces answer, including when there is nothing.

use vamyar_store::both_engines;
use vamyar_store::household::{self, NewHousehold};
use vamyar_store::person::{self, OnRecord, Person};
use vamyar_store::session::{self, Subject};
use vamyar_store::staff::{self, NewStaff};
use vamyar_store::testdb::TestDb;

/// A county and its province from the reference data.
async fn place(t: &TestDb) -> (String, String) {
    sqlx::query_as("select code, province_code from county order by code limit 1")
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

fn someone(national_id: &str, (county, province): &(String, String)) -> Person {
    Person {
        id: 0,
        national_id: national_id.into(),
        first_name: "زهرا".into(),
        last_name: "احمدی".into(),
        father_name: Some("علی".into()),
        birth_date: Some("1991-08-03".into()),
        gender: "female".into(),
        mobile: "09121234567".into(),
        province_code: province.clone(),
        county_code: county.clone(),
        address: None,
        postal_code: None,
        is_female_head: true,
        has_disability: false,
        household_size: 3,
        income_decile: Some(4),
        beneficiary_status: "supported".into(),
        sheba: None,
    }
}

both_engines!(
    a_national_id_reads_as_its_single_reads_do,
    |t: TestDb| async move {
        let at = place(&t).await;
        let nobody = person::on_record(t.db.pool(), "0499370899").await.unwrap();
        assert!(nobody.person.is_none());
        assert_eq!(
            (nobody.imported_decile, nobody.household.is_none()),
            (None, true)
        );

        // a decile imported before the person registers
        let mut tx = t.db.begin().await.unwrap();
        person::set_imported_decile(&mut tx, "0499370899", 2, "list")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let OnRecord {
            person: p,
            imported_decile,
            household: h,
        } = person::on_record(t.db.pool(), "0499370899").await.unwrap();
        assert!(p.is_none() && h.is_none());
        assert_eq!(imported_decile, Some(2));

        // registered and linked into a household
        let mut tx = t.db.begin().await.unwrap();
        let (pid, kept) = person::insert_or_keep(&mut tx, &someone("0499370899", &at))
            .await
            .unwrap();
        assert!(!kept);
        let hid = household::create(
            &mut tx,
            &NewHousehold {
                case_number: "HH-1",
                size: 5,
                province_code: &at.1,
                county_code: &at.0,
                staff_user_id: None,
                at: "2026-12-01T08:00:00Z",
            },
        )
        .await
        .unwrap()
        .unwrap();
        household::link(&mut tx, hid, "0499370899", None, "2026-12-01T08:00:00Z")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let on = person::on_record(t.db.pool(), "0499370899").await.unwrap();
        let single = person::by_national_id(t.db.pool(), "0499370899")
            .await
            .unwrap()
            .unwrap();
        let p = on.person.expect("the person");
        assert_eq!(
            (p.id, &p.national_id, &p.last_name),
            (pid, &single.national_id, &single.last_name)
        );
        assert_eq!(
            (p.is_female_head, p.household_size, p.income_decile),
            (true, 3, Some(4))
        );
        assert_eq!(on.imported_decile, Some(2));
        let h = on.household.expect("the household");
        let linked = household::of_national_id(t.db.pool(), "0499370899")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (h.id, &h.case_number, h.size),
            (linked.id, &linked.case_number, 5)
        );
        assert_eq!((&h.province_code, &h.county_code), (&at.1, &at.0));

        // the file's person with its decile and household size
        let facts = person::facts(t.db.pool(), pid).await.unwrap().unwrap();
        assert_eq!(facts.person.national_id, "0499370899");
        assert_eq!(
            (facts.imported_decile, facts.household_size),
            (Some(2), Some(5))
        );
        let mut tx = t.db.begin().await.unwrap();
        let (other, _) = person::insert_or_keep(&mut tx, &someone("0067749828", &at))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let bare = person::facts(t.db.pool(), other).await.unwrap().unwrap();
        assert_eq!((bare.imported_decile, bare.household_size), (None, None));
        assert!(
            person::facts(t.db.pool(), other + 1000)
                .await
                .unwrap()
                .is_none()
        );
    }
);

both_engines!(
    a_session_is_read_with_its_staff_account,
    |t: TestDb| async move {
        let at = place(&t).await;
        let mut tx = t.db.begin().await.unwrap();
        let clerk = staff::create(
            &mut tx,
            &NewStaff {
                username: "desk-7".into(),
                password_hash: "$argon2id$unused".into(),
                full_name: "میز هفت".into(),
                role: "desk_clerk".into(),
                province_code: Some(at.1.clone()),
                county_code: Some(at.0.clone()),
                bank_id: None,
                branch_id: None,
            },
        )
        .await
        .unwrap();
        let (pid, _) = person::insert_or_keep(&mut tx, &someone("0499370899", &at))
            .await
            .unwrap();
        let ttl = chrono::Duration::hours(1);
        let (staff_token, _) =
            session::create(&mut tx, "api_token", &Subject::Staff(clerk), Some("t"), ttl)
                .await
                .unwrap();
        let (person_token, _) =
            session::create(&mut tx, "session", &Subject::Person(pid), None, ttl)
                .await
                .unwrap();
        tx.commit().await.unwrap();

        let (s, account) = session::find_with_staff(&t.db, &staff_token)
            .await
            .unwrap()
            .expect("a live session");
        let account = account.expect("its account");
        let single = staff::by_id(t.db.pool(), clerk).await.unwrap().unwrap();
        assert_eq!(s.staff_user_id, Some(clerk));
        assert_eq!(
            (
                account.id,
                &account.username,
                &account.role,
                &account.county_code
            ),
            (
                single.id,
                &single.username,
                &single.role,
                &single.county_code
            )
        );
        assert_eq!(
            (
                account.is_active,
                account.bank_id,
                account.totp_enabled_at.is_none()
            ),
            (true, None, true)
        );

        let (s, none) = session::find_with_staff(&t.db, &person_token)
            .await
            .unwrap()
            .expect("a live session");
        assert_eq!((s.person_id, none.is_none()), (Some(pid), true));
        let unknown = session::new_token();
        assert!(
            session::find_with_staff(&t.db, &unknown)
                .await
                .unwrap()
                .is_none()
        );
    }
);
