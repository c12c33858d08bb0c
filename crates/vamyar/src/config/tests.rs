//! The configuration's layers, defaults and refusals.

use super::*;

#[test]
fn the_printed_default_file_is_the_defaults() {
    let parsed: Config = Figment::from(Serialized::defaults(Config::default()))
        .merge(Toml::string(DEFAULT_CONFIG_TOML))
        .extract()
        .unwrap();
    assert_eq!(parsed, Config::default());
}

#[test]
fn the_weekend_is_read_by_name() {
    let c = CalendarConfig {
        weekend: vec!["Thursday".into(), "friday".into()],
        ..Default::default()
    };
    assert_eq!(
        c.weekend_days(),
        Ok(vec![chrono::Weekday::Thu, chrono::Weekday::Fri])
    );
    assert_eq!(
        CalendarConfig::default().weekend_days(),
        Ok(vec![chrono::Weekday::Fri])
    );
    let bad = CalendarConfig {
        weekend: vec!["jomeh".into()],
        ..Default::default()
    };
    assert!(bad.weekend_days().unwrap_err().contains("jomeh"));
    let all = CalendarConfig {
        weekend: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .map(String::from)
            .to_vec(),
        ..Default::default()
    };
    assert!(all.weekend_days().is_err());
    let parsed: Config = Figment::from(Serialized::defaults(Config::default()))
        .merge(Toml::string(
            "[calendar]\nweekend = [\"thursday\", \"friday\"]\n",
        ))
        .extract()
        .unwrap();
    assert_eq!(parsed.calendar.weekend, ["thursday", "friday"]);
}

#[test]
fn quiet_hours_are_read() {
    let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        SmsConfig::default().quiet_window(),
        Ok(Some((t(21, 0), t(8, 0))))
    );
    let mut c = SmsConfig {
        quiet_hours: String::new(),
        ..Default::default()
    };
    assert_eq!(c.quiet_window(), Ok(None));
    c.quiet_hours = "22:30 - 07:15".into();
    assert_eq!(c.quiet_window(), Ok(Some((t(22, 30), t(7, 15)))));
    c.quiet_hours = "late".into();
    assert!(c.quiet_window().is_err());
}

#[test]
fn secrets_are_redacted_in_debug_output() {
    let mut c = Config::default();
    c.sms.api_key = Secret("abc123-very-secret".into());
    let shown = format!("{c:?}");
    assert!(!shown.contains("abc123"), "{shown}");
    assert!(shown.contains("[redacted]"));
}

#[test]
#[allow(clippy::result_large_err)]
fn environment_overrides_the_file() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "vamyar.toml",
            "addr = \"0.0.0.0:9000\"\n[sms]\nprovider = \"none\"\n",
        )?;
        jail.set_env("VAMYAR_SMS__PROVIDER", "kavenegar");
        jail.set_env("DATABASE_URL", "postgres://x@h/db");
        jail.set_env("VAMYAR_PASSWORD", "not configuration");
        jail.set_env("VAMYAR_TEST_SOMETHING", "not configuration either");
        let c = Config::load(None).map_err(|e| e.to_string())?;
        assert_eq!(c.addr, "0.0.0.0:9000");
        assert_eq!(c.sms.provider, "kavenegar");
        assert_eq!(c.database_url, "postgres://x@h/db");
        Ok(())
    });
}
