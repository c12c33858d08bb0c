//! Configuration: built-in defaults, then `vamyar.toml` (or `--config FILE`), then
//! `VAMYAR_…` environment variables (`VAMYAR_SMS__PROVIDER=kavenegar` for nested keys),
//! then `DATABASE_URL`, then command-line flags. Secrets never appear in `Debug` output.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// A value that must not be printed (API keys, shared secrets).
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when no secret was configured.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"[redacted]\"")
        }
    }
}

/// Everything Vamyar can be configured with.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub addr: String,
    /// `sqlite://data/vamyar.db` (default) or `postgres://user@host/db`.
    pub database_url: String,
    /// Folder for the SQLite file, uploads and the SMS file.
    pub data_dir: PathBuf,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// Set when the site is reached over HTTPS (cookies get `Secure`).
    pub secure_cookies: bool,
    /// Largest document upload, in bytes.
    pub max_upload_bytes: usize,
    /// How often `serve` checks whether today's close of business is done (0: never).
    pub cob_check_minutes: u64,
    /// SMS delivery.
    pub sms: SmsConfig,
    /// The working calendar.
    pub calendar: CalendarConfig,
    /// The portfolio report's classes.
    pub reports: crate::reports_config::ReportsConfig,
    /// The HTTP front: reverse proxies, metrics.
    pub http: HttpConfig,
    /// Four eyes (maker–checker): which acts need a second person.
    pub four_eyes: vamyar_app::proposals::FourEyes,
    /// Rate limits (token buckets) and SMS budgets.
    pub limits: vamyar_web::auth::ratelimit::RateLimits,
    /// Set by `serve --demo` (never read from a file): the file SMS provider writes codes.
    #[serde(skip)]
    pub demo: bool,
}

/// The working calendar's settings (`[calendar]`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    /// The weekend days by English name: `["friday"]` (default) or
    /// `["thursday", "friday"]`. Due dates moved to a working day and service levels in
    /// working days skip them.
    pub weekend: Vec<String>,
    /// Whole working days after its due date before an unpaid installment is marked overdue
    /// by close of business (and the overdue notice is sent).
    pub overdue_after_working_days: u32,
    /// Working days the county's office head has to answer a complaint or appeal; past them,
    /// close of business escalates it to the province's administrators.
    pub complaint_working_days: u32,
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig {
            weekend: vec!["friday".into()],
            overdue_after_working_days: 1,
            complaint_working_days: 5,
        }
    }
}

impl CalendarConfig {
    /// The weekend days, read from their names (any case; `fri` also works). Fails on an
    /// unknown name or when all seven days are given.
    pub fn weekend_days(&self) -> Result<Vec<chrono::Weekday>, String> {
        let mut days = Vec::new();
        for name in &self.weekend {
            let day: chrono::Weekday = name
                .trim()
                .parse()
                .map_err(|_| format!("[calendar] weekend: `{name}` is not a day of the week"))?;
            if !days.contains(&day) {
                days.push(day);
            }
        }
        if days.len() == 7 {
            return Err("[calendar] weekend: at least one day must be a working day".into());
        }
        Ok(days)
    }
}

/// The HTTP front.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// CIDRs of the reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client.
    pub trusted_proxies: Vec<String>,
    /// Bearer token that `/metrics` requires (empty: `/metrics` answers 404).
    pub metrics_token: Secret,
    /// Password checks (Argon2) at once; past it logins answer 503. 0: twice the processors.
    pub password_check_permits: usize,
}

impl HttpConfig {
    /// The trusted proxies as networks, or the first entry that is not a CIDR or address.
    pub fn proxies(&self) -> Result<Vec<ipnet::IpNet>, String> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| p.clone())
            })
            .collect()
    }
}

/// How SMS messages leave the system.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    /// `file` (JSON lines in `data/sms.jsonl`), `kavenegar`, or `none`.
    pub provider: String,
    /// The file of the `file` provider; relative paths are under `data_dir`.
    pub file_path: PathBuf,
    /// Kavenegar API key (it travels in the URL path, so URLs are never logged).
    pub api_key: Secret,
    /// Base URL of the Kavenegar-compatible API.
    pub base_url: String,
    /// Sender line number, if the account has several.
    pub sender: String,
    /// Shared secret that the provider's inbound-SMS webhook must present.
    pub inbound_secret: Secret,
    /// A Kavenegar `verify/lookup` template for one-time codes (empty: plain SMS).
    pub verify_template: String,
    /// Whether `serve` runs the delivery worker (several servers may all run it).
    pub worker: bool,
    /// Pause of the worker when nothing is due, in milliseconds.
    pub interval_ms: u64,
    /// Messages claimed per step.
    pub batch: i64,
    /// Attempts before a transiently failing message is parked as failed.
    pub max_attempts: i64,
    /// The first retry's delay in seconds (doubling, with jitter, up to an hour).
    pub backoff_secs: i64,
    /// How long a worker's claim on a message lasts, in seconds.
    pub lease_secs: i64,
    /// Timeout of each provider call, in seconds.
    pub timeout_secs: u64,
    /// Quiet hours, Tehran time, `"HH:MM-HH:MM"`: only one-time login codes are sent then;
    /// reminders and notices wait, queued, until they end. Empty: none.
    pub quiet_hours: String,
}

impl SmsConfig {
    /// The quiet hours as `(from, until)`, `None` when empty; an error names a bad value.
    pub fn quiet_window(&self) -> Result<Option<(chrono::NaiveTime, chrono::NaiveTime)>, String> {
        let v = self.quiet_hours.trim();
        if v.is_empty() {
            return Ok(None);
        }
        let bad = || format!("[sms] quiet_hours: `{v}` is not HH:MM-HH:MM");
        let (from, until) = v.split_once('-').ok_or_else(bad)?;
        let time =
            |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
        Ok(Some((time(from)?, time(until)?)))
    }
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            provider: "file".into(),
            file_path: PathBuf::from("sms.jsonl"),
            api_key: Secret::default(),
            base_url: "https://api.kavenegar.com".into(),
            sender: String::new(),
            inbound_secret: Secret::default(),
            verify_template: String::new(),
            worker: true,
            interval_ms: 1000,
            batch: 50,
            max_attempts: 8,
            backoff_secs: 30,
            lease_secs: 60,
            timeout_secs: 10,
            quiet_hours: "21:00-08:00".into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: "127.0.0.1:8080".into(),
            database_url: "sqlite://data/vamyar.db".into(),
            data_dir: PathBuf::from("data"),
            log_format: "text".into(),
            secure_cookies: false,
            max_upload_bytes: 5 * 1024 * 1024,
            cob_check_minutes: 5,
            sms: SmsConfig::default(),
            calendar: CalendarConfig::default(),
            reports: Default::default(),
            http: HttpConfig::default(),
            limits: Default::default(),
            four_eyes: Default::default(),
            demo: false,
        }
    }
}

impl Config {
    /// Loads the layers. `file` is `--config`; without it `./vamyar.toml` is read if present.
    pub fn load(file: Option<&Path>) -> Result<Config, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("vamyar.toml")),
        }
        figment = figment
            .merge(
                Env::prefixed("VAMYAR_")
                    .filter(|key| is_config_key(key.as_str()))
                    .split("__"),
            )
            .merge(Env::raw().only(&["database_url"]));
        let config: Config = figment.extract().map_err(Box::new)?;
        config
            .calendar
            .weekend_days()
            .map_err(|e| Box::new(figment::Error::from(e)))?;
        config
            .reports
            .classes()
            .map_err(|e| Box::new(figment::Error::from(e)))?;
        config
            .sms
            .quiet_window()
            .map_err(|e| Box::new(figment::Error::from(e)))?;
        Ok(config)
    }

    /// The top-level keys, so that unrelated `VAMYAR_…` variables (`VAMYAR_PASSWORD`, test
    /// settings) are not mistaken for configuration.
    pub const KEYS: &'static [&'static str] = &[
        "addr",
        "database_url",
        "data_dir",
        "log_format",
        "secure_cookies",
        "max_upload_bytes",
        "cob_check_minutes",
        "sms",
        "calendar",
        "reports",
        "http",
        "limits",
    ];

    /// The path of a file under `data_dir` unless it is absolute.
    pub fn data_path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.data_dir.join(p)
        }
    }
}

fn is_config_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let top = key.split("__").next().unwrap_or_default();
    Config::KEYS.contains(&top)
}

/// A commented configuration file with every default, for `vamyar default-config`.
pub const DEFAULT_CONFIG_TOML: &str = r#"# Vamyar configuration. Every value below is the default; delete what you don't change.
# Each key can also be set in the environment: VAMYAR_ADDR, VAMYAR_DATABASE_URL,
# VAMYAR_SMS__PROVIDER (two underscores for nested keys). DATABASE_URL also works.

# Address to listen on.
addr = "127.0.0.1:8080"

# The database: embedded SQLite (one server) or PostgreSQL (production, several servers).
# database_url = "postgres://vamyar@127.0.0.1:5432/vamyar"
database_url = "sqlite://data/vamyar.db"

# Folder for the SQLite file, uploaded documents and the SMS file.
data_dir = "data"

# "text" for people, "json" for log collectors.
log_format = "text"

# Cookies get the Secure flag and answers carry HSTS whenever the site is not plain HTTP on
# loopback: when `addr` is not a loopback address, or trusted_proxies is not empty (TLS ends
# at the proxy). Set to true to force them on a loopback address too.
secure_cookies = false

# Largest document upload, in bytes (5 MiB).
max_upload_bytes = 5242880

# Every so many minutes `serve` runs close of business for today (Tehran) unless it is done;
# several servers take turns through a lease. 0 turns the daily run off (use `vamyar cob`).
cob_check_minutes = 5

[sms]
# "file": every message is appended as one JSON line to data_dir/file_path, so a demo shows
#         exactly what would be sent. "kavenegar": a Kavenegar-compatible HTTP API. "none".
provider = "file"
file_path = "sms.jsonl"
# Kavenegar API key. It is part of the URL path of every call, so Vamyar never logs URLs.
api_key = ""
base_url = "https://api.kavenegar.com"
# Sender line, if your account has several.
sender = ""
# Shared secret that the provider's inbound-SMS webhook must send (X-Sms-Secret header,
# or ?secret= in the webhook URL). Empty: /api/v1/sms/inbound refuses everything.
inbound_secret = ""
# Kavenegar verify/lookup template for one-time codes; empty sends them as plain SMS.
verify_template = ""
# The delivery worker: `serve` runs it (also `vamyar notify run`). Several servers on one
# PostgreSQL database share the queue without sending anything twice.
worker = true
# Pause when nothing is due, in milliseconds.
interval_ms = 1000
# Messages claimed per step.
batch = 50
# Attempts before a message that keeps failing transiently is parked as failed.
max_attempts = 8
# First retry delay in seconds; it doubles with each attempt (with jitter), up to an hour.
backoff_secs = 30
# How long a worker's claim lasts; a worker that dies mid-send is replaced after it.
lease_secs = 60
# Timeout of each provider call, in seconds.
timeout_secs = 10
# Quiet hours, Tehran time: only one-time login codes are sent between them; reminders,
# overdue notices and every other message stay queued and go out when they end (nothing is
# dropped). Empty: send at any hour.
quiet_hours = "21:00-08:00"

[calendar]
# The weekend: due dates that fall on it move to the next working day, and service levels
# count working days without it. ["friday"], or ["thursday", "friday"] where offices and
# branches also close on Thursday. Holidays come on top (fixed solar ones are built in,
# lunar ones are imported: `vamyar import holidays FILE`).
weekend = ["friday"]
# An unpaid installment is marked overdue (and the overdue notice sent) only after this many
# whole working days past its due date, so a payment made at the branch on the due date has
# time to arrive. 0: the day after the due date.
overdue_after_working_days = 1
# The county's office head answers a complaint or appeal within this many working days;
# past them, close of business tells the province's administrators.
complaint_working_days = 5

[four_eyes]
# Acts that a second person must confirm before they happen (maker–checker): the proposal
# waits this many working days, then expires (close of business marks it).
expiry_working_days = 3
# Acceleration (proposed by the office head; confirmed by the province admin or another
# office head of the county).
accelerate = true
# Payment reversal (proposed by a bank officer; confirmed by another officer of that bank).
reversal = true
# Administrative changes, off by default: when on, the change is checked at once (every
# field error answered) and waits, as a pending proposal, for a second person with the same
# authority (GET /api/v1/changes, the desk's «تأییدهای در انتظار»).
# A province's quota under a memorandum (another holder of the province's quota authority).
quota = false
# A staff account's role or place (another who manages staff where it is and where it goes;
# a new display name alone is saved at once).
staff_role = false
# A program's settings (another national administrator).
program = false
# A new memorandum (another national administrator).
memorandum = false

[reports] # the central bank's classes by days past due: past due, deferred, doubtful
overdue_days = 60
deferred_days = 180
doubtful_days = 540

[http]
# Reverse proxies (CIDRs) whose Forwarded / X-Forwarded-For headers name the client, e.g.
# ["127.0.0.1/32", "::1/128"] for nginx on the same machine. Other peers' headers are ignored.
trusted_proxies = []
# Bearer token that GET /metrics requires (Authorization: Bearer …). Empty: /metrics is off.
metrics_token = ""
# Password checks (Argon2, ~19 MiB each) at once; past it logins answer 503 at once.
# 0: twice the number of processors (at least 4).
password_check_permits = 0

# Rate limits are token buckets: `max` requests at once, refilled one every
# window_secs / max seconds. Past a limit the answer is 429 with Retry-After (code requests
# past the per-recipient and per-mobile SMS budgets still answer 202 but send nothing).
[limits]
login_per_ip = { max = 30, window_secs = 900 }
login_per_account_ip = { max = 10, window_secs = 900 }
otp_request_per_ip = { max = 10, window_secs = 900 }
otp_sms_per_recipient = { max = 3, window_secs = 900 }
otp_verify_per_ip = { max = 30, window_secs = 900 }
otp_sms_per_mobile = { max = 5, window_secs = 3600 }
otp_sms_global = { max = 2000, window_secs = 3600 }
register_per_ip = { max = 20, window_secs = 3600 }
track_per_ip = { max = 30, window_secs = 900 }
validate_per_ip = { max = 60, window_secs = 900 }
upload_per_ip = { max = 60, window_secs = 900 }
"#;

#[cfg(test)]
mod tests;
