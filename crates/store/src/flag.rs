//! Yes/no columns. Both engines store them as `0`/`1` integers (with a check constraint), so
//! the `any` driver hands them over as integers; [`Flag`] decodes such a column strictly and
//! converts into `bool`, so that rows carry `bool`s:
//!
//! ```ignore
//! #[sqlx(try_from = "Flag")]
//! pub is_active: bool,
//! ```

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A `0`/`1` column read as a `bool`; any other value is a decoding error, not `true`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<'r, Any>>::decode(value)? {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            other => Err(format!("a yes/no column holds {other}, not 0 or 1").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use crate::testdb::TestDb;
    use crate::{Backend, Flag};

    #[derive(sqlx::FromRow)]
    struct Probe {
        #[sqlx(try_from = "Flag")]
        yes: bool,
        #[sqlx(try_from = "Flag")]
        no: bool,
    }

    #[tokio::test]
    async fn zero_and_one_are_false_and_true_and_anything_else_is_an_error() {
        let t = TestDb::new(Backend::Sqlite).await.unwrap();
        let p: Probe = sqlx::query_as("select 1 as yes, 0 as no")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert!(p.yes);
        assert!(!p.no);
        let row = sqlx::query("select 2 as yes")
            .fetch_one(t.db.pool())
            .await
            .unwrap();
        assert!(row.try_get::<Flag, _>("yes").is_err());
    }
}
