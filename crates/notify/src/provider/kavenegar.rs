//! A Kavenegar-compatible HTTP provider (research notes §2.8).
//!
//! Calls are form-encoded POSTs to `{base_url}/v1/{API-KEY}/{scope}/{method}.json`. The API
//! key is part of the URL path, so **no URL is ever logged or put in an error**: errors carry
//! the method name and the provider's status code only, and transport errors are described
//! by their kind (timeout, connection) without reqwest's text, which would include the URL.
//!
//! - `sms/send` with `receptor`, `message`, `sender` (when configured) and `localid` = the
//!   outbox id, the idempotency key the worker looks up after a crash;
//! - `sms/statuslocalmessageid` with `localid`: was a message with this local id accepted?
//! - `sms/status` with up to 500 comma-separated `messageid`s: delivery reports;
//! - `verify/lookup` with `receptor`, `template`, `token` for one-time codes, when a template
//!   name is configured (template lines are not blocked by opt-outs). The verify API takes no
//!   local id, so a code sent through it cannot be looked up after a crash; codes expire in
//!   minutes, and a duplicate code is harmless.
//!
//! Every `return.status` code is mapped by [`classify`]: 409 (busy), 402 (operation failed)
//! and HTTP 5xx are transient; the others (400 incomplete, 401 account disabled, 403 bad key,
//! 404/405 wrong method, 406 empty parameters, 407/416 IP not allowed, 411 invalid receptor,
//! 412 invalid sender, 413 message too long, 414 too many records, 417 bad date, 418 no
//! credit, 419 array lengths, 422 invalid characters, 424 template, 426 plan, 428/431/432
//! tokens, 430 KYC) are permanent: retrying cannot help until somebody acts, and staff can
//! requeue a failed message then.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::{Accepted, BoxFuture, Delivery, Lookup, SendError, Sms, SmsProvider};

/// How to reach a Kavenegar-compatible API.
#[derive(Clone)]
pub struct KavenegarConfig {
    /// `https://api.kavenegar.com` (no trailing slash needed).
    pub base_url: String,
    /// The API key (secret: it travels in the URL path).
    pub api_key: String,
    /// The sender line, if the account has several.
    pub sender: Option<String>,
    /// Timeout of each call.
    pub timeout: Duration,
    /// A `verify/lookup` template for one-time codes; `None` sends them as plain SMS.
    pub verify_template: Option<String>,
}

impl fmt::Debug for KavenegarConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KavenegarConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &"[redacted]")
            .field("sender", &self.sender)
            .field("timeout", &self.timeout)
            .field("verify_template", &self.verify_template)
            .finish()
    }
}

/// The HTTP provider.
#[derive(Clone, Debug)]
pub struct KavenegarProvider {
    client: reqwest::Client,
    config: KavenegarConfig,
}

/// What a `return.status` code means for a send.
pub fn classify(code: i64) -> SendError {
    let meaning = match code {
        400 => "parameters incomplete",
        401 => "account disabled",
        402 => "operation failed",
        403 => "invalid API key",
        404 => "method not found",
        405 => "wrong HTTP method",
        406 => "required parameters empty",
        407 => "access denied (IP not allowed)",
        409 => "server busy",
        411 => "invalid receptor",
        412 => "invalid sender",
        413 => "message empty or too long",
        414 => "request too large",
        416 => "caller IP mismatch",
        417 => "invalid send date",
        418 => "insufficient credit",
        419 => "array lengths differ",
        422 => "invalid characters",
        424 => "template not found or not approved",
        426 => "needs an advanced plan",
        428 => "voice code needs a numeric token",
        430 => "account not verified",
        431 => "token format invalid",
        432 => "token missing in template",
        500..=599 => "provider error",
        _ => "unexpected status",
    };
    let reason = format!("kavenegar {code}: {meaning}");
    if code == 409 || code == 402 || (500..=599).contains(&code) {
        SendError::Transient(reason)
    } else {
        SendError::Permanent(reason)
    }
}

/// A transport error, described without its URL.
fn transport(method: &str, e: &reqwest::Error) -> SendError {
    let what = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "answer cut short"
    } else {
        "network error"
    };
    SendError::Transient(format!("kavenegar {method}: {what}"))
}

impl KavenegarProvider {
    /// A provider with its own HTTP client (rustls, the configured timeout).
    pub fn new(config: KavenegarConfig) -> Result<KavenegarProvider, SendError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|_| SendError::Permanent("cannot build the HTTP client".into()))?;
        Ok(KavenegarProvider { client, config })
    }

    /// Calls `{scope}/{method}.json` and returns the answer's body when `return.status`
    /// is 200.
    async fn call(&self, method: &str, form: &[(&str, String)]) -> Result<Value, SendError> {
        let url = format!(
            "{}/v1/{}/{method}.json",
            self.config.base_url.trim_end_matches('/'),
            self.config.api_key
        );
        let res = self
            .client
            .post(url)
            .form(form)
            .send()
            .await
            .map_err(|e| transport(method, &e))?;
        let http = i64::from(res.status().as_u16());
        let body = res.text().await.map_err(|e| transport(method, &e))?;
        let parsed: Option<Value> = serde_json::from_str(&body).ok();
        let code = parsed
            .as_ref()
            .and_then(|v| v.pointer("/return/status"))
            .and_then(Value::as_i64);
        match (code, parsed) {
            (Some(200), Some(v)) => Ok(v),
            (Some(code), _) => Err(classify(code)),
            (None, _) if (200..300).contains(&http) => Err(SendError::Transient(format!(
                "kavenegar {method}: unreadable answer"
            ))),
            (None, _) => Err(classify(http)),
        }
    }

    fn first_entry(v: &Value) -> Option<&Value> {
        v.get("entries").and_then(|e| match e {
            Value::Array(a) => a.first(),
            Value::Object(_) => Some(e),
            _ => None,
        })
    }

    fn message_id(entry: &Value) -> Option<String> {
        match entry.get("messageid")? {
            Value::Number(n) if n.as_i64() != Some(0) => Some(n.to_string()),
            Value::String(s) if !s.is_empty() && s != "0" => Some(s.clone()),
            _ => None,
        }
    }
}

impl SmsProvider for KavenegarProvider {
    fn name(&self) -> &str {
        "kavenegar"
    }

    fn send<'a>(&'a self, sms: &'a Sms) -> BoxFuture<'a, Result<Accepted, SendError>> {
        Box::pin(async move {
            let answer = match (&self.config.verify_template, &sms.otp_code) {
                (Some(template), Some(code)) if sms.kind == "otp" => {
                    let form = [
                        ("receptor", sms.to.clone()),
                        ("template", template.clone()),
                        ("token", code.clone()),
                    ];
                    self.call("verify/lookup", &form).await?
                }
                _ => {
                    let mut form = vec![
                        ("receptor", sms.to.clone()),
                        ("message", sms.text.clone()),
                        ("localid", sms.local_id.to_string()),
                    ];
                    if let Some(sender) = &self.config.sender {
                        form.push(("sender", sender.clone()));
                    }
                    self.call("sms/send", &form).await?
                }
            };
            let entry = Self::first_entry(&answer).ok_or_else(|| {
                SendError::Transient("kavenegar send: answer without entries".into())
            })?;
            let message_id = Self::message_id(entry).ok_or_else(|| {
                SendError::Transient("kavenegar send: answer without a message id".into())
            })?;
            let delivery = entry
                .get("status")
                .and_then(Value::as_i64)
                .map(Delivery::from_code);
            Ok(Accepted {
                message_id,
                delivery,
            })
        })
    }

    fn lookup_local_id(&self, local_id: i64) -> BoxFuture<'_, Result<Lookup, SendError>> {
        Box::pin(async move {
            let answer = self
                .call(
                    "sms/statuslocalmessageid",
                    &[("localid", local_id.to_string())],
                )
                .await?;
            let Some(entry) = Self::first_entry(&answer) else {
                return Ok(Lookup::NotFound);
            };
            let status = entry.get("status").and_then(Value::as_i64);
            match (Self::message_id(entry), status) {
                (Some(message_id), s) if s != Some(100) => Ok(Lookup::Accepted(Accepted {
                    message_id,
                    delivery: s.map(Delivery::from_code),
                })),
                _ => Ok(Lookup::NotFound),
            }
        })
    }

    fn status<'a>(
        &'a self,
        message_ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<(String, Delivery)>, SendError>> {
        Box::pin(async move {
            if message_ids.is_empty() {
                return Ok(Vec::new());
            }
            let answer = self
                .call("sms/status", &[("messageid", message_ids.join(","))])
                .await?;
            let entries = answer
                .get("entries")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            Ok(entries
                .iter()
                .filter_map(|e| {
                    let id = Self::message_id(e)?;
                    let code = e.get("status").and_then(Value::as_i64)?;
                    Some((id, Delivery::from_code(code)))
                })
                .collect())
        })
    }

    fn status_batch(&self) -> usize {
        500
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_and_server_errors_are_transient_and_the_rest_permanent() {
        for code in [409, 402, 500, 502, 503] {
            assert!(classify(code).is_transient(), "{code}");
        }
        for code in [
            400, 401, 403, 404, 405, 406, 407, 411, 412, 413, 414, 416, 417, 418, 419, 422, 424,
            426, 428, 430, 431, 432, 499,
        ] {
            assert!(!classify(code).is_transient(), "{code}");
        }
        assert_eq!(classify(411).reason(), "kavenegar 411: invalid receptor");
    }

    #[test]
    fn the_api_key_is_not_in_debug_output() {
        let c = KavenegarConfig {
            base_url: "https://api.kavenegar.com".into(),
            api_key: "SECRET-KEY-123".into(),
            sender: None,
            timeout: Duration::from_secs(5),
            verify_template: None,
        };
        assert!(!format!("{c:?}").contains("SECRET-KEY-123"));
    }
}
