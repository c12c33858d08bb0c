//! The national administration's API over HTTP (`vamyar_app::admin` does the work):
//! programs and their loan types, partner banks with branches, memoranda with provincial
//! quotas, counties' deprived flag and the holiday calendar, staff accounts. Reads are open
//! to every staff member (a bank officer sees only their own bank); writes need the
//! matching permission and are audit-logged in the same transaction. Quotas, staff roles,
//! program changes and new memoranda may need a second person (`[four_eyes]`): then they
//! answer 202 with a change proposal, confirmed or rejected through [`changes`].

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
pub use vamyar_app::admin::program_input;

pub mod banks;
pub mod changes;
pub mod geography;
pub mod memoranda;
pub mod programs;
pub mod quotas;
pub mod staff;

/// The routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(programs::list_programs, programs::create_program))
        .routes(routes!(programs::get_program, programs::update_program))
        .routes(routes!(banks::list_banks, banks::create_bank))
        .routes(routes!(banks::create_branch))
        .routes(routes!(
            memoranda::list_memoranda,
            memoranda::create_memorandum
        ))
        .routes(routes!(quotas::set_quota))
        .routes(routes!(geography::set_county))
        .routes(routes!(geography::list_holidays, geography::add_holiday))
        .routes(routes!(geography::delete_holiday))
        .routes(routes!(staff::list_staff, staff::create_staff))
        .routes(routes!(staff::update_staff))
        .merge(changes::router())
}
