//! (being written)

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The routes of this group.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
