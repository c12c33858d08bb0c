//! Resetting a province administrator's lost second factor from the staff page: a national
//! administrator confirms on a page of its own and gives a reason
//! (`vamyar_app::admin::totp_reset`, audited); the account enrols again at its next login.

use axum::extract::{Path, State};
use axum::response::Response;
use vamyar_app::admin::staff::StaffOut;
use vamyar_app::admin::totp_reset::{ResetBy, reset};
use vamyar_domain::workflow::Role;
use vamyar_i18n::Lang;

use super::admin::{AdminPage, Field, RowAction, answer, confirm_page, staff};
use super::{PageCtx, PageForm, ok, see_other};
use crate::AppState;
use crate::auth::CurrentActor;
use crate::error::{AppError, AppResult};

fn url(id: i64) -> String {
    format!("/admin/staff/{id}/totp-reset")
}

/// The staff list's reset button: for a national administrator, on an enrolled province
/// administrator's row.
pub fn reset_action(lang: Lang, current: &CurrentActor, s: &StaffOut) -> Option<RowAction> {
    (current.role() == Role::NationalAdmin && s.role == "province_admin" && s.totp_enrolled).then(
        || RowAction {
            url: url(s.id),
            label: vamyar_i18n::text(lang, "pg-staff-totp-reset", &[]),
            hidden: Vec::new(),
            danger: true,
            link: true,
        },
    )
}

fn national_admin(ctx: &PageCtx) -> AppResult<CurrentActor> {
    let current = staff(ctx)?;
    if current.role() == Role::NationalAdmin {
        Ok(current)
    } else {
        Err(AppError::Forbidden)
    }
}

fn reset_page(ctx: &PageCtx, id: i64) -> AdminPage {
    let mut p = confirm_page(
        ctx,
        "pg-confirm-title-totp-reset",
        "pg-confirm-lead-totp-reset",
        url(id),
        &[],
        "/admin/staff",
    );
    if let Some(form) = p.forms.first_mut() {
        form.fields
            .insert(0, Field::text(ctx.lang, "reason", "pg-field-reason", true));
        form.submit = vamyar_i18n::text(ctx.lang, "pg-staff-totp-reset", &[]);
    }
    p
}

/// `GET /admin/staff/{id}/totp-reset`: asks for the confirmation and the reason.
pub async fn confirm_reset(ctx: PageCtx, Path(id): Path<i64>) -> AppResult<Response> {
    national_admin(&ctx)?;
    ok(&ctx, &reset_page(&ctx, id))
}

/// `POST /admin/staff/{id}/totp-reset`: resets the factor after the confirmation; without
/// it, the confirmation page; without a reason, the page again with the problem.
pub async fn reset_factor(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageForm(ctx, form): PageForm,
) -> AppResult<Response> {
    let current = national_admin(&ctx)?;
    if form.get("confirm").is_none() {
        return Ok(see_other(&ctx, &url(id)));
    }
    let reason = form.get("reason");
    let result = reset(
        &state.ctx,
        ResetBy::Admin(&current.actor),
        id,
        reason.as_deref(),
    )
    .await;
    answer(&ctx, "/admin/staff", result, &form, || async {
        Ok(reset_page(&ctx, id))
    })
    .await
}
