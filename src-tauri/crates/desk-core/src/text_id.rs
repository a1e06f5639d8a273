//! What every typed id over its text shares (`ReportId`, `SenNumber`, `ReminderKey`): read back
//! from the store as it was written, shown and compared as its text, stored as its text. Each type
//! keeps its own rule for which text is valid at an edge.

macro_rules! text_id {
    ($name:ident) => {
        impl $name {
            /// As stored (a record's row, an outbox item, a fired reminder): read back as it was
            /// written, without the edge's check.
            pub fn from_stored(text: String) -> Self {
                $name(text)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                String::column_result(value).map($name)
            }
        }
    };
}

pub(crate) use text_id;
