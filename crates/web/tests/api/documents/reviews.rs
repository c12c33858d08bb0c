//! Reviews of uploaded documents: a file whose required documents are all accepted moves on to
//! counselling.

use super::*;

both_engines!(
    reviews_move_the_file_to_counselling,
    |db: TestDb| async move {
        let (app, _) = spawn(db).await;
        let desk = staff(&app, "desk_clerk").await;
        let social = staff(&app, "social_worker").await;
        let expert = staff(&app, "employment_expert").await;
        let id = approved_file(&app, &desk, &social, "0076229645").await;
        let mut docs = Vec::new();
        for kind in REQUIRED {
            docs.push(upload_pdf(&app, &desk, id, kind).await);
        }
        let card = docs[0];

        // who may review: 403 for the desk, 404 outside the county or for a bank
        let (status, _) = review(&app, &desk, card, json!({"decision": "accept"})).await;
        assert_eq!(status, 403);
        let (other, _) = staff_in(&app, "social_worker", Some("07-02"), None).await;
        let (status, _) = review(&app, &other, card, json!({"decision": "accept"})).await;
        assert_eq!(status, 404);
        let (status, _) = review(&app, &social, 999_999, json!({"decision": "accept"})).await;
        assert_eq!(status, 404);
        let (status, body) = review(&app, &social, card, json!({"decision": "maybe"})).await;
        assert_eq!(
            (status, field_code(&body, "decision")),
            (422, "invalid_choice".to_string())
        );

        // a rejection needs a reason, is announced, and gives the stage back to the applicant
        let (status, body) = review(
            &app,
            &social,
            card,
            json!({"decision": "reject", "reason": "  "}),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(field_code(&body, "reason"), "reason_required");
        assert_eq!(stage_owner(&app, id).await, "agency");
        let (status, doc) = review(
            &app,
            &social,
            card,
            json!({"decision": "reject", "reason": "تصویر ناخوانا است"}),
        )
        .await;
        assert_eq!(status, 200, "{doc}");
        assert_eq!(doc["status"], "rejected");
        assert_eq!(doc["reason"], "تصویر ناخوانا است");
        assert!(doc["reviewed_at"].is_string());
        assert_eq!(stage_owner(&app, id).await, "applicant");
        let (payload, key): (String, Option<String>) = sqlx::query_as("select payload, dedupe_key from outbox where application_id = $1 and event = 'document_rejected'")
        .bind(id)
        .fetch_one(app.db.db.pool())
        .await
        .unwrap();
        assert_eq!(
            key.as_deref(),
            Some(format!("document:{card}:rejected").as_str())
        );
        let payload: Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(payload["notice"]["document_kind"], "national_card");
        assert_eq!(payload["notice"]["reason"], "تصویر ناخوانا است");
        let (status, body) = review(&app, &social, card, json!({"decision": "accept"})).await;
        assert_eq!(status, 409);
        assert_eq!(body["error"]["code"], "document_not_pending");

        // the applicant's side replaces the rejected document
        let new_card = upload_pdf(&app, &desk, id, "national_card").await;
        let (_, list) = get(&app, &desk, &format!("/api/v1/applications/{id}/documents")).await;
        let status_of = |doc: i64| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|d| d["id"] == doc)
                .unwrap()["status"]
                .clone()
        };
        assert_eq!(status_of(card), "replaced");
        assert_eq!(status_of(new_card), "pending");
        assert_eq!(stage_owner(&app, id).await, "agency");

        // accepting every required kind (social worker and expert) moves the file on
        let (status, _) = review(&app, &social, new_card, json!({"decision": "accept"})).await;
        assert_eq!(status, 200);
        let (status, _) = review(&app, &expert, docs[1], json!({"decision": "accept"})).await;
        assert_eq!(status, 200);
        assert_eq!(file_state(&app, &social, id).await, "documents_pending");
        let (status, doc) = review(
            &app,
            &social,
            docs[2],
            json!({"decision": "accept", "reason": "ok"}),
        )
        .await;
        assert_eq!(status, 200, "{doc}");
        assert_eq!(doc["status"], "accepted");
        assert_eq!(file_state(&app, &social, id).await, "counselling");
        let (_, history) = get(&app, &social, &format!("/api/v1/applications/{id}/history")).await;
        let last = history.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "documents_complete");
        assert_eq!(last["actor_kind"], "system");
        let events: Vec<String> =
            sqlx::query_scalar("select event from outbox where application_id = $1 order by id")
                .bind(id)
                .fetch_all(app.db.db.pool())
                .await
                .unwrap();
        assert_eq!(events.last().unwrap(), "documents_complete");
        assert_eq!(audit_count(&app, "document.accept").await, 3);
        assert_eq!(audit_count(&app, "document.reject").await, 1);
        assert_eq!(audit_count(&app, "application.documents_complete").await, 1);

        // no more uploads once in counselling
        let (status, body) =
            upload_as(&app, &desk, id, "photo", JPEG, "me.jpg", "image/jpeg").await;
        assert_eq!(status, 409);
        assert_eq!(body["error"]["code"], "invalid_state");

        // download: the same bytes, as an attachment that is never sniffed or cached
        let res = app
            .client
            .get(app.url(&format!("/api/v1/documents/{}/content", docs[2])))
            .bearer_auth(&social)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let h = res.headers().clone();
        assert_eq!(h["content-type"], "application/pdf");
        assert_eq!(
            h["content-disposition"],
            format!("attachment; filename=\"document-{}.pdf\"", docs[2]).as_str()
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "no-store");
        let bytes = res.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-1.4\n% business_plan"));
        let stored: String = sqlx::query_scalar("select sha256 from document where id = $1")
            .bind(docs[2])
            .fetch_one(app.db.db.pool())
            .await
            .unwrap();
        assert_eq!(vamyar_store::document::sha256_hex(&bytes), stored);
        let (status, _) = get(
            &app,
            &other,
            &format!("/api/v1/documents/{}/content", docs[2]),
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = get(&app, &social, "/api/v1/documents/999999/content").await;
        assert_eq!(status, 404);

        vamyar_store::audit::seal_all(&app.db.db).await.unwrap();
        assert!(
            vamyar_store::audit::verify(&app.db.db)
                .await
                .unwrap()
                .problems
                .is_empty()
        );
    }
);
