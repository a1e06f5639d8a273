//! desk-core's integration tests, one binary (one link) for all families; one module per family.

// Test and benchmark code: a failed unwrap is a failed test (the workspace lints deny it in the
// shipped code).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit_chain;
mod calendar_arithmetic;
mod calendar_holidays;
mod calendar_ics;
mod common;
mod fallback;
mod feed;
mod files_private;
mod fuzz_parsers;
mod intake_mail;
mod intake_msg;
mod limits_files;
mod msg_writer;
mod outbox_decide;
mod outbox_delivery;
mod portal_client;
mod portal_feed;
mod portal_keyring;
mod portal_transport;
mod reminders;
mod report_exchange;
mod report_lifecycle;
mod report_store;
mod rules_fidelity;
mod sen_deadlines;
mod sen_levels;
mod sen_responses;
mod sen_store;
mod store_protect;
mod store_safety;
