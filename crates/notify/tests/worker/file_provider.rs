//! The file provider (for a demo or a drill without a provider): one line per message, found again
//! after a crash, codes only in a demo.

use super::*;

both_engines!(
    the_file_provider_writes_one_line_per_message_and_finds_it_after_a_crash,
    |t: TestDb| async move {
        let path = t.scratch_folder().join("sms.jsonl");
        let file = FileProvider::new(&path);
        let provider: Arc<dyn SmsProvider> = Arc::new(file.clone());
        let ids = [
            queue(&t, 1, "09121234567").await,
            queue(&t, 2, "09121234568").await,
        ];
        // a worker claims both, writes the first line and dies
        let dead = Worker::new(t.db.clone(), provider.clone(), WorkerConfig::default());
        dead.claim_only().await.unwrap();
        file.send(&Sms {
            local_id: ids[0],
            to: "09121234567".into(),
            text: "written before the crash".into(),
            kind: "approved".into(),
            application_id: None,
            otp_code: None,
        })
        .await
        .unwrap();
        time_passes(&t).await;
        let w = Worker::new(t.db.clone(), provider, WorkerConfig::default());
        assert_eq!(w.drain().await.unwrap(), 2);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0]["outbox_id"], ids[0]);
        assert_eq!(lines[1]["outbox_id"], ids[1]);
        assert_eq!(lines[1]["to"], "09121234568");
        assert_eq!(lines[1]["kind"], "approved");
        assert!(
            lines[1]["text"]
                .as_str()
                .unwrap()
                .contains("۴۸۲۹-۱۳۵۷-۰۱۶۴")
        );
        assert!(lines[1]["at"].is_string() && lines[1].get("application_id").is_some());
        for id in ids {
            assert_eq!(row(&t, id).await.0, "sent");
        }
    }
);

both_engines!(
    the_file_provider_writes_codes_only_in_a_demo,
    |t: TestDb| async move {
        let code_sms = |id: i64| Sms {
            local_id: id,
            to: "09121234567".into(),
            text: "کد ورود وام‌یار: ۴۹۳۸۱۷".into(),
            kind: "otp".into(),
            application_id: None,
            otp_code: Some("493817".into()),
        };
        let plain = t.scratch_folder().join("plain.jsonl");
        FileProvider::new(&plain).send(&code_sms(1)).await.unwrap();
        let text = std::fs::read_to_string(&plain).unwrap();
        assert!(
            !text.contains("۴۹۳۸۱۷") && !text.contains("493817"),
            "{text}"
        );
        assert!(text.contains("withheld"), "{text}");
        let demo = t.scratch_folder().join("demo.jsonl");
        FileProvider::new(&demo)
            .with_codes()
            .send(&code_sms(2))
            .await
            .unwrap();
        assert!(std::fs::read_to_string(&demo).unwrap().contains("۴۹۳۸۱۷"));
    }
);
