//! Who performs a transition, as the history and the audit log record it.

use vamyar_domain::policy::Actor;
use vamyar_domain::workflow::Role;
use vamyar_store::audit::Entry;

/// Who performs a transition, for the history and the audit log.
#[derive(Clone, Debug)]
pub struct Doer {
    /// `staff`, `applicant` or `system`.
    pub kind: &'static str,
    /// Staff member.
    pub staff_id: Option<i64>,
    /// Applicant.
    pub person_id: Option<i64>,
}

impl Doer {
    /// The doer behind a request.
    pub fn of(actor: &Actor) -> Doer {
        match actor.role() {
            Role::Applicant => Doer {
                kind: "applicant",
                staff_id: None,
                person_id: actor.person_id(),
            },
            Role::System => Doer::system(),
            _ => Doer {
                kind: "staff",
                staff_id: actor.staff_id(),
                person_id: None,
            },
        }
    }

    /// The close-of-business job and automatic transitions.
    pub fn system() -> Doer {
        Doer {
            kind: "system",
            staff_id: None,
            person_id: None,
        }
    }

    /// The audit entry of `action` by this doer.
    pub fn audit(&self, action: String) -> Entry {
        match self.kind {
            "applicant" => {
                Entry::applicant(self.person_id.unwrap_or_default(), action, "application")
            }
            "system" => Entry::system(action, "application"),
            _ => Entry::staff(self.staff_id.unwrap_or_default(), action, "application"),
        }
    }
}
