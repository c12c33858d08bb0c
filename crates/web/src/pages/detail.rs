//! Everything a file page shows, gathered through the same handlers and services as the API
//! (`files::view::render`, the history, messages, documents and counselling handlers), and
//! turned into display rows: Jalali dates, tomans, translated names.

use vamyar_domain::vocab::DocumentStatus;
use vamyar_domain::workflow::State as FileState;
use vamyar_i18n::Lang;

use super::fmt;
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::AppResult;
use crate::files::view::FileView;
use crate::files::{FileContext, Rules};
use vamyar_app::documents::{REVIEW_STATES, UPLOAD_STATES};
use vamyar_app::files::guard::in_states;

/// A label and a value.
#[derive(Clone, Debug)]
pub struct Pair {
    /// What.
    pub label: String,
    /// Its value.
    pub value: String,
}

impl Pair {
    /// True when the value is an identifier shown isolated left to right ([`fmt::is_code`]).
    pub fn is_code(&self) -> bool {
        fmt::is_code(&self.value)
    }
}

/// One document as listed.
#[derive(Clone, Debug)]
pub struct DocRow {
    /// Id (for the link and the review form).
    pub id: i64,
    /// Kind's name.
    pub kind: String,
    /// Status's name.
    pub status: String,
    /// The raw status (`pending`, …) for styling.
    pub status_code: String,
    /// The uploader's file name.
    pub file_name: String,
    /// When uploaded.
    pub uploaded: String,
    /// Why rejected.
    pub reason: Option<String>,
    /// Whether it still awaits review.
    pub pending: bool,
}

/// One required document kind and where it stands.
#[derive(Clone, Debug)]
pub struct Needed {
    /// The kind (form value).
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its latest status's name, or "missing".
    pub status: String,
    /// The raw status, or `missing`.
    pub status_code: String,
}

/// One line of history.
#[derive(Clone, Debug)]
pub struct HistRow {
    /// When.
    pub at: String,
    /// The action's name.
    pub action: String,
    /// The state reached.
    pub to: String,
    /// Who (staff username, for staff viewers).
    pub actor: String,
    /// The reason given, told to the applicant.
    pub reason: Option<String>,
    /// An internal note (staff viewers only).
    pub note: Option<String>,
}

/// One message sent about the file.
#[derive(Clone, Debug)]
pub struct MsgRow {
    /// When queued.
    pub at: String,
    /// What it says (its text when the notify crate renders it, else the event's name).
    pub text: String,
    /// Delivery status's name.
    pub status: String,
}

/// A stage of the applicant's timeline.
#[derive(Clone, Debug)]
pub struct Stage {
    /// Its name.
    pub name: String,
    /// `done`, `current` or `todo`.
    pub mark: &'static str,
    /// When it was reached.
    pub on: String,
}

/// A file with everything its pages show.
pub struct Detail {
    /// The file as the API returns it.
    pub view: FileView,
    /// The loaded file.
    pub file: FileContext,
    /// Its program's settings.
    pub settings: vamyar_app::files::ProgramSettings,
    /// Documents, newest kinds last.
    pub documents: Vec<DocRow>,
    /// The required kinds and their status.
    pub needed: Vec<Needed>,
    /// History, oldest first.
    pub history: Vec<HistRow>,
    /// Messages, oldest first.
    pub messages: Vec<MsgRow>,
    /// Uploads are possible now.
    pub can_upload: bool,
    /// Reviews are possible now (state; the role is checked by the service).
    pub can_review: bool,
}

/// The journey's stages in order, for the timeline.
const JOURNEY: [FileState; 9] = [
    FileState::Submitted,
    FileState::DocumentsPending,
    FileState::Counselling,
    FileState::AwaitingReferral,
    FileState::Referred,
    FileState::GuaranteesPending,
    FileState::BankApproved,
    FileState::Active,
    FileState::Closed,
];

impl Detail {
    /// The file's state.
    pub fn state(&self) -> &str {
        &self.view.state
    }

    /// The timeline: every stage of the journey, done, current or still to come; a file that
    /// left the journey (returned, rejected, withdrawn) shows its state as the current one.
    pub fn timeline(&self, lang: Lang) -> Vec<Stage> {
        let state = self.state().to_string();
        let reached = |s: &str| -> Option<String> {
            self.history
                .iter()
                .rev()
                .find(|h| h.to == fmt::state(lang, s))
                .map(|h| h.at.clone())
        };
        let pos = JOURNEY.iter().position(|s| s.as_str() == state);
        let mut out = Vec::new();
        let mut passed = true;
        for (i, s) in JOURNEY.iter().enumerate() {
            let mark = match pos {
                Some(p) if i < p => "done",
                Some(p) if i == p => "current",
                Some(_) => "todo",
                None => {
                    if reached(s.as_str()).is_none() {
                        passed = false;
                    }
                    if passed { "done" } else { "todo" }
                }
            };
            out.push(Stage {
                name: fmt::state(lang, s.as_str()),
                mark,
                on: if mark == "todo" {
                    String::new()
                } else {
                    reached(s.as_str()).unwrap_or_default()
                },
            });
        }
        if pos.is_none() {
            out.push(Stage {
                name: fmt::state(lang, &state),
                mark: "current",
                on: self
                    .history
                    .last()
                    .map(|h| h.at.clone())
                    .unwrap_or_default(),
            });
        }
        out
    }
}

/// The text of a message: the notify crate's rendering of its payload (the very SMS text)
/// when it can, else the event's name.
fn message_text(lang: Lang, event: &str, payload: &str) -> String {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|p| vamyar_notify::render::render(event, &p, lang).ok())
        .unwrap_or_else(|| fmt::event(lang, event))
}

/// Loads a file the caller may see (404 otherwise) with everything its page shows.
pub async fn load(
    state: &AppState,
    current: &CurrentActor,
    id: i64,
    lang: Lang,
) -> AppResult<Detail> {
    let ctx = &state.ctx;
    let actor = &current.actor;
    let file = crate::files::visible_file(ctx, actor, id).await?;
    let rules = Rules::load(ctx, file.app.program_id).await?;
    let settings = &rules.settings;
    let view = crate::files::view::render(ctx, actor, &file, &rules).await?;
    let docs = vamyar_app::documents::list(ctx, actor, id).await?;
    let hist = vamyar_app::files::history::history(ctx, actor, id).await?;
    // the same rows as `GET …/messages`, with their payloads, to show the texts sent
    let msgs = vamyar_store::outbox::for_application(state.db.pool(), id).await?;
    let documents: Vec<DocRow> = docs
        .iter()
        .filter(|d| d.status != DocumentStatus::Replaced)
        .map(|d| DocRow {
            id: d.id,
            kind: fmt::doc_kind(lang, &d.kind),
            status: fmt::doc_status(lang, d.status.as_str()),
            status_code: d.status.to_string(),
            file_name: d.file_name.clone(),
            uploaded: fmt::date(lang, &d.created_at),
            reason: d.reason.clone(),
            pending: d.status == DocumentStatus::Pending,
        })
        .collect();
    let needed = settings
        .required_documents
        .iter()
        .map(|k| {
            let latest = docs
                .iter()
                .rfind(|d| &d.kind == k && d.status != DocumentStatus::Replaced);
            let code = latest.map_or("missing", |d| d.status.as_str()).to_string();
            Needed {
                kind: k.clone(),
                name: fmt::doc_kind(lang, k),
                status: fmt::doc_status(lang, &code),
                status_code: code,
            }
        })
        .collect();
    let history = hist
        .into_iter()
        .map(|h| HistRow {
            at: fmt::datetime(lang, &h.at),
            action: fmt::action(lang, &h.action),
            to: fmt::state(lang, &h.to),
            // who acted, by kind (staff, applicant, system): usernames are not shown
            actor: fmt::role(lang, &format!("kind-{}", h.actor_kind)),
            reason: h.reason,
            note: h.note,
        })
        .collect();
    let messages = msgs
        .into_iter()
        .filter(|m| m.event != vamyar_store::otp::OUTBOX_EVENT)
        .map(|m| MsgRow {
            at: fmt::datetime(lang, &m.created_at),
            text: message_text(lang, &m.event, &m.payload),
            status: fmt::doc_status(lang, &format!("msg-{}", m.status)),
        })
        .collect();
    let can_upload = in_states(file.app.state, &UPLOAD_STATES);
    let can_review = in_states(file.app.state, &REVIEW_STATES);
    Ok(Detail {
        view,
        file,
        settings: rules.settings.clone(),
        documents,
        needed,
        history,
        messages,
        can_upload,
        can_review,
    })
}

/// One action the caller may take, with the form it needs.
#[derive(Clone, Debug)]
pub struct ActionForm {
    /// The action's API name.
    pub name: String,
    /// The button's text.
    pub label: String,
    /// `simple`, `reason`, `refer`, `guarantees`, `plan` or `disburse`.
    pub form: &'static str,
}
