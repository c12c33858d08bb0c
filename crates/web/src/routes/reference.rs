//! Reference data anyone may read: provinces and counties.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppResult;
use vamyar_app::admin::places::CountyOut;

/// A province with its counties.
#[derive(Serialize, ToSchema)]
pub struct ProvinceOut {
    /// Two-digit code.
    pub code: String,
    /// Persian name.
    pub name_fa: String,
    /// English name.
    pub name_en: String,
    /// ISO 3166-2 code.
    pub iso_code: String,
    /// Its counties.
    pub counties: Vec<CountyOut>,
}

/// Provinces with their counties, codes, names and deprived flags.
#[utoipa::path(get, path = "/api/v1/provinces", tag = "reference",
    responses((status = 200, body = Vec<ProvinceOut>)))]
pub async fn provinces(State(state): State<AppState>) -> AppResult<Json<Vec<ProvinceOut>>> {
    let provinces = vamyar_store::reference::provinces(&state.db).await?;
    let counties = vamyar_store::reference::counties(&state.db).await?;
    let out = provinces
        .into_iter()
        .map(|p| ProvinceOut {
            counties: counties
                .iter()
                .filter(|c| c.province_code == p.code)
                .map(|c| CountyOut {
                    code: c.code.clone(),
                    name_fa: c.name_fa.clone(),
                    name_en: c.name_en.clone(),
                    deprived: c.is_deprived,
                })
                .collect(),
            code: p.code,
            name_fa: p.name_fa,
            name_en: p.name_en,
            iso_code: p.iso_code,
        })
        .collect();
    Ok(Json(out))
}
