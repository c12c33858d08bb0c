//! The administration's pages from the server's side: editing a staff account through the
//! plain form (names, not codes; counties grouped by province; the province choice narrows
//! the counties with htmx), and the reasons asked before closing a program.

use vamyar_store::both_engines;
use vamyar_store::testdb::TestDb;

use crate::helpers::TestApp;
use crate::journey::demo_program;
use crate::pages::Visitor;

async fn audited(app: &TestApp, action: &str, entity_id: &str) -> String {
    sqlx::query_scalar(
        "select detail from audit_log where action = $1 and entity_id = $2 order by id desc",
    )
    .bind(action)
    .bind(entity_id)
    .fetch_one(app.db.db.pool())
    .await
    .unwrap()
}

both_engines!(
    an_admin_edits_a_staff_account_through_the_plain_form,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        demo_program(&app).await;
        let mut admin = Visitor::staff_login(&app, "admin").await;
        let id: i64 = sqlx::query_scalar("select id from staff_user where username = 'desk'")
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        let list = admin.get(&app, "/admin/staff").await;
        let url = format!("/admin/staff/{id}");
        assert!(
            list.body.contains(&format!("href=\"{url}\"")),
            "an edit link"
        );
        assert!(
            !list.body.contains(">07-15<") && !list.body.contains(">۰۷-۱۵<"),
            "the scope is named, not coded"
        );
        let form = admin.get(&app, &url).await;
        assert_eq!(form.status, 200);
        let b = &form.body;
        assert!(
            b.contains("<optgroup label="),
            "counties grouped by province"
        );
        assert!(
            b.contains("<select id=\"f-county\" name=\"county\"")
                && b.contains("<option value=\"\" >"),
            "an empty first choice"
        );
        assert!(b.contains("value=\"07-15\" selected"), "its county chosen");
        assert!(b.contains("hx-get=\"/pickers/counties\""), "htmx narrows");
        assert!(b.contains("htmx.min.js"), "and the page loads htmx");
        let token = Visitor::token(&form);

        // refused: the summary, the typed values kept, nothing changed
        let p = admin
            .post(
                &app,
                &url,
                &[
                    ("csrf", &token),
                    ("full_name", " "),
                    ("role", "office_head"),
                    ("county", "07-15"),
                ],
            )
            .await;
        assert_eq!(p.status, 422, "{}", p.body);
        assert!(p.body.contains("href=\"#f-full_name\""));
        assert!(p.body.contains("<option value=\"office_head\" selected"));
        let role: String = sqlx::query_scalar("select role from staff_user where id = $1")
            .bind(id)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(role, "desk_clerk");

        let p = admin
            .post(
                &app,
                &url,
                &[
                    ("csrf", &token),
                    ("full_name", "مریم احمدی"),
                    ("role", "office_head"),
                    ("province", "07"),
                    ("county", "07-15"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let (role, name): (String, String) =
            sqlx::query_as("select role, full_name from staff_user where id = $1")
                .bind(id)
                .fetch_one(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(
            (role.as_str(), name.as_str()),
            ("office_head", "مریم احمدی")
        );
        assert!(
            audited(&app, "staff.update", &id.to_string())
                .await
                .contains("office_head")
        );

        // the county choice of one province (what htmx swaps in)
        let mut anyone = Visitor::default();
        let one = anyone
            .get(&app, "/pickers/counties?province=07&county=07-15")
            .await;
        assert_eq!(one.status, 200);
        assert_eq!(one.body.matches("<optgroup").count(), 1, "{}", one.body);
        assert!(one.body.starts_with("<option value=\"\">"));
        assert!(one.body.contains("value=\"07-15\" selected"));
        assert!(!one.body.contains("value=\"13-24\""));
        let all = anyone.get(&app, "/pickers/counties?province=").await;
        assert!(all.body.matches("<optgroup").count() > 1);
    }
);

both_engines!(
    closing_a_program_asks_a_reason_and_audits_it,
    |db: TestDb| async move {
        let app = TestApp::spawn(db).await;
        let program = demo_program(&app).await;
        let mut admin = Visitor::staff_login(&app, "admin").await;
        let url = format!("/admin/programs/{program}/toggle");
        let confirm = admin.get(&app, &url).await;
        assert!(confirm.body.contains("name=\"reason\""));
        let token = Visitor::token(&confirm);
        let p = admin
            .post(
                &app,
                &url,
                &[("csrf", &token), ("active", "false"), ("confirm", "1")],
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("href=\"#f-reason\""));
        let active: i64 = sqlx::query_scalar("select is_active from program where id = $1")
            .bind(program)
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(active, 1, "nothing changed");
        let p = admin
            .post(
                &app,
                &url,
                &[
                    ("csrf", &token),
                    ("active", "false"),
                    ("confirm", "1"),
                    ("reason", "بودجهٔ سال تمام شد"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let detail = audited(&app, "program.deactivate", &program.to_string()).await;
        assert!(detail.contains("بودجهٔ سال تمام شد"), "{detail}");
    }
);
